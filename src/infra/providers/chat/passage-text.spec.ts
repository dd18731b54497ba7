import { contentTerms, sentencesOf, sharedTerms } from './passage-text';

describe('contentTerms', () => {
  it('keeps the words that carry meaning, lower-cased and without plural s', () => {
    expect([...contentTerms('What are the Kilns in the glass studio for? 3 of them!')]).toEqual([
      'kiln',
      'glass',
      'studio',
      '3',
    ]);
  });

  it('reads letters beyond ASCII', () => {
    expect([...contentTerms('Größe der Öfen')]).toEqual(['größe', 'der', 'öfen']);
  });
});

describe('sharedTerms', () => {
  it("counts the question's terms that a text contains, each once", () => {
    expect(sharedTerms(contentTerms('kiln temperature'), 'Kilns, kilns: the temperature.')).toBe(2);
  });
});

describe('sentencesOf', () => {
  it('splits at sentence ends, blank lines and list items, and joins wrapped lines', () => {
    const text =
      'Fire slowly. Is it hot?\nThen wait!\n\nHeading\n- first item\n- second\nitem wraps';

    expect(sentencesOf(text)).toEqual([
      'Fire slowly.',
      'Is it hot?',
      'Then wait!',
      'Heading',
      '- first item',
      '- second item wraps',
    ]);
  });
});
