import { describe, expect, it } from 'vitest';
import { absolutiseHtml } from '../../src/ingest/feeds/html-text.js';

const base = 'https://site.example/blog/post/';

describe('absolutiseHtml', () => {
  it('rewrites relative href, src, poster and srcset values and leaves absolute ones alone', () => {
    const html =
      '<p><a href="https://other.example/x">a</a> <a href="../up">b</a><img src=\'pic.png\'>' +
      '<video poster="/p.jpg"></video><img srcset="a.png 1x, https://cdn.example/b.png 2x"></p>';
    expect(absolutiseHtml(html, base)).toBe(
      '<p><a href="https://other.example/x">a</a> <a href="https://site.example/blog/up">b</a>' +
        '<img src=\'https://site.example/blog/post/pic.png\'><video poster="https://site.example/p.jpg"></video>' +
        '<img srcset="https://site.example/blog/post/a.png 1x, https://cdn.example/b.png 2x"></p>',
    );
  });

  it('still finds a relative URL after any number of absolute ones, and after a lookalike in the text', () => {
    const absolute = '<a href="https://a.example/">x</a>'.repeat(50);
    expect(absolutiseHtml(`${absolute}<img src="late.png">`, base)).toBe(
      `${absolute}<img src="https://site.example/blog/post/late.png">`,
    );
    // The text's `href="` swallows the next quote, so a pattern run over the whole text would miss the tag.
    expect(absolutiseHtml('say href="x then <img src="rel.png">', base)).toBe(
      'say href="x then <img src="https://site.example/blog/post/rel.png">',
    );
    expect(absolutiseHtml('<a HREF = " rel">x</a>', base)).toBe('<a HREF = "https://site.example/blog/post/rel">x</a>');
  });

  it('returns markup whose URLs are all absolute, schemes of any kind, or unquoted as it came', () => {
    for (const html of [
      '<a href="https://a.example/">x</a><img src="data:image/png;base64,AAAA"><a href="mailto:a@b.example">m</a>',
      '<a href=rel>unquoted values are left as written</a>',
      'no markup at all',
    ])
      expect(absolutiseHtml(html, base)).toBe(html);
    expect(absolutiseHtml('<a href="rel">x</a>', undefined)).toBe('<a href="rel">x</a>');
  });
});
