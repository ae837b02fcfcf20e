import { NewsdeskError } from '../../domain/errors.js';

export const MAX_ARTICLE_BYTES = 5 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Article file bytes → normalised text: UTF-8 only (BOM dropped), LF line endings, no trailing
 * spaces. Rejects what cannot be an article with a reason fit for a log line.
 */
export function decodeArticleText(bytes: Uint8Array): string {
  if (bytes.byteLength === 0) throw new NewsdeskError('bad_input', 'file is empty');
  if (bytes.byteLength > MAX_ARTICLE_BYTES)
    throw new NewsdeskError('bad_input', `file is larger than ${MAX_ARTICLE_BYTES / 1024 / 1024} MB`);
  if (bytes.includes(0)) throw new NewsdeskError('bad_input', 'file is binary (it contains NUL bytes)');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new NewsdeskError('bad_input', 'file is not valid UTF-8');
  }
  text = text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+$/gm, '')
    .normalize('NFC');
  if (text.trim().length === 0) throw new NewsdeskError('bad_input', 'file is empty');
  return text;
}

/** Blank-line separated blocks, each a list of trimmed non-empty lines. */
export function splitBlocks(text: string): string[][] {
  return text
    .split(/\n\s*\n/)
    .map((block) =>
      block
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.length > 0),
    )
    .filter((lines) => lines.length > 0);
}

/** Collapse runs of white space inside a paragraph. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
