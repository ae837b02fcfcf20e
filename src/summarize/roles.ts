/**
 * Role vocabulary for attributions: words that may stand in a role phrase before or after a name
 * ("chief engineer Ilse Varga", "Jane Doe, the company's chief executive"), and the head words a
 * role phrase must end with.
 */

/** Words that may stand in a role phrase: heads, and the modifiers that commonly go with them. */
export const ROLE_WORDS = new Set(
  (
    'ceo co-ceo cfo coo cto cmo chief executive officer operating financial technology president vice ' +
    'chairman chairwoman chair co-chair spokesman spokeswoman spokesperson minister prime foreign finance ' +
    'home health defence defense interior secretary general director managing executive founder co-founder ' +
    'analyst senior lead head manager coach governor senator mayor professor economist lawyer attorney ' +
    'judge commissioner chancellor leader deputy editor producer showrunner actor actress writer author ' +
    'researcher scientist officer inspector detective captain sergeant commander ambassador envoy premier ' +
    'king queen prince princess pope bishop representative congressman congresswoman mp mep ' +
    'and of the chief-executive ' +
    // Modifiers and heads added for "said union leader X", "said project lead X" (issue 16).
    'engineer librarian councillor councilor curator coordinator organiser organizer teacher principal doctor ' +
    'nurse surgeon architect designer planner farmer resident student pilot driver witness owner worker ' +
    'volunteer historian project union team programme program campaign research city town council party ' +
    'police fire press communications policy site plant station school hospital club group board trade ' +
    'assistant associate technical artistic art festival museum library parks local state'
  ).split(' '),
);

export const ROLE_EDGE_BLOCK = new Set(['and', 'of', 'the']);

/** The word a role phrase must end with: "Financial" alone is a modifier (Financial Times), "Officer" is a role. */
export const ROLE_HEADS = new Set(
  (
    'ceo co-ceo cfo coo cto cmo executive officer president chairman chairwoman chair co-chair spokesman ' +
    'spokeswoman spokesperson minister secretary director founder co-founder analyst head manager coach governor ' +
    'senator mayor professor economist lawyer attorney judge commissioner chancellor leader editor producer ' +
    'showrunner researcher scientist inspector detective captain sergeant commander ambassador envoy premier ' +
    'king queen prince princess pope bishop representative congressman congresswoman mp mep ' +
    'lead engineer librarian councillor councilor curator coordinator organiser organizer teacher principal ' +
    'doctor nurse surgeon architect designer planner farmer resident student pilot driver witness owner ' +
    'worker volunteer historian'
  ).split(' '),
);

/** Titles that may stand before a bare surname ("President Biden"); other roles need a full name after them. */
export const SURNAME_TITLES = new Set(
  (
    'president senator governor mayor professor judge king queen prince princess pope bishop chancellor minister ' +
    'secretary coach captain detective inspector sergeant commander councillor councilor'
  ).split(' '),
);

export function endsWithHead(words: string[]): boolean {
  const last = words[words.length - 1];
  return last !== undefined && ROLE_HEADS.has(last.toLowerCase());
}

/** A lower-case phrase such as "chief engineer" or "union leader": role words only, ending with a head. */
export function isRolePhrase(phrase: string | undefined): phrase is string {
  if (!phrase) return false;
  const words = phrase.split(/\s+/);
  return words.every((w) => ROLE_WORDS.has(w.toLowerCase())) && !ROLE_EDGE_BLOCK.has(words[0]!) && endsWithHead(words);
}
