import { describe, expect, it } from 'vitest';
import { OPML_MAX_OUTLINES, parseOpml } from '../../src/ingest/opml/parse-opml.js';
import { writeOpml } from '../../src/ingest/opml/write-opml.js';

const quirky = `<?xml version="1.0" encoding="utf-8"?>
<opml version="1.0">
  <head><title>Reader export &amp; more</title></head>
  <body>
    <outline text="News" title="News">
      <outline text="Caf&eacute; Wire" type="rss" xmlUrl="https://a.example/feed?x=1&amp;y=2" htmlUrl="https://a.example/"/>
      <outline title="Deeper">
        <outline type="rss" XMLURL="https://b.example/rss"/>
      </outline>
    </outline>
    <outline text="Podcast via url" type="rss" url="https://c.example/atom.xml"/>
    <outline text="A bookmark, not a feed" type="link" url="https://d.example/page"/>
    <outline text="Not a web address" xmlUrl="javascript:alert(1)"/>
    <outline text="Listed twice" xmlUrl="https://b.example/rss"/>
    <outline text="Double escaped &amp;amp; title" xmlUrl="https://e.example/feed"/>
  </body>
</opml>`;

describe('OPML import', () => {
  it('reads nested outlines, xmlUrl in any case and url, HTML entities, and skips what is not a feed', () => {
    const doc = parseOpml(quirky);
    expect(doc.title).toBe('Reader export & more');
    expect(doc.feeds).toEqual([
      { url: 'https://a.example/feed?x=1&y=2', title: 'Café Wire', htmlUrl: 'https://a.example/', folders: ['News'] },
      { url: 'https://b.example/rss', title: undefined, htmlUrl: undefined, folders: ['News', 'Deeper'] },
      { url: 'https://c.example/atom.xml', title: 'Podcast via url', htmlUrl: undefined, folders: [] },
      { url: 'https://e.example/feed', title: 'Double escaped & title', htmlUrl: undefined, folders: [] },
    ]);
    expect(doc.skipped).toEqual([{ text: 'Not a web address', reason: 'not an http(s) URL: javascript:alert(1)' }]);
  });

  it('refuses what is not OPML, entity declarations and oversized lists with a reason', () => {
    expect(() => parseOpml('<rss><channel/></rss>')).toThrow(/not an OPML document/);
    expect(() => parseOpml('not xml at all <<<')).toThrow(/not an OPML document/);
    const laughs = '<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><opml><body/></opml>';
    expect(() => parseOpml(laughs)).toThrow(/declares entities/);
    const many = Array.from({ length: OPML_MAX_OUTLINES + 1 }, (_, i) => `<outline xmlUrl="https://x.example/${i}"/>`);
    expect(() => parseOpml(`<opml><body>${many.join('')}</body></opml>`)).toThrow(/too many outlines/);
  });
});

describe('OPML export', () => {
  it('round-trips: export, import elsewhere, export again gives the same document', () => {
    const first = writeOpml(parseOpml(quirky).feeds, { title: 'newsdesk feeds "A" <x>' });
    const again = writeOpml(parseOpml(first).feeds, { title: 'newsdesk feeds "A" <x>' });
    expect(again).toBe(first);
    expect(parseOpml(first).title).toBe('newsdesk feeds "A" <x>');
    expect(parseOpml(first).feeds.map((feed) => feed.title)).toEqual([
      'Café Wire',
      'https://b.example/rss',
      'Podcast via url',
      'Double escaped & title',
    ]);
  });

  it('escapes markup in titles and URLs', () => {
    const text = writeOpml([{ url: 'https://x.example/?a=1&b="2"', title: '<script>&' }], { title: 't' });
    expect(text).toContain('xmlUrl="https://x.example/?a=1&amp;b=&quot;2&quot;"');
    expect(text).toContain('text="&lt;script&gt;&amp;"');
    expect(parseOpml(text).feeds[0]).toMatchObject({ url: 'https://x.example/?a=1&b=%222%22', title: '<script>&' });
  });
});
