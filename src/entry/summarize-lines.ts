import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { summarizeText } from '../summarize/summarize.js';

export interface SummarizeLinesOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  sentences: number;
}

type Line = { id: string | number | null; summary: string } | { id: string | number | null; error: string };

function handle(raw: string, sentences: number): Line {
  let record: unknown;
  try {
    record = JSON.parse(raw);
  } catch {
    return { id: null, error: 'line is not valid JSON' };
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    return { id: null, error: 'line must be a JSON object' };
  const { id: rawId, text, title } = record as Record<string, unknown>;
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
  if (id === null) return { id, error: '"id" must be a string or a number' };
  if (typeof text !== 'string') return { id, error: '"text" must be a string' };
  const summary = summarizeText(text, { sentences, ...(typeof title === 'string' && title ? { title } : {}) });
  return { id, summary: summary.sentences.join(' ') };
}

/**
 * `news summarize`: JSON lines `{"id","text"}` in, `{"id","summary"}` out, one for one and in
 * order. A bad line is answered with `{"id","error"}` and the run carries on. Resolves when the
 * input ends and everything has been written.
 */
export async function runSummarizeLines(options: SummarizeLinesOptions): Promise<void> {
  const lines = createInterface({ input: options.input, crlfDelay: Infinity });
  for await (const raw of lines) {
    if (!raw.trim()) continue;
    const out = `${JSON.stringify(handle(raw, options.sentences))}\n`;
    if (!options.output.write(out)) await once(options.output, 'drain');
  }
}
