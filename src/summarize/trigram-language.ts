import { data } from 'franc-min/data.js';
import { expressions } from 'franc-min/expressions.js';

/**
 * franc-min's answer, computed over an index built once. franc keeps one object per language and
 * looks every trigram of the text up in each of them (44 Latin-script models, about 0.6 ms for
 * 600 characters, most of what summarising an article cost). Here one lookup per trigram finds its
 * rank in every model of the script at once. The scoring is franc's, term for term: the same
 * script choice, the same text cleaning, the same distance per language and the same tie order,
 * so the language named is always the one franc names (tests/summarize/trigram-language.test.ts
 * compares the two over real articles in many languages and over hostile text).
 */

/** franc's penalty for a trigram a model does not hold, and its longest sample. */
const MISSING = 300;
const MAX_LENGTH = 2048;

interface ScriptModels {
  languages: string[];
  /** Trigram → its row. Row `r` lists the models holding the trigram in `model[start[r] .. start[r + 1])`. */
  rows: Map<string, number>;
  /** The same rows for trigrams of three code units below 1024, keyed by `smallKey` (no string to cut). */
  smallRows: Map<number, number>;
  start: Int32Array;
  /** Which model (index into `languages`) and the trigram's rank in it. */
  model: Uint8Array;
  rank: Int16Array;
  /** Scratch: how often each row's trigram occurs in the text being scored (zero between calls). */
  counts: Int32Array;
}

/** Three code units below 1024 as one small integer, or -1. */
const smallKey = (a: number, b: number, c: number): number => ((a | b | c) < 1024 ? (a << 20) | (b << 10) | c : -1);

function buildModels(models: Record<string, string>): ScriptModels {
  const languages = Object.keys(models);
  const perRow: Map<number, number>[] = [];
  const rows = new Map<string, number>();
  languages.forEach((language, l) => {
    models[language]!.split('|').forEach((trigram, rank) => {
      let row = rows.get(trigram);
      if (row === undefined) {
        row = rows.size;
        rows.set(trigram, row);
        perRow.push(new Map());
      }
      // A trigram listed twice in one model keeps its first (lowest) rank, as franc's object does.
      if (!perRow[row]!.has(l)) perRow[row]!.set(l, rank);
    });
  });
  const start = new Int32Array(perRow.length + 1);
  perRow.forEach((held, row) => {
    start[row + 1] = start[row]! + held.size;
  });
  const model = new Uint8Array(start[perRow.length]!);
  const rank = new Int16Array(model.length);
  perRow.forEach((held, row) => {
    let at = start[row]!;
    for (const [l, r] of held) {
      model[at] = l;
      rank[at++] = r;
    }
  });
  const smallRows = new Map<number, number>();
  for (const [trigram, row] of rows) {
    const key = smallKey(trigram.charCodeAt(0), trigram.charCodeAt(1), trigram.charCodeAt(2));
    if (trigram.length === 3 && key >= 0) smallRows.set(key, row);
  }
  return { languages, rows, smallRows, start, model, rank, counts: new Int32Array(perRow.length) };
}

const built = new Map<string, ScriptModels>();
/** A script's index, built on first use (Latin takes about 10 ms; most processes never see Cyrillic). */
function modelsFor(script: string): ScriptModels | undefined {
  const models = (data as Record<string, Record<string, string> | undefined>)[script];
  if (!models || !Object.hasOwn(data, script)) return undefined;
  let index = built.get(script);
  if (!index) {
    index = buildModels(models);
    built.set(script, index);
  }
  return index;
}

const LATIN = expressions.Latin!;
const SURROGATE = /[\ud800-\udfff]/;

/** How many matches of Latin's expression the text holds (without building the array of them). */
function latinCount(value: string): number {
  // Without surrogates every match is one code unit, so the units removed are the matches.
  if (!SURROGATE.test(value)) return value.length - value.replace(LATIN, '').length;
  return value.match(LATIN)?.length ?? 0;
}

/** The script whose characters are the largest share of the text; the first listed wins a tie. */
function topScript(value: string): { script: string | undefined; share: number } {
  // No other script's expression matches a character Latin's does (trigram-language.test.ts checks
  // it), so a Latin majority is the answer without scanning for the other 19.
  const latin = latinCount(value) / value.length || 0;
  if (latin > 0.5) return { script: 'Latin', share: latin };
  let script: string | undefined;
  let share = -1;
  for (const [name, expression] of Object.entries(expressions)) {
    const found = (value.match(expression)?.length ?? 0) / value.length || 0;
    if (found > share) {
      share = found;
      script = name;
    }
  }
  return { script, share };
}

/** franc's (trigram-utils') cleaning: ASCII punctuation and digits become spaces, runs of space one, lower case. */
const cleanForTrigrams = (value: string): string =>
  ` ${value
    .replace(/[\u0021-\u0040]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()} `;

/**
 * Rows of the trigrams the text holds, each once, with its count left in `models.counts`. A trigram
 * no model of the script holds is skipped: it costs every model the same.
 */
function countKnownTrigrams(clean: string, models: ScriptModels): number[] {
  const { rows, smallRows, counts } = models;
  const touched: number[] = [];
  for (let at = 0; at + 3 <= clean.length; at++) {
    const key = smallKey(clean.charCodeAt(at), clean.charCodeAt(at + 1), clean.charCodeAt(at + 2));
    const row = key >= 0 ? smallRows.get(key) : rows.get(clean.slice(at, at + 3));
    if (row === undefined) continue;
    if (counts[row] === 0) touched.push(row);
    counts[row]! += 1;
  }
  return touched;
}

/** The ISO 639-3 code franc-min's `franc(text, { minLength })` gives, or `und`. */
export function detectTrigramLanguage(text: string, minLength: number): string {
  if (!text || text.length < minLength) return 'und';
  const value = text.slice(0, MAX_LENGTH);
  const { script, share } = topScript(value);
  const models = script === undefined ? undefined : modelsFor(script);
  if (!models) return !script || share === 0 ? 'und' : script;
  const { languages, start, model, rank, counts } = models;
  // Every known trigram costs each model MISSING, less what the models that hold it save.
  const distance = new Float64Array(languages.length);
  for (const row of countKnownTrigrams(cleanForTrigrams(value), models)) {
    const count = counts[row]!;
    counts[row] = 0;
    for (let at = start[row]!; at < start[row + 1]!; at++) {
      distance[model[at]!]! += Math.abs(count - rank[at]! - 1) - MISSING;
    }
  }
  // Strictly less: among equal distances the model listed first wins, as in franc's stable sort.
  let best = 0;
  for (let l = 1; l < languages.length; l++) if (distance[l]! < distance[best]!) best = l;
  return languages[best]!;
}
