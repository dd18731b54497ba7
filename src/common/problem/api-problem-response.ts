import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, ProblemDetails } from './problem-details';

/**
 * A problem+json body: ProblemDetails, with the members of `extensions` (a class of
 * @ApiProperty fields) added when the problem carries some.
 */
export function problemContent(extensions?: Type) {
  const problem = { $ref: getSchemaPath(ProblemDetails) };
  const schema = extensions ? { allOf: [problem, { $ref: getSchemaPath(extensions) }] } : problem;
  return { [PROBLEM_CONTENT_TYPE]: { schema } };
}

/** Documents an error answer of `status` as problem+json, with the members of `extensions`. */
export function ApiProblemResponse(
  status: number,
  description: string,
  extensions?: Type,
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...(extensions ? [ApiExtraModels(extensions)] : []),
    ApiResponse({ status, description, content: problemContent(extensions) }),
  );
}
