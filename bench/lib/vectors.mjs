// Vectors for the vector-* scenarios: made up the same way on every run, and searched exactly
// in this process, which is both the baseline of Kiln's search and the answer HNSW is held to.

/** mulberry32: a small seeded generator, so every run stores and asks for the same vectors. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const LATENT_DIMENSION = 64;
const CLUSTERS = 100;
const CLUSTER_SPREAD = 1;
const NOISE = 0.2;

/**
 * A source of unit vectors shaped like text embeddings rather than like noise: points of a
 * mixture of CLUSTERS Gaussians in LATENT_DIMENSION dimensions, carried into `dimension` by one
 * fixed random linear map, plus noise in every dimension. A query's 10th nearest of 10,000 is
 * about 0.6 cosine from it, the rest of the collection about 0. `sample(count, seed)` gives
 * `count` of them, `{ data, dimension, count }` with the numbers row after row in the
 * Float32Array `data`; other seeds give fresh vectors of the same kind (queries).
 */
export function embeddingSpace({ dimension, seed = 1 }) {
  const random = seededRandom(seed);
  const projection = Float64Array.from({ length: LATENT_DIMENSION * dimension }, () =>
    gaussian(random),
  );
  const centres = Array.from({ length: CLUSTERS }, () =>
    Float64Array.from({ length: LATENT_DIMENSION }, () => gaussian(random)),
  );
  return {
    dimension,
    sample(count, sampleSeed) {
      const draw = seededRandom(sampleSeed);
      const data = new Float32Array(count * dimension);
      const latent = new Float64Array(LATENT_DIMENSION);
      const point = new Float64Array(dimension);
      for (let i = 0; i < count; i++) {
        const centre = centres[Math.floor(draw() * CLUSTERS)];
        for (let j = 0; j < LATENT_DIMENSION; j++) {
          latent[j] = centre[j] + CLUSTER_SPREAD * gaussian(draw);
        }
        for (let d = 0; d < dimension; d++) point[d] = NOISE * gaussian(draw);
        for (let j = 0; j < LATENT_DIMENSION; j++) {
          const weight = latent[j] / Math.sqrt(LATENT_DIMENSION);
          const row = j * dimension;
          for (let d = 0; d < dimension; d++) point[d] += weight * projection[row + d];
        }
        let norm = 0;
        for (let d = 0; d < dimension; d++) norm += point[d] * point[d];
        norm = Math.sqrt(norm);
        for (let d = 0; d < dimension; d++) data[i * dimension + d] = point[d] / norm;
      }
      return { data, dimension, count };
    },
  };
}

/**
 * Unit vectors spread evenly over the sphere: every neighbour almost as far as any other, the
 * hardest case for an approximate index, and nothing like text embeddings.
 */
export function sphereVectors(count, dimension, seed) {
  const draw = seededRandom(seed);
  const data = new Float32Array(count * dimension);
  const point = new Float64Array(dimension);
  for (let i = 0; i < count; i++) {
    let norm = 0;
    for (let d = 0; d < dimension; d++) {
      point[d] = gaussian(draw);
      norm += point[d] * point[d];
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < dimension; d++) data[i * dimension + d] = point[d] / norm;
  }
  return { data, dimension, count };
}

/** Row `row` of `vectors` (no copy). */
export function vectorRow({ data, dimension }, row) {
  return data.subarray(row * dimension, (row + 1) * dimension);
}

/**
 * Row `row` of `vectors` as JSON numbers (for the API) or a PostgreSQL array literal (for SQL).
 * Nine significant digits give back the same float32, in about 12 characters a number.
 */
export function vectorJson(vectors, row) {
  return `[${digitsOf(vectors, row)}]`;
}

export function vectorPgArray(vectors, row) {
  return `{${digitsOf(vectors, row)}}`;
}

function digitsOf(vectors, row) {
  return Array.from(vectorRow(vectors, row), (value) => value.toPrecision(9)).join(',');
}

/**
 * The exact `k` nearest rows among the first `count` of `vectors` by dot product with `query`
 * (the cosine: all are unit vectors), best first: a plain scan of the Float32Array keeping the
 * best k in a small sorted list.
 */
export function exactTopK({ data, dimension }, count, query, k) {
  const best = [];
  for (let row = 0; row < count; row++) {
    const offset = row * dimension;
    let score = 0;
    for (let d = 0; d < dimension; d++) score += data[offset + d] * query[d];
    if (best.length === k && score <= best[k - 1].score) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && best[at - 1].score < score) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = { row, score };
  }
  return best.map(({ row }) => row);
}

/** How many of the exact answer's rows the found ones include, as a share of the answer. */
export function recall(found, exact) {
  const wanted = new Set(exact);
  return found.filter((row) => wanted.has(row)).length / exact.length;
}

/** Both vector scenarios store the same vectors (the first `count` of one sample) and ask the same queries. */
export const BENCH_DIMENSION = 384;
const benchSpace = () => embeddingSpace({ dimension: BENCH_DIMENSION, seed: 1 });
export const storedVectors = (count) => benchSpace().sample(count, 2);
export const queryVectors = (count) => benchSpace().sample(count, 3);
