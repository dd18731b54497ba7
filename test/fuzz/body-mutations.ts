import fc from 'fast-check';
import {
  anyOddValue,
  BAD_DATES,
  BAD_EMAILS,
  BAD_URLS,
  BAD_UUIDS,
  oddArray,
  oddNumber,
  oddObject,
  oddString,
  RawJson,
} from './hostile-values';

/**
 * One change that makes a valid JSON body malformed. `at` picks the place among all the places of
 * the value (root included), modulo their number, so a mutation works on any shape.
 */
export type Mutation =
  | { kind: 'remove'; at: number }
  | { kind: 'null'; at: number }
  | { kind: 'add-field'; at: number; name: string; value: unknown }
  /** Replaces with a value of the same JSON type when `sameType`, else with `any`. */
  | { kind: 'replace'; at: number; sameType: boolean; replacements: Replacements };

interface Replacements {
  string: string;
  number: number | RawJson;
  array: unknown[];
  object: unknown;
  any: unknown;
}

/** Odd strings of the kinds that fields with these names would check. */
const oddFieldString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: oddString() },
    fc.constantFrom(...BAD_UUIDS),
    fc.constantFrom(...BAD_EMAILS),
    fc.constantFrom(...BAD_URLS),
    fc.constantFrom(...BAD_DATES),
  );

export const mutation = (): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('null' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('add-field' as const),
      at: fc.nat(),
      name: fc.oneof(
        fc.constantFrom('unknownField', 'isAdmin', 'role', 'ownerId', 'id', '__proto__', ''),
        oddString(),
      ),
      value: anyOddValue(),
    }),
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('replace' as const),
        at: fc.nat(),
        sameType: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, fc.constant(false)),
        replacements: fc.record({
          string: oddFieldString(),
          number: oddNumber(),
          array: oddArray(),
          object: oddObject(),
          any: anyOddValue(),
        }),
      }),
    },
  );

type Place = (string | number)[];

/** Every place of a JSON value, as key paths; the root is []. */
function placesOf(value: unknown, at: Place = [], out: Place[] = []): Place[] {
  out.push(at);
  if (Array.isArray(value)) {
    // Long arrays (the hostile ones) need not offer every element.
    value.slice(0, 5).forEach((item, i) => placesOf(item, [...at, i], out));
  } else if (value !== null && typeof value === 'object' && !(value instanceof RawJson)) {
    for (const [key, member] of Object.entries(value)) placesOf(member, [...at, key], out);
  }
  return out;
}

function jsonType(value: unknown): keyof Omit<Replacements, 'any'> | 'other' {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (Array.isArray(value)) return 'array';
  if (value !== null && typeof value === 'object') return 'object';
  return 'other';
}

/**
 * A deep copy that keeps RawJson literals, and keeps `__proto__` an ordinary key (objects without
 * a prototype have no `__proto__` setter).
 */
export function clone(value: unknown): unknown {
  if (value instanceof RawJson || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(clone);
  const copy = Object.create(null) as Record<string, unknown>;
  for (const [key, member] of Object.entries(value)) copy[key] = clone(member);
  return copy;
}

/** Sets (or with `remove`, deletes) the value at a place; returns the new root. */
function update(root: unknown, place: Place, change: (old: unknown) => unknown, remove = false) {
  if (place.length === 0) return change(root);
  const parent = place.slice(0, -1).reduce<unknown>((v, k) => (v as never)[k], root) as Record<
    string | number,
    unknown
  >;
  const key = place[place.length - 1];
  if (remove) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else {
    parent[key] = change(parent[key]);
  }
  return root;
}

/** Applies the mutations in turn to a copy of the value. */
export function applyMutations(value: unknown, mutations: Mutation[]): unknown {
  let root = clone(value);
  for (const m of mutations) {
    const places = placesOf(root);
    const place = places[m.at % places.length];
    switch (m.kind) {
      case 'remove':
        // Removing the root means sending no fields at all.
        root = place.length === 0 ? {} : update(root, place, () => undefined, true);
        break;
      case 'null':
        root = update(root, place, () => null);
        break;
      case 'add-field': {
        const objects = places.filter((p) => jsonType(placeValue(root, p)) === 'object');
        const target = objects.length ? objects[m.at % objects.length] : [];
        root = update(root, target, (old) =>
          jsonType(old) === 'object'
            ? Object.assign(Object.create(null) as object, old, { [m.name]: clone(m.value) })
            : { [m.name]: clone(m.value) },
        );
        break;
      }
      case 'replace':
        root = update(root, place, (old) => {
          const type = jsonType(old);
          // Copies: generated values are shared constants that later mutations must not change.
          return clone(m.sameType && type !== 'other' ? m.replacements[type] : m.replacements.any);
        });
        break;
    }
  }
  return root;
}

function placeValue(root: unknown, place: Place): unknown {
  return place.reduce<unknown>((v, k) => (v as never)[k], root);
}
