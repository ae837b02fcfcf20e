/**
 * Feed and file text is printed to a terminal, which obeys escape sequences: an OSC can set the
 * window title or write a clickable link, a CSI can move the cursor and overwrite earlier lines,
 * and bidi overrides can make text read differently from what it is. All of them are dropped.
 * Every pattern starts at one fixed character and stops at a class it cannot contain: linear.
 */
const SEQUENCES = new RegExp(
  [
    '(?:\\x1b\\[|\\x9b)[0-?]*[ -/]*[@-~]?', // CSI, 7-bit and 8-bit
    '(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d-\\x9f])[^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)?', // OSC, DCS, SOS, PM, APC
    '\\x1b[ -/]*[0-~]?', // other escapes (charset selection, keypad modes)
  ].join('|'),
  'g',
);
/** C0 controls but tab and newline, DEL, C1 controls, and bidi embeddings, overrides and isolates. */
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text that prints as itself: no escape sequence, control character or direction override. */
export function terminalSafe(text: string): string {
  return text.replace(SEQUENCES, '').replace(CONTROLS, '').replace(/\r/g, '');
}
