/**
 * A rule-based sentence splitter for news prose. A boundary is a run of terminators (. ! ? …)
 * plus any closing quotes or brackets, followed by whitespace and something that can start a
 * sentence. It refuses to split after titles (Mr., Dr.), after initials (J. K. Rowling), after
 * ambiguous abbreviations (U.S., Inc.) unless a typical sentence opener follows, inside numbers
 * (3.5, no whitespace) and inside a short quotation that closes in the same text.
 */

/** Abbreviations that are always followed by more of the same sentence (usually a name). */
const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'rev',
  'fr',
  'sr',
  'st',
  'gen',
  'lt',
  'col',
  'maj',
  'capt',
  'cpt',
  'sgt',
  'cpl',
  'adm',
  'cmdr',
  'gov',
  'sen',
  'rep',
  'rept',
  'pres',
  'supt',
  'det',
  'insp',
  'hon',
  'messrs',
  'mme',
  'mlle',
  'mt',
  'ft',
  'no',
  'nos',
  'vs',
  'v',
  'cf',
  'approx',
  'fig',
  'figs',
  'vol',
  'pp',
  'p',
  'ch',
  'art',
  'sec',
  'e.g',
  'i.e',
  'al',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'ave',
  'blvd',
  'rd',
]);

/**
 * Abbreviations that stand before more of the same sentence, per language. The English list is not
 * shared: "no." ends Spanish sentences and "me." French ones would never split.
 */
const TITLES_BY_LANGUAGE: Record<string, ReadonlySet<string>> = {
  en: TITLES,
  de: new Set(
    (
      'dr prof hr hrn fr frl nr str bzw ca vgl z.b u.a d.h mio mrd tel abs bspw evtl inkl ggf jh sog geb ' +
      'gest dipl ing mag st jan feb jun jul aug sept okt nov dez'
    ).split(' '),
  ),
  fr: new Set(
    'm mm mme mmes mlle mlles me mgr pr dr st ste cf p.ex av bd env janv févr avr juil sept oct nov déc'.split(' '),
  ),
  es: new Set(
    (
      'sr sra srta sres dr dra d dña ud uds av avda núm pág ee lic ing prof profa gral excmo excma ' +
      'sto sta ene feb abr ago sept oct nov dic'
    ).split(' '),
  ),
  it: new Set('sig sig.ra sigg dott dott.ssa prof prof.ssa avv ing arch geom on pag gen mons rag egr gent'.split(' ')),
  pt: new Set(
    (
      'sr sra srta dr dra prof profa eng av pág exmo exma v.exa sto sta p.ex jan fev abr jun jul ago set ' +
      'out nov dez'
    ).split(' '),
  ),
  nl: new Set(
    (
      'dhr mevr mr dr drs ir ing prof bijv o.a i.p.v m.b.t nr blz ca d.w.z mln mld st jl mw jan feb mrt ' +
      'apr jun jul aug sep okt nov dec'
    ).split(' '),
  ),
};

/** Abbreviations that may also end a sentence ("… the U.S. The next …"). */
const AMBIGUOUS = new Set([
  'inc',
  'corp',
  'co',
  'ltd',
  'plc',
  'llc',
  'bros',
  'jr',
  'etc',
  'u.s',
  'u.k',
  'u.n',
  'e.u',
  'a.m',
  'p.m',
  'd.c',
  'l.a',
  'n.y',
  'ph.d',
  'esq',
  'dept',
  'est',
  'govt',
  'assn',
  'univ',
]);

/** Words that commonly open a sentence; after an ambiguous abbreviation they signal a boundary. */
const OPENERS = new Set([
  'the',
  'a',
  'an',
  'he',
  'she',
  'it',
  'they',
  'we',
  'i',
  'you',
  'his',
  'her',
  'its',
  'their',
  'our',
  'this',
  'that',
  'these',
  'those',
  'there',
  'but',
  'and',
  'or',
  'so',
  'yet',
  'however',
  'meanwhile',
  'in',
  'on',
  'at',
  'for',
  'after',
  'before',
  'when',
  'while',
  'if',
  'as',
  'since',
  'although',
  'though',
  'last',
  'earlier',
  'later',
  'now',
  'then',
  'some',
  'many',
  'most',
  'other',
  'others',
  'one',
  'two',
  'what',
  'who',
  'why',
  'how',
  'where',
  'according',
  'officials',
  'police',
  'shares',
  'analysts',
]);

const SPEECH_VERBS = new Set(['said', 'says', 'added', 'asked', 'told', 'explained', 'continued', 'wrote']);

const TERMINATOR = /[.!?…]/;
const CLOSERS = new Set(['"', '”', '’', "'", ')', ']', '»']);
/** A quotation longer than this is treated as several sentences, not one unit. */
const MAX_PROTECTED_QUOTE = 400;

/** True when the text has almost no capitals (lower-cased corpora such as CNN/DailyMail). */
function isLowerCased(text: string): boolean {
  let upper = 0;
  let letters = 0;
  for (const ch of text) {
    if (ch >= 'a' && ch <= 'z') letters++;
    else if (ch >= 'A' && ch <= 'Z') {
      letters++;
      upper++;
    }
  }
  return letters > 40 && upper / letters < 0.005;
}

