import { findOrganisations } from './organisations.js';
import { endsWithHead, isRolePhrase, ROLE_EDGE_BLOCK, ROLE_HEADS, ROLE_WORDS, SURNAME_TITLES } from './roles.js';

/**
 * Attribution patterns over one sentence: who is cited or quoted, by name. The rule of thumb is
 * "name it or leave it": only capitalised proper names count, never pronouns, generic nouns
 * ("the report", "officials", "sources") or sentence-initial function words.
 */

export interface Attribution {
  name: string;
  role?: string;
  kind: 'cited' | 'quoted';
}

const SPEECH =
  'said|says|say|told|tells|added|adds|explained|explains|stated|states|wrote|writes|announced|announces|noted|notes|insisted|insists|argued|argues|warned|warns|claimed|claims|admitted|admits|confirmed|confirms|reported|reports|asked|asks|replied|replies';
/** Verbs that credit a characterisation to someone only when a quotation follows: Netflix "calls it" an "exploratory approach". */
const LABELLING = 'calls|called|describes|described|dubs|dubbed|terms|termed';
const REPORTED = new Set(['reported', 'reports']);

/** A capitalised word, possibly hyphenated or with an inner capital (McDonald, O'Neill, GenAI). */
// Bounded too: "A.A.A.A…" lets a word start after every dot, and each start would otherwise run to the end.
const CAP = String.raw`(?:\p{Lu}(?:[\p{L}\p{N}&.-]|['’](?![sS]\b)){0,40}|\p{N}{1,12}\p{L}{0,12})`;
/** A proper name: capitalised words joined by spaces, with lower-case particles inside. */
// At most seven words: an unbounded run of capitalised words made every start position scan to the end
// of "Officials said Ab Ab Ab …" (99 KB took 14.9 s); bounded, each start costs a constant.
const NAME = String.raw`(?<![\p{L}\p{N}'’-])${CAP}(?:\s+(?:(?:of|for|and|de|da|del|van|von|der|la|le|al|bin|on)\s+)?${CAP}){0,6}`;

/** Words that are capitalised only because they start a sentence, or that name nobody. */
const NOT_A_NAME = new Set(
  (
    'the a an this that these those it its he she they we i you his her their our my your him them us ' +
    'there here but and or so yet then when while if as after before during since although though because ' +
    'however meanwhile also still now today yesterday tomorrow earlier later last next in on at for with by from ' +
    'police officials official analysts analyst experts expert critics sources source witnesses residents ' +
    'authorities researchers scientists investigators prosecutors doctors reports report studies study data ' +
    'figures statement spokesman spokeswoman spokesperson people many some others most both several few ' +
    'company firm government ministry department agency court judge lawyers lawyer family friends neighbours ' +
    'neighbors fans users customers observers insiders commentators someone everyone nobody somebody all ' +
    'monday tuesday wednesday thursday friday saturday sunday according ' +
    'opponents supporters campaigners protesters protestors ministers mps cabinet unions teachers parents voters ' +
    'executives bosses managers economists banks investors traders shareholders consumers employees workers staff ' +
    'officers troops rebels militants activists lawmakers legislators regulators organisers organizers members ' +
    'participants survivors victims relatives scientists engineers developers owners buyers sellers players'
  ).split(' '),
);

/** Leading title words written as part of the name ("President Joe Biden") become the role. */
function splitTitle(name: string): { name: string; role?: string } {
  const words = name.split(/\s+/);
  // The role ends at the last head word that still leaves a name behind it:
  // "Trade and Industry Secretary Patricia Hewitt", "Chief Executive Tim Cook", "President Biden".
  for (let cut = words.length - 1; cut >= 1; cut--) {
    const head = words[cut - 1]!.toLowerCase();
    if (!ROLE_HEADS.has(head)) continue;
    const rest = words.slice(cut);
    if (rest.length >= 2 || (cut === 1 && SURNAME_TITLES.has(head)))
      return { name: rest.join(' '), role: words.slice(0, cut).join(' ') };
  }
  return { name };
}

