import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { isNewsdeskError } from '../../src/domain/errors.js';
import { parseFeedDate } from '../../src/ingest/feeds/dates.js';
import { itemKeys, itemToDraft } from '../../src/ingest/feeds/item-to-draft.js';
import { parseFeed } from '../../src/ingest/feeds/parse-feed.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

describe('parseFeed', () => {
  it('reads RSS 2.0 with HTML titles, entities, relative links and content:encoded', () => {
    const feed = parseFeed(
      bytes(`<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel><title>AT&amp;T &lt;b&gt;News&lt;/b&gt;</title><link>https://site.example/</link><ttl>30</ttl>
      <item><title>Caf&amp;eacute; &amp;amp; bar</title><link>/a/1?utm_source=x</link><guid>42</guid>
      <description>&lt;p&gt;Short&lt;/p&gt;</description><dc:creator>Jo Writer</dc:creator>
      <content:encoded><![CDATA[<p>One <a href="/x">link</a>.</p><script>evil()</script><p>Two.</p>]]></content:encoded>
      <pubDate>Tue, 05 Apr 2022 18:03:09 GMT</pubDate><category>World</category></item></channel></rss>`),
      { url: 'https://feeds.cdn.example/rss' },
    );
    expect(feed).toMatchObject({
      format: 'rss',
      version: '2.0',
      title: 'AT&T News',
      link: 'https://site.example/',
      ttlMinutes: 30,
    });
    const item = feed.items[0];
    expect(item).toMatchObject({
      title: 'Café & bar',
      link: 'https://site.example/a/1?utm_source=x',
      guid: '42',
      summary: 'Short',
      author: 'Jo Writer',
    });
    expect(item?.published).toBe('2022-04-05T18:03:09.000Z');
    expect(item?.contentHtml).toContain('href="https://site.example/x"');
    const draft = itemToDraft(item!, feed, 'https://feeds.cdn.example/rss');
    expect(draft.body).toEqual([
      { type: 'paragraph', text: 'One link.' },
      { type: 'paragraph', text: 'Two.' },
    ]);
    expect(draft.links).toEqual([{ url: 'https://site.example/x', text: 'link' }]);
    expect(draft.tags).toEqual(['World']);
    expect(draft.origin).toEqual({ kind: 'feed', feedUrl: 'https://feeds.cdn.example/rss', feedTitle: 'AT&T News' });
    // A bare-number guid is scoped to its feed; the link key drops tracking parameters.
    expect(itemKeys(item!, 'https://feeds.cdn.example/rss').all.slice(0, 2)).toEqual([
      'feed:guid:https://feeds.cdn.example/rss#42',
      'link:https://site.example/a/1',
    ]);
  });

  it('reads Atom 1.0 with xml:base, xhtml content and text constructs', () => {
    const feed = parseFeed(
      bytes(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/posts/" xml:lang="en_GB"><title type="html">A &lt;i&gt;blog&lt;/i&gt;</title>
      <link href="/"/><entry><id>tag:blog.example,2024:1</id><title type="text">1 &lt; 2</title><link rel="alternate" href="first"/>
      <updated>2024-02-03T04:05:06+01:00</updated><author><name>Ann</name></author>
      <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <img src="pic.png"/></p></div></content></entry></feed>`),
    );
    expect(feed).toMatchObject({
      format: 'atom',
      version: '1.0',
      title: 'A blog',
      link: 'https://blog.example/',
      language: 'en-GB',
    });
    expect(feed.items[0]).toMatchObject({
      title: '1 < 2',
      link: 'https://blog.example/posts/first',
      author: 'Ann',
      updated: '2024-02-03T03:05:06.000Z',
    });
    expect(feed.items[0]?.contentHtml).toBe('<p>Hi <img src="https://blog.example/posts/pic.png"></p>');
  });

  it('reads RSS 1.0 (RDF) and Atom 0.3', () => {
    const rdf = parseFeed(
      bytes(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="x"><title>RDF</title><link>http://r.example/</link></channel><item rdf:about="http://r.example/1"><title>One</title><link>http://r.example/1</link><dc:date>2003-12-31T10:14:55Z</dc:date></item></rdf:RDF>`),
    );
    expect(rdf).toMatchObject({ format: 'rss', version: '1.0', title: 'RDF' });
    expect(rdf.items[0]).toMatchObject({ guid: 'http://r.example/1', published: '2003-12-31T10:14:55.000Z' });
    const atom03 = parseFeed(
      bytes(`<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old</title><tagline>Sub</tagline><entry><title>E</title><issued>2004-01-01T00:00:00Z</issued>
      <content type="text/html" mode="escaped">&lt;b&gt;bold&lt;/b&gt;</content></entry></feed>`),
    );
    expect(atom03).toMatchObject({ format: 'atom', version: '0.3', description: 'Sub' });
    expect(atom03.items[0]).toMatchObject({ published: '2004-01-01T00:00:00.000Z', contentHtml: '<b>bold</b>' });
  });

  it('reads JSON Feed 1.1 and 1.0', () => {
    const feed = parseFeed(
      bytes(
        JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 'J',
          home_page_url: 'https://j.example/',
          items: [
            {
              id: 7,
              url: '/p/7',
              content_html: '<p>Body</p>',
              date_published: '2024-01-01T00:00:00Z',
              tags: ['a', 'b'],
              authors: [{ name: 'Al' }],
            },
          ],
        }),
      ),
      { url: 'https://j.example/feed.json' },
    );
    expect(feed).toMatchObject({ format: 'json', version: '1.1', title: 'J' });
    expect(feed.items[0]).toMatchObject({
      guid: '7',
      link: 'https://j.example/p/7',
      categories: ['a', 'b'],
      author: 'Al',
      summary: 'Body',
    });
  });

  it('decodes BOMs, UTF-16, declared legacy charsets and the HTTP charset', () => {
    const doc =
      '<?xml version="1.0" encoding="%ENC%"?><rss version="2.0"><channel><title>Œuvre — “quoted” ü</title></channel></rss>';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc.replace('%ENC%', 'UTF-16'), 'utf16le')]);
    expect(parseFeed(utf16).title).toBe('Œuvre — “quoted” ü');
    expect(parseFeed(iconv.encode(doc.replace('%ENC%', 'windows-1252'), 'windows-1252')).title).toBe(
      'Œuvre — “quoted” ü',
    );
    const latin = iconv.encode(doc.replace('%ENC%', 'UTF-8').replace('Œuvre — “quoted” ', ''), 'latin1');
    expect(parseFeed(latin, { contentType: 'application/rss+xml; charset=ISO-8859-1' }).title).toBe('ü');
    expect(
      parseFeed(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc.replace('%ENC%', 'UTF-8'))])).title,
    ).toBe('Œuvre — “quoted” ü');
  });

  it.each([
    ['an HTML page', '<!DOCTYPE html><html><head><title>x</title></head><body></body></html>', /HTML page/],
    ['malformed XML', '<rss><channel><title>x</channel></rss>', /XML is malformed at line 1/],
    ['an unknown root', '<?xml version="1.0"?><opml version="2.0"><head/></opml>', /unknown root element <opml>/],
    ['plain JSON', '{"hello": "world"}', /JSON Feed/],
    ['an empty body', '   ', /empty/],
  ])('refuses %s with a clear bad_input error', (_name, body, message) => {
    let caught: unknown;
    try {
      parseFeed(bytes(body));
    } catch (err) {
      caught = err;
    }
    expect(isNewsdeskError(caught, 'bad_input')).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });

  it('keeps entity declarations small and ignores external DTDs', () => {
    const feed = parseFeed(
      bytes(
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>Old&nbsp;one</title></channel></rss>',
      ),
    );
    expect(feed).toMatchObject({ version: '0.91', title: 'Old one' });
  });
});

