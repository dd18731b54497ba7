import { errorDetail, serviceText } from '../http/service-answers';
import { GenerationServiceError, parseGeneration } from './generation-protocol';

describe('parseGeneration', () => {
  it('reads a status answer, taking null fields as absent', () => {
    expect(
      parseGeneration(
        '{"id":"g1","status":"running","progress":42.5,"error":null,"videoUrl":null}',
      ),
    ).toEqual({ id: 'g1', status: 'running', progress: 42.5 });
    expect(parseGeneration('{"id":"g1","status":"succeeded","videoUrl":"v/g1.mp4"}')).toEqual({
      id: 'g1',
      status: 'succeeded',
      videoUrl: 'v/g1.mp4',
    });
  });

  it.each([
    ['', 'not JSON'],
    ['[]', 'not a JSON object'],
    ['{"status":"queued"}', 'no generation id'],
    ['{"id":7,"status":"queued"}', 'no generation id'],
    ['{"id":"g1","status":"done"}', 'unknown status'],
    ['{"id":"g1","status":"running","progress":150}', 'progress is not a number from 0 to 100'],
    ['{"id":"g1","status":"running","progress":"50%"}', 'progress is not a number from 0 to 100'],
    ['{"id":"g1","status":"failed","error":{"code":1}}', 'error is not a string'],
    ['{"id":"g1","status":"succeeded","videoUrl":""}', 'videoUrl is not a URL'],
    ['{"id":"g1","status":"succeeded"}', 'a succeeded generation without videoUrl'],
  ])('rejects %s: %s', (text, problem) => {
    expect(() => parseGeneration(text)).toThrow(
      new GenerationServiceError(`The generation service sent a malformed answer: ${problem}`),
    );
  });
});

describe('errorDetail', () => {
  it('finds the message of the common error shapes, and nothing in others', () => {
    expect(errorDetail('{"error":"Quota exceeded"}')).toBe('Quota exceeded');
    expect(errorDetail('{"error":{"message":"Bad model","type":"invalid"}}')).toBe('Bad model');
    expect(errorDetail('{"detail":"x"}')).toBeUndefined();
    expect(errorDetail('null')).toBeUndefined();
    expect(errorDetail('<html>502</html>')).toBeUndefined();
  });
});

describe('serviceText', () => {
  it('drops the key and directories, and keeps one short line', () => {
    expect(serviceText('bad key sk-1 in\n /opt/svc/conf/keys.txt', 'sk-1')).toBe(
      'bad key [key] in keys.txt',
    );
    expect(serviceText('x'.repeat(1000))).toHaveLength(300);
  });
});
