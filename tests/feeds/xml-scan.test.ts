import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../../src/ingest/feeds/decode.js';
import { scanXml } from '../../src/ingest/feeds/xml-scan.js';
import { parseXml, type XmlElement } from '../../src/ingest/feeds/xml-tree.js';
import { feedsCorpus } from './conformance/harness.js';

/** A tree in a comparable form: adjacent text merged (text nodes split at comments or CDATA mean nothing). */
function shape(el: XmlElement): unknown {
  const kids: unknown[] = [];
  let run = '';
  for (const child of el.children) {
    if (typeof child === 'string') {
      run += child;
      continue;
    }
    if (run !== '') kids.push(run);
    run = '';
    kids.push(shape(child));
  }
  if (run !== '') kids.push(run);
  const attrs = Object.entries(el.attrs).sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    ns: el.ns,
    name: el.name,
    attrs,
    base: el.base,
    explicit: el.baseExplicit,
    lang: el.lang,
    kids,
    elements: el.elementChildren.length,
  };
}

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return files(full);
    return /\.(xml|atom|rss|rdf)$/i.test(entry) ? [full] : [];
  });

describe('scanXml (the fast path) against parseXml (validator + fast-xml-parser)', () => {
  it('reads entities, CDATA, comments, prefixes and xml:base the same way', () => {
    const text = `<?xml version="1.0"?>\r\n<!-- c --><feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example/d/">
      <title type="html">A &amp; B &#x263A; &lt;b&gt; &nbsp;&euro;</title><x:y xmlns:x="urn:x" k='v&quot;'/><c><![CDATA[<p>raw & ok</p>]]></c></feed>`;
    const fast = scanXml(text, 'https://example.com/feed');
    expect(fast).toBeDefined();
    expect(shape(fast!)).toEqual(shape(parseXml(text, 'https://example.com/feed')));
  });

  it('keeps a well-formed reference to an unknown entity as written, as fast-xml-parser does', () => {
    const text = `<rss><channel><title a="&bogus; &amp;">&aacute; &constructor; &${'b'.repeat(20)}; &amp;</title></channel></rss>`;
    const fast = scanXml(text, undefined);
    expect(fast).toBeDefined();
    expect(shape(fast!)).toEqual(shape(parseXml(text)));
    const title = fast!.elementChildren[0]!.elementChildren[0]!;
    expect(title.children).toEqual([`&aacute; &constructor; &${'b'.repeat(20)}; &`]);
    expect(title.attrs.a).toBe('&bogus; &');
  });

  it.each([
    ['a mismatched end tag', '<rss><channel></rss>'],
    ['a cut-off document', '<rss><channel><title>x</title></chan'],
    ['a bare ampersand', '<rss><channel><title>AT&T</title></channel></rss>'],
    ['an entity name past 20 characters', `<rss><channel><title>&${'a'.repeat(21)};</title></channel></rss>`],
    ['an entity name the validator refuses', '<rss><channel><title>&a-b;</title></channel></rss>'],
    ['an empty entity name', '<rss><channel><title>&;</title></channel></rss>'],
    ['a DOCTYPE', '<!DOCTYPE rss><rss/>'],
    ['an unquoted attribute', '<rss version=2.0></rss>'],
    ['attributes without a space', '<rss a="1"b="2"></rss>'],
    ['two roots', '<rss></rss><rss></rss>'],
    ['text after the root', '<rss></rss>junk'],
    ['nesting past 100', `${'<a>'.repeat(101)}${'</a>'.repeat(101)}`],
  ])('leaves %s to the full parser', (_name, text) => {
    expect(scanXml(text, undefined)).toBeUndefined();
  });

  it.skipIf(!existsSync(feedsCorpus))(
    'builds the identical tree for every corpus document it accepts, and accepts none the full parser refuses',
    () => {
      let accepted = 0;
      const mismatches: string[] = [];
      for (const file of files(feedsCorpus)) {
        const text = decodeFeedBytes(readFileSync(file)).text.replace(/^[\s\ufeff\u0000]+/, '');
        const fast = scanXml(text, 'https://example.com/feed');
        if (!fast) continue;
        accepted++;
        let slow: XmlElement | undefined;
        try {
          slow = parseXml(text, 'https://example.com/feed');
        } catch (err) {
          mismatches.push(`${file}: accepted, but the full parser says ${(err as Error).message}`);
          continue;
        }
        if (JSON.stringify(shape(fast)) !== JSON.stringify(shape(slow))) mismatches.push(`${file}: trees differ`);
      }
      expect(mismatches.slice(0, 10)).toEqual([]);
      // Most real feeds take the fast path; if this falls, the speed figures in bench:feeds fall with it.
      expect(accepted).toBeGreaterThan(2000);
    },
    120_000,
  );
});
