import { LocalHashingEmbedder } from './local-hashing.embedder';

/** Short documents on distinct topics, and queries that ask for each in other words. */
const DOCUMENTS: Record<string, string> = {
  sourdough:
    'Sourdough bread rises with a starter of wild yeast and lactic acid bacteria. Bakers feed the starter with flour and water and let the dough ferment slowly before baking it in a hot oven.',
  photosynthesis:
    'Photosynthesis lets plants turn sunlight, water and carbon dioxide into glucose and oxygen. The chlorophyll in their leaves absorbs red and blue light.',
  volcano:
    'A volcano erupts when magma from deep inside the Earth rises through cracks in the crust. Lava flows, ash clouds and volcanic gases can devastate nearby towns.',
  chess:
    "In chess each player starts with sixteen pieces. The goal is to checkmate the opponent's king, and openings like the Sicilian Defence shape the middle game.",
  marathon:
    'Training for a marathon means building weekly mileage gradually, with one long run each weekend and easy recovery days to avoid injury.',
  passwords:
    'Use a long, unique password for every account and keep them in a password manager. Turn on two-factor authentication to stop attackers who steal credentials.',
  espresso:
    'Espresso is brewed by forcing hot water through finely ground coffee under high pressure. A good shot takes about 25 seconds and has a layer of crema.',
  blackHoles:
    'A black hole is a region of spacetime where gravity is so strong that nothing, not even light, can escape once it crosses the event horizon.',
  git: 'Git branches let developers work on features in isolation. Merge or rebase a branch back into main once its commits are reviewed.',
  bees: 'Honeybees live in colonies with a single queen, thousands of female workers and a few male drones. Workers collect nectar and pollen and make honey in wax combs.',
  taxes:
    'Filing your income tax return before the April deadline avoids penalties. Keep receipts for deductible expenses such as charitable donations.',
  rome: 'The Roman Empire reached its greatest extent under Emperor Trajan. Its roads, aqueducts and legions held together provinces from Britain to Egypt.',
  knitting:
    'To knit a scarf, cast on stitches with wool yarn and two needles, then alternate knit and purl rows to make a ribbed pattern.',
  climate:
    'Burning fossil fuels releases greenhouse gases that trap heat in the atmosphere, raising global temperatures and sea levels.',
  vaccines:
    'Vaccines train the immune system to recognise a virus without causing the disease, so the body produces antibodies before a real infection.',
  guitar:
    'Tune the guitar strings to E A D G B E and practise chord changes slowly; calluses on your fingertips will form after a few weeks.',
  houseplants:
    'Most houseplants die from overwatering. Water them only when the top inch of soil is dry, and make sure each pot has drainage holes.',
  electricCars:
    'Electric cars run on lithium-ion battery packs and can be charged at home overnight or at fast-charging stations along highways.',
  sleep:
    'Adults need seven to nine hours of sleep. A regular bedtime, a dark cool bedroom and no screens before bed improve sleep quality.',
  earthquakes:
    'Earthquakes happen when tectonic plates slip along a fault and release energy as seismic waves, measured on the magnitude scale.',
  interestRates:
    'Central banks raise interest rates to fight inflation, which makes borrowing more expensive and slows spending.',
};

const QUERIES: [query: string, expected: keyof typeof DOCUMENTS][] = [
  ['How do I keep a wild yeast starter alive for baking bread?', 'sourdough'],
  ['how green leaves make sugar from light', 'photosynthesis'],
  ['why does magma rise to the surface and erupt', 'volcano'],
  ['rules for trapping the king in a board game with pieces', 'chess'],
  ['a plan for running 42 kilometres with long runs and rest days', 'marathon'],
  ['keeping my online accounts safe with better passwords', 'passwords'],
  ['making a strong coffee shot with pressure', 'espresso'],
  ['can anything escape the gravity of a collapsed star', 'blackHoles'],
  ['combining my feature branch with the main line in version control', 'git'],
  ['what is the job of a queen bee among the worker bees', 'bees'],
  ['when is the deadline to file taxes and which expenses can be deducted', 'taxes'],
  ["ancient Rome's emperors and how big their territory grew", 'rome'],
  ['beginner knitting project using yarn and needles', 'knitting'],
  ['how greenhouse gas from fuel heats up the planet', 'climate'],
  ['how immunisation helps the body fight viral infections', 'vaccines'],
  ['learning guitar chords as a beginner', 'guitar'],
  ['how often should I water indoor plants', 'houseplants'],
  ['charging an electric car battery on a road trip', 'electricCars'],
  ['tips for sleeping better at night', 'sleep'],
  ['what makes the ground shake when plates move along faults', 'earthquakes'],
  ['why does the central bank increase rates when prices go up', 'interestRates'],
];

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}

function norm(vector: number[]): number {
  return Math.sqrt(cosine(vector, vector));
}

