import { ValidationError } from 'class-validator';
import { toFieldErrors } from './field-errors';

function error(
  property: string,
  constraints: Record<string, string>,
  children: ValidationError[] = [],
) {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

describe('toFieldErrors', () => {
  it('gives one entry per failed constraint, nested fields with dotted paths', () => {
    const errors = [
      error('email', { isEmail: 'email must be an email' }),
      error('address', {}, [
        error('city', { isString: 'city must be a string', maxLength: 'city is too long' }),
      ]),
      error('items', {}, [error('0', {}, [error('qty', { min: 'qty must not be less than 1' })])]),
    ];
    expect(toFieldErrors(errors)).toEqual([
      { field: 'email', message: 'email must be an email' },
      { field: 'address.city', message: 'city must be a string' },
      { field: 'address.city', message: 'city is too long' },
      { field: 'items.0.qty', message: 'qty must not be less than 1' },
    ]);
  });
});