describe('parseFeedDate', () => {
  it.each([
    ['Tue, 05 Apr 2022 18:03:09 GMT', '2022-04-05T18:03:09.000Z'],
    ['Sun, 10 Dec 17 13:01:36 -0800', '2017-12-10T21:01:36.000Z'],
    ['Mon, 26 January 2004 16:31:00 EST', '2004-01-26T21:31:00.000Z'],
    ['Thu, 01 Jan 2004 00:00 GMT', '2004-01-01T00:00:00.000Z'],
    ['Fri,24 Nov 2023 18:28:36 -0000', '2023-11-24T18:28:36.000Z'],
    ['2003-12-31T10:14:55-08:00', '2003-12-31T18:14:55.000Z'],
    ['2004-07-08 23:56:58', '2004-07-08T23:56:58.000Z'],
    ['2003-12', '2003-12-01T00:00:00.000Z'],
    ['Sun Jul 15 01:16:00 +0000 2012', '2012-07-15T01:16:00.000Z'],
  ])('%s', (input, expected) => {
    expect(parseFeedDate(input)).toBe(expected);
  });
  it.each(['', 'soon', 'Sun, 99 Jun 2009 12:00:00 GMT', '2003-12-31T25:14:55Z'])('rejects %j', (input) => {
    expect(parseFeedDate(input)).toBeUndefined();
  });
});
