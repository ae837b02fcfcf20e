/**
 * Precision and recall of speakers and organisations over a hand-labelled attribution set. Shared
 * by `npm run bench:sources` and its conformance test.
 */
import { readFileSync } from 'node:fs';
import { extractSources } from '../src/summarize/sources.js';

export interface LabelledParagraph {
  text: string;
  speakers: string[];
  organisations: string[];
}

export interface TypeScore {
  precision: number;
  recall: number;
  truePositives: number;
  expected: number;
  found: number;
}

export function readLabelled(file: string): LabelledParagraph[] {
  return JSON.parse(readFileSync(file, 'utf8')) as LabelledParagraph[];
}

const norm = (name: string): string =>
  name
    .toLowerCase()
    .replace(/^the\s+/, '')
    .trim();
const ORG_WORD = new RegExp(
  String.raw`\b(?:department|council|ministry|agency|institute|office|service|board|bureau|authority|` +
    String.raw`organi[sz]ation|times|gazette|news)\b`,
  'i',
);

/** A found name that matches no label is charged to the type it looks like. */
function looksLikeOrganisation(name: string): boolean {
  return /^the\s/.test(name) || ORG_WORD.test(name) || !name.includes(' ');
}

function draftOf(text: string) {
  return {
    key: 'x',
    title: 'Labelled paragraph',
    body: [{ type: 'paragraph' as const, text }],
    images: [],
    origin: { kind: 'file' as const, path: 'x.txt' },
    publishers: [],
    links: [],
    tags: [],
  };
}

export interface SetScore {
  speakers: TypeScore;
  organisations: TypeScore;
  misses: string[];
}

export function scoreSet(rows: LabelledParagraph[]): SetScore {
  const tally = { speakers: { tp: 0, expected: 0, found: 0 }, organisations: { tp: 0, expected: 0, found: 0 } };
  const misses: string[] = [];
  for (const row of rows) {
    const found = extractSources(draftOf(row.text))
      .filter((s) => s.kinds.some((k) => k === 'cited' || k === 'quoted'))
      .map((s) => s.name);
    const speakers = new Set(row.speakers.map(norm));
    const orgs = new Set(row.organisations.map(norm));
    tally.speakers.expected += speakers.size;
    tally.organisations.expected += orgs.size;
    const seen = new Set<string>();
    for (const name of found) {
      const n = norm(name);
      seen.add(n);
      if (speakers.has(n)) {
        tally.speakers.tp++;
        tally.speakers.found++;
      } else if (orgs.has(n)) {
        tally.organisations.tp++;
        tally.organisations.found++;
      } else {
        tally[looksLikeOrganisation(name) ? 'organisations' : 'speakers'].found++;
        misses.push(`extra "${name}" in: ${row.text.slice(0, 70)}`);
      }
    }
    for (const n of [...speakers, ...orgs]) if (!seen.has(n)) misses.push(`missed "${n}" in: ${row.text.slice(0, 70)}`);
  }
  const score = (t: { tp: number; expected: number; found: number }): TypeScore => ({
    precision: t.found ? Math.round((1000 * t.tp) / t.found) / 1000 : 1,
    recall: t.expected ? Math.round((1000 * t.tp) / t.expected) / 1000 : 1,
    truePositives: t.tp,
    expected: t.expected,
    found: t.found,
  });
  return { speakers: score(tally.speakers), organisations: score(tally.organisations), misses };
}
