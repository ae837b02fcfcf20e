import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runSummarizeLines } from '../../src/entry/summarize-lines.js';
import { summarizeText } from '../../src/summarize/summarize.js';
import { seedText } from './seed.js';

async function run(lines: string[], sentences = 3): Promise<Array<Record<string, unknown>>> {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const done = runSummarizeLines({ input, output, sentences });
  input.end(lines.join('\n'));
  await done;
  return chunks
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('runSummarizeLines', () => {
  it('answers each JSON line with the bot summary joined by spaces, in order', async () => {
    const text = seedText();
    const out = await run(
      [
        JSON.stringify({ id: 'seed', text }),
        JSON.stringify({ id: 2, text: 'Tiny. The council met on Monday evening. The vote passed by nine to four.' }),
      ],
      2,
    );
    expect(out).toEqual([
      { id: 'seed', summary: summarizeText(text, { sentences: 2 }).sentences.join(' ') },
      { id: 2, summary: 'The council met on Monday evening. The vote passed by nine to four.' },
    ]);
  });

  it('reports a bad line and carries on', async () => {
    const out = await run([
      'not json',
      '',
      JSON.stringify({ id: 'x' }),
      '[1,2]',
      JSON.stringify({ id: 'ok', text: 'Fine sentence here.' }),
    ]);
    expect(out).toEqual([
      { id: null, error: 'line is not valid JSON' },
      { id: 'x', error: '"text" must be a string' },
      { id: null, error: 'line must be a JSON object' },
      { id: 'ok', summary: 'Fine sentence here.' },
    ]);
  });
});
