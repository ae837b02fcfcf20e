import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/**
 * Bytes → text for a feed. Order of trust: a byte-order mark, then UTF-16 without one (its
 * `<?` pattern), then the HTTP charset, then the XML declaration (or `<meta charset>`), then UTF-8.
 * Servers often lie about charsets; a BOM cannot, so it wins.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): { text: string; encoding: string } {
  const decoded = decodeRaw(bytes, contentType);
  if (decoded.encoding === 'utf-8' && !mayHoldC1(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)))
    return decoded;
  return { text: demoronise(decoded.text), encoding: decoded.encoding };
}

/**
 * In UTF-8 a C1 character is 0xC2 then 0x80-0x9F. Looking at the bytes after each 0xC2 is far cheaper
 * than a pattern over the decoded text; past a few hundred 0xC2 (a page of non-breaking spaces) the
 * pattern is the cheaper test, so the answer becomes "maybe".
 */
function mayHoldC1(bytes: Buffer): boolean {
  let seen = 0;
  for (let at = bytes.indexOf(0xc2); at >= 0; at = bytes.indexOf(0xc2, at + 1)) {
    const next = bytes[at + 1] ?? 0;
    if ((next >= 0x80 && next <= 0x9f) || ++seen > 256) return true;
  }
  return false;
}

/**
 * C1 control characters never appear in real text; they are Windows-1252 punctuation that was
 * transcoded as if it were Latin-1 ("don\u0092t"). Map them back to what the author typed.
 */
function demoronise(text: string): string {
  if (!/[\u0080-\u009f]/.test(text)) return text;
  return text.replace(/[\u0080-\u009f]+/g, (run) => iconv.decode(Buffer.from(run, 'latin1'), 'windows-1252'));
}

function decodeRaw(bytes: Uint8Array, contentType?: string): { text: string; encoding: string } {
  const b0 = bytes[0];
  const b1 = bytes[1];
  const b2 = bytes[2];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf)
    return { text: decodeWith('utf-8', bytes.subarray(3)), encoding: 'utf-8' };
  if (b0 === 0xfe && b1 === 0xff) return { text: decodeWith('utf-16be', bytes.subarray(2)), encoding: 'utf-16be' };
  if (b0 === 0xff && b1 === 0xfe) return { text: decodeWith('utf-16le', bytes.subarray(2)), encoding: 'utf-16le' };
  if (b0 === 0x00 && b1 === 0x3c) return { text: decodeWith('utf-16be', bytes), encoding: 'utf-16be' };
  if (b0 === 0x3c && b1 === 0x00) return { text: decodeWith('utf-16le', bytes), encoding: 'utf-16le' };

  const candidates = [charsetFromContentType(contentType), declaredEncoding(bytes)];
  for (const candidate of candidates) {
    const encoding = candidate && normaliseEncoding(candidate);
    // A declared UTF-16 on bytes that are plainly 8-bit is a common lie; fall through to UTF-8.
    if (!encoding || encoding.startsWith('utf-16') || encoding.startsWith('utf16')) continue;
    if (encoding === 'utf-8' || encoding === 'utf8') break;
    if (iconv.encodingExists(encoding)) return { text: iconv.decode(Buffer.from(bytes), encoding), encoding };
  }
  return decodeUtf8OrLegacy(bytes);
}

function decodeWith(encoding: string, bytes: Uint8Array): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

/**
 * Invalid UTF-8 with no declaration is almost always Windows-1252 in the wild. Checking first and
 * then decoding leniently is several times faster than a fatal TextDecoder.
 */
function decodeUtf8OrLegacy(bytes: Uint8Array): { text: string; encoding: string } {
  if (isUtf8(bytes))
    return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), encoding: 'utf-8' };
  return { text: decodeWith('windows-1252', bytes), encoding: 'windows-1252' };
}

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType);
  return match?.[1];
}

/** The encoding named in the first bytes: `<?xml … encoding="…"?>` or an HTML meta charset. */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  // The declaration ends at the first `>`, and the pattern cannot match past one; copy no further.
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024));
  const gt = view.indexOf(0x3e);
  const head = view.toString('latin1', 0, gt < 0 ? view.length : gt);
  const xml = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  if (xml) return xml[1];
  return undefined;
}

function normaliseEncoding(name: string): string {
  const lower = name.trim().toLowerCase();
  // us-ascii and latin-1 labels mean windows-1252 on the web (WHATWG encoding standard).
  if (
    lower === 'us-ascii' ||
    lower === 'ascii' ||
    lower === 'iso-8859-1' ||
    lower === 'latin1' ||
    lower === 'iso8859-1'
  )
    return 'windows-1252';
  if (lower === 'utf8') return 'utf-8';
  return lower;
}
