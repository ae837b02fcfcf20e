import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArticleFile } from '../../src/ingest/parse-article-file.js';
import { findAttributions } from '../../src/summarize/attribution.js';
import { extractSources } from '../../src/summarize/sources.js';
import { projectRoot } from './corpus.js';
import { draftOf } from './seed.js';

function sample(file: string) {
  const p = path.join(projectRoot, 'articles', file);
  return extractSources(parseArticleFile({ path: p, bytes: readFileSync(p), timeZone: 'UTC' }));
}
const brief = (sources: ReturnType<typeof sample>) =>
  sources.map((s) => ({ name: s.name, role: s.role, kinds: s.kinds }));

describe('the shipped samples name their speakers', () => {
  it('solar ferry: chief engineer Ilse Varga, quoted', () => {
    const sources = brief(sample('sample-02-solar-ferry.txt'));
    expect(sources).toContainEqual({ name: 'Ilse Varga', role: 'chief engineer', kinds: ['quoted'] });
  });

  it('orchard robots: project lead Tomas Berg, quoted; the article page itself is not a source', () => {
    const sources = sample('sample-03-orchard-robots.json');
    expect(brief(sources)).toContainEqual({ name: 'Tomas Berg', role: 'project lead', kinds: ['quoted'] });
    expect(sources.some((s) => s.url === 'https://example.org/samples/orchard-robots')).toBe(false);
  });

  it('night library: librarian, councillor, newspaper and council; the council link but not the own page', () => {
    const sources = sample('sample-01-night-library.md');
    expect(brief(sources)).toEqual([
      { name: 'Newsdesk Sample Wire', role: undefined, kinds: ['publisher'] },
      { name: 'the town council', role: undefined, kinds: ['cited'] },
      { name: 'Mara Iversen', role: 'head librarian', kinds: ['quoted'] },
      { name: 'Pete Harlow', role: 'Councillor', kinds: ['cited'] },
      { name: 'Riverton Gazette', role: undefined, kinds: ['cited'] },
      { name: 'example.org', role: undefined, kinds: ['link'] },
    ]);
    expect(sources.find((s) => s.kinds.includes('link'))!.url).toBe('https://example.org/samples/riverton-council');
  });
});

describe('speaker and organisation patterns of issue 16', () => {
  const cases: Array<[string, Array<{ name: string; kind: string; role?: string }>]> = [
    [
      '"We start on Monday," said union leader Sam Okafor.',
      [{ name: 'Sam Okafor', kind: 'quoted', role: 'union leader' }],
    ],
    ['Ana Ruiz, deputy mayor, said the budget passed.', [{ name: 'Ana Ruiz', kind: 'cited', role: 'deputy mayor' }]],
    [
      'According to chief executive Laura Chen, the deal closes in March.',
      [{ name: 'Laura Chen', kind: 'cited', role: 'chief executive' }],
    ],
    ['The parks department said the lake was closed.', [{ name: 'the parks department', kind: 'cited' }]],
    ['According to the fire service, the blaze began in a kitchen.', [{ name: 'the fire service', kind: 'cited' }]],
    ['Smith said the plan was "dead".', [{ name: 'Smith', kind: 'quoted' }]],
  ];
  for (const [sentence, expected] of cases) it(sentence, () => expect(findAttributions(sentence)).toEqual(expected));

  it('a bare generic body or a non-role phrase names nobody', () => {
    const generic = [
      'The company said profits rose.',
      'The council said it would decide.',
      'He said once Anna Berg left.',
    ];
    for (const s of generic) {
      expect(findAttributions(s)).toEqual([]);
    }
  });

  it('lists the feed publisher once when the publisher line has the same name', () => {
    const draft = draftOf(['The plan passed.'], { publishers: ['Example News'], url: 'https://news.example.net/a' });
    const sources = extractSources(draft, { title: 'Example News', link: 'https://news.example.net/' });
    expect(sources.map((s) => s.name)).toEqual(['Example News']);
  });
});
