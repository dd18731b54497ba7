import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/**
 * Documents a 200 download offered in several formats: the JSON one as `model` (or an array of
 * it), each of `textTypes` as text, so a client generated from the document can read the JSON.
 */
export const ApiDownloadResponse = (
  description: string,
  json: { model: Type; isArray?: boolean },
  textTypes: string[],
): MethodDecorator => {
  const ref = { $ref: getSchemaPath(json.model) };
  return applyDecorators(
    ApiExtraModels(json.model),
    ApiOkResponse({
      description,
      content: {
        'application/json': { schema: json.isArray ? { type: 'array', items: ref } : ref },
        ...Object.fromEntries(textTypes.map((type) => [type, { schema: { type: 'string' } }])),
      },
    }),
  );
};
