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
  start: Int32Array;
  /** Which model (index into `languages`) and the trigram's rank in it. */
  model: Uint8Array;
  rank: Int16Array;
}

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
  return { languages, rows, start, model, rank };
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

/** The script whose characters are the largest share of the text; the first listed wins a tie. */
function topScript(value: string): { script: string | undefined; share: number } {
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
function trigramCounts(value: string): Map<string, number> {
  const clean = ` ${value
    .replace(/[\u0021-\u0040]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()} `;
  const counts = new Map<string, number>();
  for (let at = 0; at + 3 <= clean.length; at++) {
    const trigram = clean.slice(at, at + 3);
    counts.set(trigram, (counts.get(trigram) ?? 0) + 1);
  }
  return counts;
}

/** The ISO 639-3 code franc-min's `franc(text, { minLength })` gives, or `und`. */
export function detectTrigramLanguage(text: string, minLength: number): string {
  if (!text || text.length < minLength) return 'und';
  const value = text.slice(0, MAX_LENGTH);
  const { script, share } = topScript(value);
  const models = script === undefined ? undefined : modelsFor(script);
  if (!models) return !script || share === 0 ? 'und' : script;
  const { languages, rows, start, model, rank } = models;
  // Every known trigram costs each model MISSING, less what the models that hold it save; a trigram
  // no model of the script holds costs all of them the same, so it cannot change the winner.
  const distance = new Float64Array(languages.length);
  for (const [trigram, count] of trigramCounts(value)) {
    const row = rows.get(trigram);
    if (row === undefined) continue;
    for (let at = start[row]!; at < start[row + 1]!; at++) {
      distance[model[at]!]! += Math.abs(count - rank[at]! - 1) - MISSING;
    }
  }
  // Strictly less: among equal distances the model listed first wins, as in franc's stable sort.
  let best = 0;
  for (let l = 1; l < languages.length; l++) if (distance[l]! < distance[best]!) best = l;
  return languages[best]!;
}
