/**
 * Page furniture that raw news text carries inside its prose: Daily Mail bylines and time stamps
 * ("By . Daily Mail Reporter . PUBLISHED: . 07:39 EST, 11 March 2013 . | . UPDATED: . …"),
 * "(CNN) --" datelines, "Scroll down for video" and "Last updated at …" lines. Centrality loves
 * them (they restate nothing but share names with everything); they are never summary material.
 * Every pattern is anchored or bounded, and only the opening of a block is searched for bylines.
 */

/** Bylines and stamps sit in the first few hundred characters; later text is never searched for them. */
const HEAD_CHARS = 600;

const STAMPS = [
  // "PUBLISHED: . 07:39 EST, 11 March 2013 . | . UPDATED: . 07:56 EST, 11 March 2013 ."
  /\bPUBLISHED:\s*\.?\s*[^|]{0,80}?\|\s*\.?\s*UPDATED:\s*\.?\s*[^.]{0,60}?\b\d{4}\b\s*\.?/gi,
  /\b(?:PUBLISHED|UPDATED):\s*\.?\s*[^.|]{0,60}?\b\d{4}\b\s*\.?/gi,
  /\bLast updated at [^.]{0,60}?\b\d{4}\b\s*\.?/gi,
];
/** "By . Daily Mail Reporter ." or "By . Jane Doe . and John Roe ." at the very start. */
const BYLINE = /^\s*By\s+\.\s+(?:(?:and\s+)?\p{Lu}[^.]{0,60}?\s+\.\s+){1,3}/u;
/** "(CNN) --", "WASHINGTON (CNN) --", "(CNN)The …", and the lower-cased "( cnn ) --" of tokenised sets. */
const CITY = String.raw`\p{Lu}[\p{Lu} .'-]{1,30}(?:,\s\p{Lu}[\p{L} .'-]{0,30})?\s`;
const DATELINE = new RegExp(String.raw`^\s*(?:${CITY})?\(\s*(?:cnn|CNN|EW\.com|CNN Money)\s*\)\s*(?:--|—|–)?\s*`, 'u');
const VIDEO = /\b(?:Scroll down for (?:the )?videos?|Watch the video below)\b\s*\.?/gi;

/** Removes furniture from one paragraph; the first paragraph of an article also loses its dateline. */
export function cleanParagraph(text: string, first: boolean): string {
  let head = text.slice(0, HEAD_CHARS);
  const tail = text.slice(HEAD_CHARS);
  for (const stamp of STAMPS) head = head.replace(stamp, ' ');
  head = head.replace(BYLINE, '');
  head = head.replace(/^\s*\|?\s*\.\s+/, '');
  if (first) head = head.replace(DATELINE, '');
  return `${head}${tail}`
    .replace(VIDEO, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** Cleans an article's paragraphs and drops those that were nothing but furniture. */
export function cleanParagraphs(paragraphs: string[]): string[] {
  const out: string[] = [];
  for (const p of paragraphs) {
    const clean = cleanParagraph(p, out.length === 0);
    if (/[\p{L}\p{N}]/u.test(clean)) out.push(clean);
  }
  return out;
}

/**
 * A Daily Mail caption: a short label and a colon, then a capital ("Tragic: Jane Doe, 23, …"),
 * usually without end punctuation. "He said: …" is speech, not a caption.
 */
const CAPTION = /^\p{Lu}[\p{Ll}'’-]{1,20}(?:\s[\p{Ll}'’-]{1,20}){0,2}:\s+["“]?\p{Lu}/u;
const SPEECH_BEFORE_COLON = /\b(?:said|says|added|told|asked|explained|wrote|tweeted|warned)\s*:/;

export function isCaption(sentence: string): boolean {
  if (!CAPTION.test(sentence) || /[.!?]["”’)]?$/.test(sentence)) return false;
  return !SPEECH_BEFORE_COLON.test(sentence.slice(0, 40));
}
