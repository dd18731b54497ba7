/** A filter a client sent that is not valid; `path` says where, e.g. `filter.$and.1.year.$gt`. */
export class FilterError extends Error {
  override readonly name = 'FilterError';

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}
