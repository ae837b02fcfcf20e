import { describe, expect, it } from 'vitest';
import type { ArticleSource } from '../../src/domain/article.js';
import { findAttributions } from '../../src/summarize/attribution.js';
import { extractSources } from '../../src/summarize/sources.js';
import { draftOf, seedDraft } from './seed.js';

describe('extractSources on the seed article', () => {
  it('is exactly Reuters, Netflix and Ted Sarandos (co-CEO), nothing invented', () => {
    const expected: ArticleSource[] = [
      {
        name: 'Reuters',
        kinds: ['publisher', 'cited'],
        evidence: [
          { kind: 'publisher', text: 'Source: Reuters' },
          {
            kind: 'cited',
            text: 'According to Reuters, the platform is already testing GenAI in other projects, and some of the results are "being implemented into the workflow."',
          },
        ],
      },
      {
        name: 'Netflix',
        kinds: ['image-credit', 'cited'],
        evidence: [
          {
            kind: 'image-credit',
            text: 'Netflix adopts generative AI: a new word in production processes Netflix is putting GenAI into production.',
          },
          { kind: 'cited', text: 'Netflix itself calls it an "exploratory approach."' },
        ],
      },
      {
        name: 'Ted Sarandos',
        role: 'co-CEO',
        kinds: ['quoted'],
        evidence: [
          {
            kind: 'quoted',
            text: '"That VFX sequence was completed 10 times faster than it could have been completed with visual traditional VFX tools and workflows. And also the cost of it would just wouldn\'t have been feasible for a show in that budget."',
          },
        ],
      },
    ];
    expect(extractSources(seedDraft())).toEqual(expected);
  });
});

describe('attribution patterns', () => {
  const named: Array<[string, Array<{ name: string; kind: string; role?: string }>]> = [
    ['According to the BBC, the deal is off.', [{ name: 'BBC', kind: 'cited' }]],
    ['According to the World Health Organization, cases rose.', [{ name: 'World Health Organization', kind: 'cited' }]],
    [
      "Jane Doe, the company's chief executive, said profits rose.",
      [{ name: 'Jane Doe', kind: 'cited', role: 'chief executive' }],
    ],
    ['Sarah Connor says the machines are coming.', [{ name: 'Sarah Connor', kind: 'cited' }]],
    [
      '"We will not back down," said Maria Lopez, a union spokeswoman.',
      [{ name: 'Maria Lopez', kind: 'quoted', role: 'union spokeswoman' }],
    ],
    ['Maria Lopez said: "We will not back down from this fight."', [{ name: 'Maria Lopez', kind: 'quoted' }]],
    [
      '"The numbers speak for themselves and we are very happy," chairman and chief executive Richard Parsons said.',
      [{ name: 'Richard Parsons', kind: 'quoted', role: 'chairman and chief executive' }],
    ],
    ['The Wall Street Journal reported that the merger was off.', [{ name: 'Wall Street Journal', kind: 'cited' }]],
    ['The story was first reported by the Financial Times.', [{ name: 'Financial Times', kind: 'cited' }]],
    ['The minister told Reuters that talks would resume.', [{ name: 'Reuters', kind: 'cited' }]],
    [
      'Smith told the BBC: "It was the worst day of my life."',
      [
        { name: 'Smith', kind: 'quoted' },
        { name: 'BBC', kind: 'cited' },
      ],
    ],
    ['In a statement, Apple said it would appeal.', [{ name: 'Apple', kind: 'cited' }]],
    ['But Reuters reported that prices fell.', [{ name: 'Reuters', kind: 'cited' }]],
    ['President Joe Biden said the economy was strong.', [{ name: 'Joe Biden', kind: 'cited', role: 'President' }]],
    [
      'Home Secretary Priti Patel said the law would change.',
      [{ name: 'Priti Patel', kind: 'cited', role: 'Home Secretary' }],
    ],
  ];
  for (const [sentence, expected] of named) {
    it(`names: ${sentence}`, () => expect(findAttributions(sentence)).toEqual(expected));
  }

  const nobody = [
    'According to the report, sales fell.',
    'According to him, the team wanted more.',
    'He said the plan would fail.',
    '"I\'m delighted to be here today," she said.',
    'It says the figures are wrong.',
    'Sources said the talks had stalled.',
    'Officials told reporters the road was closed.',
    'Police said the suspect fled.',
    'The company said profits rose.',
    'They told the court he was innocent.',
    'A spokesperson for the council said it was reviewing the case.',
    '"It was a mistake," said the spokesman.',
    'Netflix calls it a success.',
    'Writers and actors are concerned, the studio assures: the AI is just a supporting tool.',
    'The report said: "Ted Smith told everyone the plan was dead."',
  ];
  for (const sentence of nobody) {
    it(`names nobody: ${sentence}`, () => expect(findAttributions(sentence)).toEqual([]));
  }
});

describe('extractSources merging, links and feeds', () => {
  it('lists a name once with all of its evidence, surname mentions included', () => {
    const draft = draftOf([
      'Anna Koirala said the shelter was damaged.',
      '"The girls are terrified but safe for now," Koirala said.',
      'According to Reuters, aid is on the way. Reuters reported that roads are closed.',
    ]);
    const sources = extractSources(draft);
    expect(sources.map((s) => s.name)).toEqual(['Anna Koirala', 'Reuters']);
    expect(sources[0]!.kinds).toEqual(['cited', 'quoted']);
    expect(sources[0]!.evidence).toHaveLength(2);
    expect(sources[1]!.evidence.map((e) => e.text)).toEqual([
      'According to Reuters, aid is on the way.',
      'Reuters reported that roads are closed.',
    ]);
  });

  it("adds links from the text or front matter and the feed title, never the article's own page", () => {
    const draft = draftOf(['The council approved the plan.'], {
      links: [
        { url: 'https://www.example.org/report.pdf', text: 'the full report' },
        { url: 'https://data.example.com/x' },
        { url: 'https://news.example.net/story/1#comments' },
      ],
      url: 'https://news.example.net/story/1',
    });
    const sources = extractSources(draft, { title: 'Example News', link: 'https://news.example.net/' });
    expect(sources).toEqual([
      {
        name: 'the full report',
        kinds: ['link'],
        evidence: [{ kind: 'link', text: 'the full report <https://www.example.org/report.pdf>' }],
        url: 'https://www.example.org/report.pdf',
      },
      {
        name: 'data.example.com',
        kinds: ['link'],
        evidence: [{ kind: 'link', text: 'https://data.example.com/x' }],
        url: 'https://data.example.com/x',
      },
      {
        name: 'Example News',
        kinds: ['publisher'],
        evidence: [{ kind: 'publisher', text: 'Feed: Example News' }],
        url: 'https://news.example.net/',
      },
    ]);
  });

  it('attributes an unattributed quotation paragraph only to a speaker named just before', () => {
    const withSpeaker = draftOf([
      'Finance minister Lena Berg presented the budget on Tuesday. According to her, taxes will not rise.',
      '"We have balanced the books without asking families to pay more than they already do."',
    ]);
    expect(extractSources(withSpeaker)).toEqual([
      {
        name: 'Lena Berg',
        role: 'Finance minister',
        kinds: ['quoted'],
        evidence: [
          {
            kind: 'quoted',
            text: '"We have balanced the books without asking families to pay more than they already do."',
          },
        ],
      },
    ]);
    const noSpeaker = draftOf([
      'The budget was presented on Tuesday.',
      '"We have balanced the books without asking families to pay more."',
    ]);
    expect(extractSources(noSpeaker)).toEqual([]);
  });
});
