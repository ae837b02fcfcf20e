import { RE2JS } from 're2js';
import { NewsdeskError } from './errors.js';

/**
 * Subscription regexes come from anyone who manages a channel, so they run on RE2 (re2js, pure
 * JavaScript): matching time is linear in the text, whatever the pattern. V8's backtracking engine
 * takes exponential time on patterns such as `(\w+\s?)+$`.
 */

const MAX_REGEX = 200;

/** A compiled filter regex. */
export interface FilterRegex {
  test(text: string): boolean;
}

/** Perl and JavaScript features RE2 refuses, named so the refusal can say which one was used. */
const UNSUPPORTED: { pattern: RegExp; name: string }[] = [
  { pattern: /\\[1-9]/, name: 'backreferences (\\1)' },
  { pattern: /\\k</, name: 'named backreferences (\\k<name>)' },
  { pattern: /\(\?<[=!]/, name: 'lookbehind ((?<= or (?<!)' },
  { pattern: /\(\?[=!]/, name: 'lookahead ((?= or (?!)' },
  { pattern: /\(\?>/, name: 'atomic groups ((?>)' },
  { pattern: /[*+?}][+]/, name: 'possessive quantifiers (*+, ++)' },
];

const FLAG_BITS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL };
/** `g`, `y`, `u` and `d` change nothing for a yes/no test (RE2 is Unicode-aware anyway). */
const IGNORED_FLAGS = new Set(['g', 'y', 'u', 'd']);

/** The unsupported feature a pattern uses, if any. Escaped backslashes are skipped first. */
function unsupportedFeature(source: string): string | undefined {
  const unescaped = source.replace(/\\\\/g, '');
  return UNSUPPORTED.find((feature) => feature.pattern.test(unescaped))?.name;
}

/**
 * `/pattern/flags` → a linear-time matcher. Case-insensitive unless the pattern has a capital
 * letter or an explicit `i`. Throws a `bad_input` error that says what is wrong.
 */
export function compileFilterRegex(written: string): FilterRegex {
  const match = /^\/(.+)\/([a-z]*)$/s.exec(written);
  if (!match || written.length > MAX_REGEX) {
    throw new NewsdeskError('bad_input', `A filter regex is written /pattern/flags, at most ${MAX_REGEX} characters.`);
  }
  const source = match[1]!;
  const flags = match[2]!;
  let bits = flags.includes('i') || /[A-Z]/.test(source) ? 0 : RE2JS.CASE_INSENSITIVE;
  for (const flag of flags) {
    if (FLAG_BITS[flag] !== undefined) bits |= FLAG_BITS[flag]!;
    else if (!IGNORED_FLAGS.has(flag)) {
      throw new NewsdeskError('bad_input', `The filter regex flag "${flag}" is not supported (use i, m or s).`);
    }
  }
  const feature = unsupportedFeature(source);
  if (feature) {
    const message = `The filter regex uses ${feature}, which the linear-time regex engine cannot run.`;
    throw new NewsdeskError('bad_input', message);
  }
  try {
    const compiled = RE2JS.compile(source, bits);
    return { test: (text) => compiled.matcher(text).find() };
  } catch (err) {
    const reason = (err as Error).message.replace(/^error parsing regexp: /, '').replace(/\.?$/, '.');
    throw new NewsdeskError('bad_input', `The filter regex is not valid: ${reason}`);
  }
}

/** Why a stored filter regex cannot run any more, or undefined when it can (or there is none). */
export function regexProblem(written: string | undefined): string | undefined {
  if (!written) return undefined;
  try {
    compileFilterRegex(written);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
