import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/summarize/sentences.js';

describe('splitSentences', () => {
  const cases: Array<[string, string, string[]]> = [
    ['titles before names', 'Mr. Smith met Dr. Jones. They talked.', ['Mr. Smith met Dr. Jones.', 'They talked.']],
    [
      'decimals and money',
      'Profits rose 2.5% to $1.13bn (£600m). Shares fell.',
      ['Profits rose 2.5% to $1.13bn (£600m).', 'Shares fell.'],
    ],
    ['initials', 'J. K. Rowling wrote it. Fans queued.', ['J. K. Rowling wrote it.', 'Fans queued.']],
    ['acronym inside a sentence', 'The U.S. Army said so. It left.', ['The U.S. Army said so.', 'It left.']],
    [
      'acronym ending a sentence',
      'He moved to the U.S. The move paid off.',
      ['He moved to the U.S.', 'The move paid off.'],
    ],
    [
      'company suffix',
      'Profits rose at Apple Inc. The firm was pleased.',
      ['Profits rose at Apple Inc.', 'The firm was pleased.'],
    ],
    ['question and exclamation', 'Why now? Nobody knows! Wait.', ['Why now?', 'Nobody knows!', 'Wait.']],
    [
      'period inside a closing quote',
      'It is "an exploratory approach." This is new.',
      ['It is "an exploratory approach."', 'This is new.'],
    ],
    [
      'short quotation kept whole',
      '"We lost. We regroup." The coach left.',
      ['"We lost. We regroup."', 'The coach left.'],
    ],
    [
      'attribution after a quotation stays',
      '"We lost." said the coach. Fans left.',
      ['"We lost." said the coach.', 'Fans left.'],
    ],
    ['ellipsis', 'He paused... Then he spoke.', ['He paused...', 'Then he spoke.']],
    ['times', 'It starts at 3 p.m. on Friday. Bring water.', ['It starts at 3 p.m. on Friday.', 'Bring water.']],
    [
      'lower-cased tokenised text',
      "( cnn ) two heroes survived . `` we are suffering . it is hard . '' said koirala . the u.s. army helped .",
      [
        '( cnn ) two heroes survived .',
        "`` we are suffering . it is hard . '' said koirala .",
        'the u.s. army helped .',
      ],
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => expect(splitSentences(input)).toEqual(expected));
  }

  it('never loses text', () => {
    const text = 'A b. C d! "E f?" g h. I. J k... L m';
    expect(splitSentences(text).join(' ')).toBe(text);
  });

  it('returns nothing for blank input', () => {
    expect(splitSentences('  \n ')).toEqual([]);
  });
});
