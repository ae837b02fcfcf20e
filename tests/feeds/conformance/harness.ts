import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collapse, htmlToText } from '../../../src/ingest/feeds/html-text.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const feedsCorpus = path.resolve(projectRoot, '../shared/corpus/feeds');
export const corpusPresent = existsSync(feedsCorpus);

export interface Failure {
  case: string;
  reason: string;
}

/** One suite's tally. `applicable` cases are those whose fields map to our feed/item model. */
export interface SuiteResult {
  suite: string;
  applicable: number;
  passed: number;
  notApplicable: number;
  failures: Failure[];
}

export function createTally(suite: string) {
  const result: SuiteResult = { suite, applicable: 0, passed: 0, notApplicable: 0, failures: [] };
  return {
    result,
    skip(): void {
      result.notApplicable++;
    },
    check(name: string, ok: boolean, reason: () => string): void {
      result.applicable++;
      if (ok) result.passed++;
      else result.failures.push({ case: name, reason: reason() });
    },
  };
}

/**
 * Our model holds clean text where other parsers hold (sanitised) HTML, with whitespace collapsed.
 * So a text field matches when it equals the expected value verbatim, or the expected value turned
 * into text by the same rules.
 */
export function textMatches(ours: string | undefined, expected: unknown): boolean {
  const want = expected === null || expected === undefined ? '' : String(expected);
  const got = ours ?? '';
  if (got === want) return true;
  const gotText = collapse(got);
  return (
    gotText === collapse(want) ||
    gotText === collapse(htmlToText(want)) ||
    collapse(htmlToText(got)) === collapse(htmlToText(want))
  );
}

/** Dates compare at whole-second precision (struct_time and several snapshots carry no millis). */
export function dateMatches(ours: string | undefined, expected: string | null | undefined): boolean {
  if (!expected) return ours === undefined;
  if (!ours) return false;
  return Math.floor(Date.parse(ours) / 1000) === Math.floor(Date.parse(expected) / 1000);
}

export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** URLs compare after WHATWG normalisation (host case, trailing root slash), as our model stores them. */
export function urlMatches(ours: string | undefined, expected: unknown): boolean {
  if (typeof expected !== 'string' || !ours) return textMatches(ours, expected);
  try {
    return new URL(ours).href === new URL(expected).href;
  } catch {
    return ours === expected;
  }
}