describe('LocalHashingEmbedder', () => {
  const embedder = new LocalHashingEmbedder();

  describe('retrieval on the labelled set', () => {
    const names = Object.keys(DOCUMENTS);
    let documentVectors: number[][];

    beforeAll(async () => {
      documentVectors = await embedder.embed(names.map((name) => DOCUMENTS[name]));
    });

    it.each(QUERIES)('ranks the expected document in the top 3 for %j', async (query, expected) => {
      const [queryVector] = await embedder.embed([query]);
      const ranked = names
        .map((name, i) => ({ name, score: cosine(queryVector, documentVectors[i]) }))
        .sort((a, b) => b.score - a.score)
        .map(({ name }) => name);
      expect(ranked.slice(0, 3)).toContain(expected);
    });
  });

  it('gives the same vector for the same text, in any batch and any instance', async () => {
    const text = 'Deterministic across runs: the same words hash to the same buckets.';
    const [alone] = await new LocalHashingEmbedder().embed([text]);
    const [, inBatch] = await embedder.embed(['something else first', text]);
    expect(inBatch).toEqual(alone);
  });

  it('pins a few values, so a change to the hashing cannot slip through unnoticed', () => {
    const vector = new LocalHashingEmbedder({ dimension: 16 }).embedText('kiln fires clay');
    // Stored vectors stay comparable with new ones only while these numbers hold.
    expect(vector.map((value) => Number(value.toFixed(4)))).toEqual([
      -0.174, 0.4597, 0.174, 0, -0.174, 0.174, -0.174, 0.174, 0, 0.174, -0.4256, 0.174, 0, -0.3519,
      0.4597, -0.174,
    ]);
  });

  it('answers unit vectors of the configured dimension, named after it', async () => {
    const small = new LocalHashingEmbedder({ dimension: 64 });
    expect(small.model).toBe('kiln-hash-64');
    expect(embedder.model).toBe('kiln-hash-384');
    const vectors = await small.embed(['one', 'a much longer text about many things', 'ÉTÉ ﬁne']);
    for (const vector of vectors) {
      expect(vector).toHaveLength(64);
      expect(norm(vector)).toBeCloseTo(1, 10);
    }
  });

  it('scores similar texts above unrelated ones', () => {
    const cat = embedder.embedText('The cat sat on the warm mat near the fire.');
    const cats = embedder.embedText('Cats like sitting on warm mats by a fire.');
    const finance = embedder.embedText('Quarterly revenue grew eight percent on strong sales.');
    expect(cosine(cat, cats)).toBeGreaterThan(0.3);
    expect(cosine(cat, cats)).toBeGreaterThan(cosine(cat, finance) + 0.2);
  });

  it('ignores case, diacritics and compatibility forms', () => {
    expect(embedder.embedText('CAFÉ Déjà-vu ﬁnance')).toEqual(
      embedder.embedText('cafe deja vu finance'),
    );
  });

  it('folds plurals onto the singular', () => {
    const singular = embedder.embedText('battery');
    expect(cosine(embedder.embedText('batteries'), singular)).toBeGreaterThan(
      cosine(embedder.embedText('battle'), singular),
    );
  });

  it('still embeds a text made only of stop words', () => {
    const hamlet = embedder.embedText('to be or not to be');
    expect(cosine(hamlet, embedder.embedText('To be, or not to be.'))).toBeCloseTo(1, 10);
    expect(cosine(hamlet, embedder.embedText('this is it'))).toBeLessThan(0.5);
  });

  it('gives every text without words one fixed unit vector', () => {
    const empty = embedder.embedText('');
    expect(norm(empty)).toBe(1);
    expect(embedder.embedText('  !!! ... ')).toEqual(empty);
    expect(Math.abs(cosine(empty, embedder.embedText('words')))).toBeLessThan(0.5);
  });

  it('lets other work run while it embeds a large batch', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    await embedder.embed(Array(600).fill('some text')).then(() => order.push('embedded'));
    expect(order).toEqual(['other work', 'embedded']);
  });

  it('embeds thousand-character chunks quickly', () => {
    const chunk = Object.values(DOCUMENTS).join(' ').slice(0, 1000);
    const startedAt = performance.now();
    for (let i = 0; i < 2000; i++) embedder.embedText(`${i} ${chunk}`);
    // About 30 µs each here; the bound only catches an accidental slowdown of 10× or more.
    expect(performance.now() - startedAt).toBeLessThan(1000);
  });

  it('stops when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(embedder.embed(['text'], { signal: controller.signal })).rejects.toThrow(
      'aborted',
    );
  });

  it('rejects a dimension it cannot use', () => {
    expect(() => new LocalHashingEmbedder({ dimension: 0 })).toThrow(RangeError);
    expect(() => new LocalHashingEmbedder({ dimension: 12.5 })).toThrow(RangeError);
  });
});
