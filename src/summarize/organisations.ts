/**
 * Organisations written as lower-case bodies: "the parks department said", "according to the town
 * council". A bare head ("the company said", "the council said") names nobody in particular, so at
 * least one modifier must stand before it. Every quantifier is bounded, so the patterns stay linear.
 */
import { STOPWORDS } from './stopwords.js';

const ORG_HEADS =
  'department|council|ministry|agency|institute|office|commission|committee|authority|board|service|court|' +
  'university|college|school|hospital|company|government|police|union|association|federation|foundation|trust|' +
  'bureau|administration|parliament|senate|regulator|operator|airline|railway|club|team|party|army|navy|embassy|' +
  'watchdog|inspectorate|library|museum|zoo|utility';
const SPEECH =
  'said|says|told|tells|added|announced|announces|warned|warns|confirmed|confirms|stated|states|reported|reports|' +
  'insisted|insists|noted|notes|claimed|claims|admitted|admits|explained|explains';
const BODY = String.raw`((?:[a-z][\p{L}-]{1,30}\s+){1,3}(?:${ORG_HEADS}))`;
const SUBJECT = new RegExp(String.raw`\b[Tt]he\s+${BODY}\s+(?:(?:has|have|had)\s+)?(?:also\s+)?(?:${SPEECH})\b`, 'gu');
const ACCORDING = new RegExp(String.raw`\b[Aa]ccording to the\s+${BODY}\b`, 'gu');

/** Modifiers such as "same" or "first" do not make a generic body specific. */
const VAGUE = new Set(['same', 'other', 'new', 'old', 'former', 'whole', 'entire', 'said']);

function specific(body: string): boolean {
  const words = body.split(/\s+/);
  return words.slice(0, -1).every((w) => !STOPWORDS.has(w) && !VAGUE.has(w));
}

/** Lower-case organisations that speak in this sentence (quoted text already blanked out). */
export function findOrganisations(outside: string): string[] {
  const out: string[] = [];
  for (const pattern of [SUBJECT, ACCORDING]) {
    for (const m of outside.matchAll(pattern)) {
      const body = m[1]!.replace(/\s+/g, ' ');
      if (specific(body) && !out.includes(`the ${body}`)) out.push(`the ${body}`);
    }
  }
  return out;
}
