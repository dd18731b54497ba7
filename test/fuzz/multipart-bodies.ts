import fc from 'fast-check';
import { Body, fixtureRef } from './fuzz-request';
import { BAD_UUIDS, LONG_STRINGS, ODD_STRINGS, oddString } from './hostile-values';

/** A valid 1×1 PNG: the one file in these bodies that is a real image. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  content: Buffer;
}

/** How a multipart body is broken on purpose, or `none`. */
type Breakage =
  | 'none'
  | 'no-boundary-parameter'
  | 'other-boundary'
  | 'empty-boundary'
  | 'overlong-boundary'
  | 'truncated'
  | 'no-closing-delimiter'
  | 'bare-line-feeds'
  | 'no-content-disposition'
  | 'no-part-name'
  | 'empty-body'
  | 'garbage';

const BOUNDARY = 'kilnfuzzboundary7MA4YWxkTrZu0gW';

function encode(
  parts: Part[],
  options: { boundary: string; breakage: Breakage; cutAt: number },
): Buffer {
  const { boundary, breakage } = options;
  const newline = breakage === 'bare-line-feeds' ? '\n' : '\r\n';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      breakage === 'no-part-name'
        ? 'form-data'
        : `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const headers = [
      ...(breakage === 'no-content-disposition' ? [] : [`Content-Disposition: ${disposition}`]),
      ...(part.contentType ? [`Content-Type: ${part.contentType}`] : []),
    ];
    chunks.push(
      Buffer.from(`--${boundary}${newline}${headers.join(newline)}${newline}${newline}`, 'utf8'),
      part.content,
      Buffer.from(newline),
    );
  }
  if (breakage !== 'no-closing-delimiter') chunks.push(Buffer.from(`--${boundary}--${newline}`));
  const body = Buffer.concat(chunks);
  return breakage === 'truncated'
    ? body.subarray(0, Math.floor(body.length * options.cutAt))
    : body;
}

function contentTypeFor(breakage: Breakage): string {
  switch (breakage) {
    case 'no-boundary-parameter':
      return 'multipart/form-data';
    case 'other-boundary':
      return 'multipart/form-data; boundary=notTheOneInTheBody';
    case 'empty-boundary':
      return 'multipart/form-data; boundary=';
    case 'overlong-boundary':
      return `multipart/form-data; boundary=${'x'.repeat(200)}`;
    default:
      return `multipart/form-data; boundary=${BOUNDARY}`;
  }
}

const fileContent = (): fc.Arbitrary<Buffer> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(TINY_PNG) },
    fc.constant(Buffer.alloc(0)),
    fc.constant(TINY_PNG.subarray(0, 16)),
    fc.constant(Buffer.from('GIF89a')),
    fc.constant(Buffer.from('hello, not a video')),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  );

const filePart = (): fc.Arbitrary<Part> =>
  fc.record(
    {
      name: fc.oneof(
        { weight: 6, arbitrary: fc.constant('file') },
        fc.constantFrom('files', 'FILE', ''),
      ),
      filename: fc.oneof(
        fc.constant('sample.png'),
        fc.constantFrom('../../etc/passwd', 'a\\b\\c.png', '.png', 'x'.repeat(400)),
        fc.constantFrom(...ODD_STRINGS.filter((s) => !/["\r\n]/.test(s))),
      ),
      contentType: fc.constantFrom('image/png', 'application/x-msdownload', 'text/plain'),
      content: fileContent(),
    },
    { requiredKeys: ['name', 'content'] },
  );

/** Form fields beside the file: projectId in its valid and invalid forms, and fields it lacks. */
const fieldPart = (): fc.Arbitrary<Part> =>
  fc
    .tuple(
      fc.oneof(
        { weight: 4, arbitrary: fc.constant('projectId') },
        fc.constantFrom('unknown', 'ownerId', 'file[]', ''),
      ),
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(fixtureRef('project')) },
        fc.uuid(),
        fc.constantFrom(...BAD_UUIDS),
        fc.constantFrom(...LONG_STRINGS.slice(0, 3)),
        oddString().filter((s) => s.length < 2_000),
      ),
    )
    .map(([name, value]) => ({ name, content: Buffer.from(value, 'utf8') }));

/** A multipart upload body: well-formed or broken, with or without a usable file. */
export const multipartBody = (): fc.Arbitrary<Body> =>
  fc
    .record({
      files: fc.array(filePart(), { minLength: 0, maxLength: 2 }),
      fields: fc.oneof(
        { weight: 4, arbitrary: fc.array(fieldPart(), { maxLength: 2 }) },
        fc.constant(
          Array.from({ length: 12 }, (_, i) => ({ name: `f${i}`, content: Buffer.from('x') })),
        ),
      ),
      fieldsFirst: fc.boolean(),
      breakage: fc.oneof(
        { weight: 8, arbitrary: fc.constant<Breakage>('none') },
        fc.constantFrom<Breakage>(
          'no-boundary-parameter',
          'other-boundary',
          'empty-boundary',
          'overlong-boundary',
          'truncated',
          'no-closing-delimiter',
          'bare-line-feeds',
          'no-content-disposition',
          'no-part-name',
          'empty-body',
          'garbage',
        ),
      ),
      cutAt: fc.double({ min: 0, max: 1, noNaN: true }),
      garbage: fc.uint8Array({ maxLength: 500 }),
    })
    .map(({ files, fields, fieldsFirst, breakage, cutAt, garbage }): Body => {
      const parts = fieldsFirst ? [...fields, ...files] : [...files, ...fields];
      const bytes =
        breakage === 'empty-body'
          ? Buffer.alloc(0)
          : breakage === 'garbage'
            ? Buffer.from(garbage)
            : encode(parts, { boundary: BOUNDARY, breakage, cutAt });
      return { kind: 'raw', contentType: contentTypeFor(breakage), bytes };
    });
