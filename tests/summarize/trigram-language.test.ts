import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { franc } from 'franc-min';
import { expressions } from 'franc-min/expressions.js';
import { describe, expect, it } from 'vitest';
import { detectTrigramLanguage } from '../../src/summarize/trigram-language.js';
import { projectRoot, sharedDir } from './corpus.js';

// The indexed detector must name exactly what franc-min names, for every input: it replaces franc's
// lookups, not its judgement. franc-min itself is the oracle here.
const MIN_LENGTH = 20;
const same = (text: string) =>
  expect(detectTrigramLanguage(text, MIN_LENGTH)).toBe(franc(text, { minLength: MIN_LENGTH }));

/** Slices at several offsets and lengths: short ones sit near the `und` threshold, 600 is what the summariser samples. */
function samples(text: string, stride: number, max: number): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length && out.length < max; at += stride)
    for (const length of [19, 20, 25, 60, 600, 2_500]) out.push(text.slice(at, at + length));
  return out;
}

describe('trigram language detection', () => {
  const fixture = path.join(projectRoot, 'tests/summarize/fixtures/languages.json');
  const articles = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, string[]>;

  it('names what franc-min names on the handwritten articles, whole and in slices', () => {
    const named = new Set<string>();
    for (const paragraphs of Object.values(articles)) {
      const text = paragraphs.join('\n\n');
      named.add(franc(text, { minLength: MIN_LENGTH }));
      for (const sample of [text, ...paragraphs, ...samples(text, 37, 400)]) same(sample);
    }
    // The fixture spans several languages, so a detector stuck on one answer would fail above.
    expect(named.size).toBeGreaterThanOrEqual(8);
  });

  it('names what franc-min names on odd and hostile text', () => {
    const odd = [
      '',
      '1234567890 1234567890 1234567890',
      '!!!???...,,,;;;::: ((())) [[[]]] {{{}}}',
      'İSTANBUL İZMİR ıiİI ßẞ ǅǆ — the Turkish dotted capital grows when lower-cased',
      'Москва и Санкт-Петербург готовятся к зиме, сообщили власти в понедельник.',
      'القاهرة تستعد لفصل الشتاء بحسب ما أعلنت السلطات يوم الاثنين',
      'नई दिल्ली में सर्दी की तैयारी शुरू हो गई है, अधिकारियों ने सोमवार को कहा।',
      '東京では冬の準備が始まったと当局が月曜日に発表しました。',
      '北京市政府周一宣布，城市已开始为冬季做准备。',
      'Ελλάδα: η κυβέρνηση ανακοίνωσε τη Δευτέρα νέα μέτρα για τον χειμώνα.',
      'Mixed Латиница and Кириллица in one sentence, half and half, to test the script vote.',
      '😀😃😄😁 emoji only 😆😅😂🤣 with a few words between them 🙂🙃',
      '\ud800 lone surrogates \udfff in the middle of English words and sentences',
      'a'.repeat(5_000),
      'the '.repeat(1_000),
      'Sentence 1 says item1 matters. '.repeat(300),
    ];
    for (const text of odd) for (const sample of [text, ...samples(text, 211, 60)]) same(sample);
  });

  it("lets no other script's expression match a character Latin's does (the Latin-majority shortcut rests on it)", () => {
    const latin = new RegExp(expressions.Latin!.source);
    const others = Object.entries(expressions)
      .filter(([name]) => name !== 'Latin')
      .map(([name, expression]) => [name, new RegExp(expression.source)] as const);
    const shared: string[] = [];
    let latinCount = 0;
    // Every BMP code unit, lone surrogates included (Latin's astral letters are surrogate pairs).
    for (let code = 0; code < 0x10000; code++) {
      const char = String.fromCharCode(code);
      const isLatin = latin.test(char);
      if (isLatin) latinCount++;
      for (const [name, expression] of others)
        if ((isLatin || (code >= 0xd800 && code <= 0xdfff)) && expression.test(char)) shared.push(name);
    }
    expect(latinCount).toBeGreaterThan(1_000);
    expect(shared).toEqual([]);
  });

  const feeds = path.join(sharedDir, 'corpus', 'feeds');
  const missing = !existsSync(feeds);
  if (missing) console.warn(`[skip] trigram language on real feeds: ${feeds} not found (../shared is absent)`);
  it.skipIf(missing)('names what franc-min names on real feeds in many languages', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir).sort()) {
        const file = path.join(dir, name);
        const info = statSync(file);
        if (info.isDirectory()) walk(file);
        else if (info.size < 2_000_000) files.push(file);
      }
    };
    walk(feeds);
    const named = new Set<string>();
    let compared = 0;
    // Every 7th file keeps the run short; which files is fixed, so a failure reproduces.
    for (const file of files.filter((_, i) => i % 7 === 0)) {
      for (const sample of samples(readFileSync(file, 'utf8'), 1_499, 24)) {
        named.add(franc(sample, { minLength: MIN_LENGTH }));
        same(sample);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1_000);
    expect(named.size).toBeGreaterThanOrEqual(10);
  });
});