function cleanName(raw: string): string | undefined {
  let name = raw
    .replace(/['’]s$/u, '')
    .replace(/[.,;:]+$/, '')
    .trim();
  const words = name.split(/\s+/);
  while (words.length > 0 && NOT_A_NAME.has(words[0]!.toLowerCase())) words.shift();
  name = words.join(' ');
  if (!name || NOT_A_NAME.has(name.toLowerCase())) return undefined;
  if (!/^\p{Lu}|^\p{N}/u.test(name) || !/\p{L}/u.test(name)) return undefined;
  return name;
}

/** A role phrase written right before a name, read backwards: "chairman and chief executive". */
function roleBefore(text: string, nameStart: number): string | undefined {
  const words = text.slice(0, nameStart).trimEnd().split(/\s+/);
  const role: string[] = [];
  while (words.length > 0 && role.length < 5) {
    const w = words[words.length - 1]!.replace(/[,(]$/, '');
    if (!ROLE_WORDS.has(w.toLowerCase()) || w !== words[words.length - 1]) break;
    role.unshift(w);
    words.pop();
  }
  while (role.length > 0 && ROLE_EDGE_BLOCK.has(role[0]!.toLowerCase())) role.shift();
  while (role.length > 0 && ROLE_EDGE_BLOCK.has(role[role.length - 1]!.toLowerCase())) role.pop();
  return role.length > 0 && endsWithHead(role) ? role.join(' ') : undefined;
}

/** Apposition after a name: "Jane Doe, the company's chief executive, said" → "chief executive". */
function roleAfter(apposition: string | undefined): string | undefined {
  if (!apposition) return undefined;
  const words = apposition.trim().split(/\s+/);
  const start = words.findIndex((w) => ROLE_WORDS.has(w.toLowerCase()) && !ROLE_EDGE_BLOCK.has(w.toLowerCase()));
  if (start < 0) return undefined;
  return (
    words
      .slice(start)
      .join(' ')
      .replace(/[,.;]+$/, '') || undefined
  );
}

/** True when the sentence quotes at least `min` words of direct speech. */
export function quotedWords(sentence: string): number {
  let best = 0;
  for (const m of sentence.matchAll(/["“]([^"“”]+)["”]|``([^`']+)''|(?:^|\s)'([^']{10,})'(?=\s|[,.]|$)/g)) {
    const inner = m[1] ?? m[2] ?? m[3] ?? '';
    best = Math.max(best, inner.split(/\s+/).filter(Boolean).length);
  }
  return best;
}

/** Text in quotation marks makes the attribution "quoted", whatever its length (issue 16). */
const QUOTE_MIN_WORDS = 1;

/** Every named attribution in one sentence, in the order the patterns find them. */
// Built once: these run on every sentence of every article at ingest.
const ROLE_PHRASE = String.raw`(?:([a-z][\p{L}-]{0,30}(?:\s+[a-z][\p{L}-]{0,30}){0,3})\s+)?`;
const ACCORDING_TO = new RegExp(String.raw`\b[Aa]ccording to (?:the\s+)?${ROLE_PHRASE}(${NAME})`, 'gu');
const SUBJECT_VERB = new RegExp(
  String.raw`(${NAME})(,\s+[^,]{2,80}?,)?\s+(?:(?:has|have|had)\s+)?(?:also\s+|later\s+|itself\s+|himself\s+|herself\s+)?(${SPEECH}|${LABELLING})\b`,
  'gu',
);
const LABELLING_VERB = new RegExp(`^(?:${LABELLING})$`);
const INVERTED = new RegExp(
  String.raw`\b(?:said|says|added|asked|wrote|explained)\s+(?:the\s+)?${ROLE_PHRASE}(${NAME})(,\s+[^,.]{2,80})?`,
  'gu',
);
const PASSIVE_BY = new RegExp(
  String.raw`\b(?:reported|revealed|announced|confirmed)\s+by\s+(?:the\s+)?(${NAME})`,
  'gu',
);
const TOLD = new RegExp(String.raw`\b(?:told|tells)\s+(?:the\s+)?(${NAME})`, 'gu');
const MULTI_WORD_NAME = new RegExp(String.raw`(?<![\p{L}\p{N}'’-])(${CAP}(?:\s+${CAP}){1,2})(?![\p{L}])`, 'gu');
/** Every pattern above needs one of these words; most sentences have none and are skipped cheaply. */
const ANY_TRIGGER = new RegExp(String.raw`\b(?:[Aa]ccording|${SPEECH}|${LABELLING}|revealed)\b`);

/** A "sentence" longer than this is run-on or hostile text: only its start is searched. */
export const MAX_ATTRIBUTION_CHARS = 2000;

export function findAttributions(text: string): Attribution[] {
  const found: Attribution[] = [];
  const sentence = text.length > MAX_ATTRIBUTION_CHARS ? text.slice(0, MAX_ATTRIBUTION_CHARS) : text;
  if (!ANY_TRIGGER.test(sentence)) return found;
  const quoted = quotedWords(sentence) >= QUOTE_MIN_WORDS;
  const add = (raw: string | undefined, kind: Attribution['kind'], role?: string): void => {
    const cleaned = raw === undefined ? undefined : cleanName(raw);
    if (!cleaned) return;
    const { name, role: title } = splitTitle(cleaned);
    const r = role ?? title;
    found.push({ name, kind, ...(r ? { role: r } : {}) });
  };
  // Quoted text never holds the attribution itself: "X said" inside a quotation is someone's words.
  const outside = sentence.replace(/["“][^"“”]*["”]|``[^`]*''/g, (q) => ' '.repeat(q.length));

  for (const m of outside.matchAll(ACCORDING_TO)) {
    // "according to chief executive Laura Chen": a lower-case phrase in front must be a role.
    if (m[1] && !isRolePhrase(m[1])) continue;
    add(m[2], 'cited', m[1] ?? roleBefore(outside, m.index + m[0].length - m[2]!.length));
  }
  for (const m of outside.matchAll(SUBJECT_VERB)) {
    const verb = m[3]!;
    const labelling = LABELLING_VERB.test(verb);
    if (labelling && quotedWords(sentence) === 0) continue;
    const kind = quoted && !REPORTED.has(verb) && !labelling ? 'quoted' : 'cited';
    add(m[1], kind, roleAfter(m[2]?.slice(1, -1)) ?? roleBefore(outside, m.index));
  }
  // Inverted attribution after a quotation: "…," said Jane Doe, the chief executive.
  for (const m of outside.matchAll(INVERTED)) {
    // "…," said chief engineer Ilse Varga / said union leader Sam Okafor.
    const before = isRolePhrase(m[1]) ? m[1] : undefined;
    if (m[1] && !before) continue;
    add(m[2], quoted ? 'quoted' : 'cited', before ?? roleAfter(m[3]?.slice(1)));
  }
  // Passive: "… was first reported by the Financial Times".
  for (const m of outside.matchAll(PASSIVE_BY)) add(m[1], 'cited');
  // "… told Reuters", "… told the BBC": the outlet that carried the statement.
  for (const m of outside.matchAll(TOLD)) add(m[1], 'cited');
  for (const name of findOrganisations(outside)) found.push({ name, kind: quoted ? 'quoted' : 'cited' });
  return found;
}

/** The person a pronoun in the next sentences most likely refers to: a multi-word name, preferring one with a role. */
export function personMentioned(text: string): { name: string; role?: string } | undefined {
  const sentence = text.length > MAX_ATTRIBUTION_CHARS ? text.slice(0, MAX_ATTRIBUTION_CHARS) : text;
  const outside = sentence.replace(/["“][^"“”]*["”]|``[^`]*''/g, (q) => ' '.repeat(q.length));
  let best: { name: string; role?: string } | undefined;
  for (const m of outside.matchAll(MULTI_WORD_NAME)) {
    const cleaned = cleanName(m[1]!);
    if (!cleaned) continue;
    const { name, role: title } = splitTitle(cleaned);
    if (name.split(/\s+/).length < 2) continue;
    const role = roleBefore(outside, m.index) ?? title;
    if (!best || (role && !best.role)) best = { name, ...(role ? { role } : {}) };
  }
  return best;
}
