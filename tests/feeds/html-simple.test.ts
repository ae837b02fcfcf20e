import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../../src/ingest/feeds/decode.js';
import { walkSimpleHtml } from '../../src/ingest/feeds/html-simple.js';
import { extractHtml, extractHtmlFully } from '../../src/ingest/feeds/html-text.js';
import { scanXml } from '../../src/ingest/feeds/xml-scan.js';
import { parseXml, textOf, type XmlElement } from '../../src/ingest/feeds/xml-tree.js';
import { feedsCorpus } from './conformance/harness.js';

const ignore = { open() {}, text() {}, close() {} };
const simple = (html: string): boolean => walkSimpleHtml(html, ignore);

/** The fast walk either declines or gives exactly what htmlparser2 gives. */
function agrees(html: string): boolean {
  const accepted = simple(html);
  expect({ html, out: extractHtml(html) }).toEqual({ html, out: extractHtmlFully(html) });
  return accepted;
}

describe('walkSimpleHtml (the fast path) against htmlparser2', () => {
  it.each([
    ['paragraphs left open', '<p>one<p>two<div>three</div>four'],
    ['headings that close each other', '<h1>A<h2>B</h2><p>C</h1>D'],
    ['a link left open inside another', '<a href="/1">x<a href="/2">y</a>z</a>'],
    ['a link closed by its block', '<div><a href="/1">x <b>y</div>after'],
    ['a stray </p> and </br>', 'a</p>b</br>c</span>d'],
    ['self-closing and void tags', '<p>a<br>b<br/>c<span/>d<img src="x.png"/>e<hr>f</p>'],
    ['entities and bare ampersands', '<p>Tom &amp; Jerry & co &#8217;s &#x27;q&#x27; &nbsp;&hellip; &&amp;</p>'],
    ['a less-than that opens no tag', '<p>1 < 2 and 3 <4</p>'],
    ['upper-case tags and attributes', '<P CLASS=x>A <A HREF="https://e.example/">link</A></P>'],
    ['attributes of every form', `<a title='x > y' data-x=1 hidden href="/h" href="/second">t</a>`],
    ['an empty href', '<a href="">no link</a><a>none</a>'],
    ['lists', '<ul><li>one<li>two</ul><ol><li>a</li></ol><dl><dt>t<dd>d<dt>u</dl>'],
    ['a table left to close itself', '<table><thead><tr><th>h<th>i<tbody><tr><td>a<td>b<tr><td>c</table>after'],
    ['an href with a query string', '<a href="/s?q=1&amp;page=2&lang=en&copy=3">x</a>'],
  ])('%s', (_name, html) => {
    expect(agrees(html)).toBe(true);
  });

  it.each([
    ['a comment', 'a<!-- b -->c'],
    ['a script', '<script>if (a<b) x()</script>text'],
    ['a title (raw text)', '<title>a<b>c</title>'],
    ['a form', '<form><p>x</form>'],
    ['an iframe (raw text)', '<iframe>a<b>c</iframe>'],
    ['svg', '<svg><path/></svg>'],
    ['an unknown element', '<custom-el>x</custom-el>'],
    ['a rare entity', '<p>&eacute;&zwnj;</p>'],
    ['an entity without a semicolon', '<p>&amp x</p>'],
    ['an ampersand before a letter', '<p>AT&T;</p>'],
    ['a C1 numeric reference', '<p>&#150;</p>'],
    ['an href with an entity', '<a href="/?a=1&copy;b=2">x</a>'],
    ['an href with a bare ampersand', '<a href="/?a=1&b">x</a>'],
    ['a tag cut off', '<p>text<a href="x"'],
    ['attributes run together', '<a href="x"title="y">t</a>'],
  ])('declines %s, and the full parser answers', (_name, html) => {
    expect(agrees(html)).toBe(false);
  });

  it.skipIf(!existsSync(feedsCorpus))(
    'agrees on every text field and item body of the corpus',
    () => {
      const files = (dir: string): string[] =>
        readdirSync(dir).flatMap((entry) => {
          const full = path.join(dir, entry);
          if (statSync(full).isDirectory()) return files(full);
          return /\.(xml|atom|rss|rdf)$/i.test(entry) ? [full] : [];
        });
      let fields = 0;
      let accepted = 0;
      const visit = (el: XmlElement): void => {
        const text = el.elementChildren.length === 0 ? textOf(el) : '';
        if (/[<&]/.test(text)) {
          fields++;
          if (agrees(text)) accepted++;
        }
        for (const child of el.elementChildren) visit(child);
      };
      for (const file of files(feedsCorpus)) {
        const text = decodeFeedBytes(readFileSync(file)).text.replace(/^[\s\ufeff\u0000]+/, '');
        let root: XmlElement | undefined;
        try {
          root = scanXml(text, undefined) ?? parseXml(text);
        } catch {
          continue;
        }
        visit(root);
      }
      console.log(JSON.stringify({ htmlFields: fields, simple: accepted }));
      expect(fields).toBeGreaterThan(3000);
      // Most feed HTML is simple; if this falls, so do the speed figures in bench:feeds.
      expect(accepted / fields).toBeGreaterThan(0.5);
    },
    120_000,
  );
});