/** The word right before position `end` (exclusive), with inner dots kept ("U.S"). */
function wordBefore(text: string, end: number): string {
  let start = end;
  while (start > 0 && /[\p{L}\p{N}.]/u.test(text[start - 1]!)) start--;
  return text.slice(start, end).replace(/^\.+/, '');
}

function wordAfter(text: string, start: number): string {
  const m = /^[\s"“‘'([«`]*([\p{L}\p{N}']+)/u.exec(text.slice(start, start + 40));
  return m?.[1] ?? '';
}

/** For each straight or curly double quote that opens a short quotation, where it closes. */
function protectedQuoteRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    // Tokenised corpora write quotes as `` … '' (PTB style).
    const pair = text.startsWith('``', i) ? 'open' : text.startsWith("''", i) ? 'close' : '';
    const opens = ch === '“' || pair === 'open' || (ch === '"' && open < 0);
    const closes = ch === '”' || pair === 'close' || (ch === '"' && open >= 0);
    if (pair) i++;
    if (closes && open >= 0) {
      if (i - open <= MAX_PROTECTED_QUOTE) ranges.push([open, i]);
      open = -1;
    } else if (opens) {
      open = i;
    }
  }
  return ranges;
}

function isBoundary(text: string, dotStart: number, next: number, lower: boolean, language: string): boolean {
  const nextCh = text[next];
  if (nextCh === undefined) return true;
  const startsOk = lower ? /[\p{L}\p{N}"“‘'([«`]/u.test(nextCh) : /[\p{Lu}\p{N}"“‘'([«`]/u.test(nextCh);
  if (!startsOk) return false;
  if (text[dotStart] !== '.' || text.slice(dotStart, dotStart + 3) === '...') return true;
  const word = wordBefore(text, dotStart);
  const key = word.toLowerCase();
  const following = wordAfter(text, next).toLowerCase();
  if ((TITLES_BY_LANGUAGE[language] ?? TITLES).has(key)) return false;
  // "z. B.", "u. a.", "d. h.": a single lower-case letter with a dot abbreviates a word.
  if (/^\p{Ll}$/u.test(word)) return false;
  if (language !== 'en') return !/^\p{Lu}$/u.test(word) && !/^(\p{L}\.)+\p{L}$/u.test(word);
  // `"We lost." said Koirala` — the attribution belongs to the quotation before it.
  if (SPEECH_VERBS.has(following) && CLOSERS.has(text[next - 2] ?? '')) return false;
  // A single capital (an initial) or a dotted acronym only ends a sentence before a typical opener.
  if (AMBIGUOUS.has(key) || /^\p{Lu}$/u.test(word) || /^(\p{L}\.)+\p{L}$/u.test(word)) return OPENERS.has(following);
  return true;
}

// Ingest splits each paragraph twice (summary, then sources): remember the last few answers.
const recent = new Map<string, readonly string[]>();
const RECENT = 64;

/** Splits one paragraph (or any run of prose) into trimmed English sentences; never drops text. */
export function splitSentences(text: string): string[] {
  return splitSentencesIn(text, 'en');
}

/** The same in a supported language (ISO 639-1), which picks the abbreviation list. */
export function splitSentencesIn(text: string, language: string): string[] {
  const cacheKey = language === 'en' ? text : `${language}\u0000${text}`;
  const known = recent.get(cacheKey);
  if (known) return [...known];
  const sentences = splitUncached(text, language);
  if (recent.size >= RECENT) recent.delete(recent.keys().next().value!);
  recent.set(cacheKey, sentences);
  return [...sentences];
}

function splitUncached(text: string, language: string): string[] {
  const source = text.replace(/\s+/g, ' ').trim();
  if (source.length === 0) return [];
  const lower = isLowerCased(source);
  const quotes = protectedQuoteRanges(source);
  // The ranges are sorted and disjoint and positions only grow: one moving cursor keeps this linear.
  let cursor = 0;
  const insideQuote = (pos: number): boolean => {
    while (cursor < quotes.length && quotes[cursor]![1] <= pos) cursor++;
    const range = quotes[cursor];
    return range !== undefined && pos > range[0] && pos < range[1];
  };
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < source.length) {
    if (!TERMINATOR.test(source[i]!)) {
      i++;
      continue;
    }
    const dotStart = i;
    while (i < source.length && TERMINATOR.test(source[i]!)) i++;
    while (i < source.length && CLOSERS.has(source[i]!)) i++;
    // Tokenised corpora write a closing quote as a separate token: "… very hard . '' koirala said".
    if (source.startsWith(" ''", i)) i += 3;
    if (source[i] !== ' ' && i < source.length) continue;
    const next = i + 1;
    if (insideQuote(i)) continue;
    if (i >= source.length || isBoundary(source, dotStart, next, lower, language)) {
      const sentence = source.slice(start, i).trim();
      if (sentence) out.push(sentence);
      start = next;
    }
  }
  const rest = source.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}
