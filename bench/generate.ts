/** Deterministic fake news text for benchmarks: same seed, same articles. */
const WORDS =
  'council river budget market election court school hospital energy transport housing climate police harbour festival research museum company workers union minister city village farmers storm bridge station library'.split(
    ' ',
  );
const VERBS = 'approved rejected announced delayed expanded reviewed criticised funded opened closed'.split(' ');

export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function pick<T>(items: T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

function sentence(random: () => number): string {
  const subject = pick(WORDS, random);
  const object = pick(WORDS, random);
  const extra = Array.from({ length: 6 + Math.floor(random() * 10) }, () => pick(WORDS, random)).join(' ');
  return `The ${subject} ${pick(VERBS, random)} a plan for the ${object} after talks about ${extra}.`;
}

/** An article file in the plain-text format, about 250 words. */
export function generateArticleText(index: number, random: () => number): string {
  const paragraphs = Array.from({ length: 5 }, () => Array.from({ length: 3 }, () => sentence(random)).join(' '));
  const day = String(1 + (index % 28)).padStart(2, '0');
  return [
    `Story ${index}: ${pick(WORDS, random)} ${pick(VERBS, random)} ${pick(WORDS, random)}`,
    '',
    `By: Bench Writer | ${day}.03.2025, ${String(index % 24).padStart(2, '0')}:00`,
    '',
    paragraphs.join('\n\n'),
    '',
    'Source: Bench Wire',
    '',
  ].join('\n');
}
