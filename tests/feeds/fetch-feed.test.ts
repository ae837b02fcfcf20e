import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNewsdeskError } from '../../src/domain/errors.js';
import { createFeedFetcher } from '../../src/ingest/feeds/fetch-feed.js';
import { parseFeed } from '../../src/ingest/feeds/parse-feed.js';
import { isPublicAddress, isPublicAddress as publicAddr } from '../../src/ingest/feeds/ssrf.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';

let server: FeedServer;
const feed = rssFeed({ count: 3 });

beforeAll(async () => {
  server = await startFeedServer();
  server.route('/etag', (req, res) => {
    if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
    res
      .writeHead(200, {
        'content-type': 'application/rss+xml',
        etag: '"v1"',
        'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT',
        'cache-control': 'max-age=1200',
      })
      .end(feed);
  });
  server.route('/last-modified', (req, res) => {
    if (req.headers['if-modified-since'] === 'Mon, 01 Jan 2024 00:00:00 GMT') return void res.writeHead(304).end();
    res.writeHead(200, { 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' }).end(feed);
  });
  server.serve('/feed.xml', feed);
  for (let hop = 1; hop <= 7; hop++)
    server.serve(`/hop${hop}`, '', { location: hop === 7 ? '/feed.xml' : `/hop${hop + 1}` }, 302);
  server.serve('/gzip', gzipSync(feed), { 'content-encoding': 'gzip', 'content-type': 'application/rss+xml' });
  server.serve('/br', brotliCompressSync(feed), { 'content-encoding': 'br' });
  server.serve('/deflate', deflateSync(feed), { 'content-encoding': 'deflate' });
  server.route('/hang', () => undefined);
  server.serve('/big', 'x'.repeat(50_000), { 'content-type': 'text/xml' });
  server.serve('/bomb', gzipSync(Buffer.alloc(2_000_000)), { 'content-encoding': 'gzip' });
  server.serve('/html', '<!DOCTYPE html><html><head><title>Home</title></head><body>Hi</body></html>', {
    'content-type': 'text/html',
  });
  server.serve('/to-metadata', '', { location: 'http://169.254.169.254/latest/meta-data/' }, 302);
  server.serve('/to-private-name', '', { location: `http://intranet.test:${0}/admin` }, 302);
  server.route('/to-loopback-2', (_req, res) =>
    res.writeHead(301, { location: `http://127.0.0.2:${server.port}/feed.xml` }).end(),
  );
  server.route('/to-mapped', (_req, res) =>
    res.writeHead(307, { location: `http://[::ffff:127.0.0.1]:${server.port}/feed.xml` }).end(),
  );
  server.serve('/to-file', '', { location: 'file:///etc/passwd' }, 302);
  server.serve('/missing-410', 'gone', {}, 410);
});
afterAll(() => server.close());

const open = createFeedFetcher({ allowPrivate: true, minHostIntervalMs: 0, version: '9.9.9' });

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (isNewsdeskError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a failure');
}

describe('feed fetcher', () => {
  it('sends a User-Agent naming newsdesk and its version, and asks for compression', async () => {
    const result = await open.fetch(server.url('/feed.xml'));
    expect(result.status).toBe(200);
    const seen = server.requests.find((r) => r.path === '/feed.xml');
    expect(seen?.headers['user-agent']).toBe('newsdesk/9.9.9 (+https://github.com/newsdesk)');
    expect(seen?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('does a conditional GET with ETag and gets 304, reporting Cache-Control max-age', async () => {
    const first = await open.fetch(server.url('/etag'));
    expect(first).toMatchObject({
      status: 200,
      etag: '"v1"',
      lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT',
      maxAgeSeconds: 1200,
    });
    const second = await open.fetch(server.url('/etag'), { etag: '"v1"' });
    expect(second.status).toBe(304);
    const third = await open.fetch(server.url('/last-modified'), { lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' });
    expect(third.status).toBe(304);
  });

  it('follows up to five redirects and refuses the sixth', async () => {
    const ok = await open.fetch(server.url('/hop3'));
    expect(ok).toMatchObject({ status: 200, url: server.url('/feed.xml') });
    const tooMany = await failure(open.fetch(server.url('/hop1')));
    expect(tooMany.code).toBe('bad_input');
    expect(tooMany.message).toMatch(/Too many redirects/);
  });

  it.each(['/gzip', '/br', '/deflate'])('decompresses %s bodies', async (path) => {
    const result = await open.fetch(server.url(path));
    if (result.status !== 200) throw new Error('expected a body');
    expect(parseFeed(result.body, { url: result.url }).items).toHaveLength(3);
  });

  it('times out a server that never answers', async () => {
    const hasty = createFeedFetcher({ allowPrivate: true, minHostIntervalMs: 0, timeoutMs: 300 });
    const error = await failure(hasty.fetch(server.url('/hang')));
    expect(error.code).toBe('transient');
    expect(error.message).toMatch(/Timed out/);
  });

  it('refuses bodies over the limit, also when they only grow after decompression', async () => {
    const small = createFeedFetcher({ allowPrivate: true, minHostIntervalMs: 0, maxBytes: 10_000 });
    expect((await failure(small.fetch(server.url('/big')))).message).toMatch(/larger than/);
    expect((await failure(small.fetch(server.url('/bomb')))).message).toMatch(/larger than/);
  });

  it('returns HTML pages as bytes that the parser then rejects clearly', async () => {
    const result = await open.fetch(server.url('/html'));
    if (result.status !== 200) throw new Error('expected a body');
    expect(() => parseFeed(result.body, { url: result.url, contentType: result.contentType })).toThrow(/HTML page/);
  });

  it('reports HTTP errors with their status', async () => {
    const error = await failure(open.fetch(server.url('/missing-410')));
    expect(error).toMatchObject({ code: 'bad_input' });
    expect(error.message).toMatch(/HTTP 410/);
  });
});

describe('SSRF guard', () => {
  const guarded = createFeedFetcher({ allowPrivate: false, minHostIntervalMs: 0 });

  it('refuses loopback by literal address and by a name that resolves to it', async () => {
    const literal = await failure(guarded.fetch(server.url('/feed.xml')));
    expect(literal.code).toBe('forbidden');
    expect(literal.message).toMatch(/127\.0\.0\.1/);
    const named = await failure(guarded.fetch(`http://localhost:${server.port}/feed.xml`));
    expect(named.code).toBe('forbidden');
    // Nothing reached the server: the refusal happens before connecting.
    expect(
      server.requests.filter((r) => r.path === '/feed.xml' && r.headers.host?.startsWith('localhost')),
    ).toHaveLength(0);
  });

  it('refuses non-http schemes', async () => {
    expect((await failure(guarded.fetch('file:///etc/passwd'))).code).toBe('bad_input');
    expect((await failure(guarded.fetch('gopher://example.com/'))).message).toMatch(/Only http and https/);
  });

  describe('on redirects', () => {
    // 127.0.0.1 stands in for "the internet" here, so the first hop is allowed and the guard has
    // to catch the redirect. DNS is faked: names resolve to what each case needs.
    const names: Record<string, string> = {
      'public.test': '127.0.0.1',
      'intranet.test': '10.1.2.3',
      'rebind.test': '127.0.0.1',
    };
    const viaRedirects = createFeedFetcher({
      allowPrivate: false,
      minHostIntervalMs: 0,
      addressPolicy: (address) => address === '127.0.0.1' || isPublicAddress(address),
      resolve: async (host) => [{ address: names[host] ?? '192.0.2.1', family: 4 }],
    });
    const start = (path: string): string => `http://public.test:${server.port}${path}`;

    it('follows a redirect between allowed hosts', async () => {
      expect((await viaRedirects.fetch(start('/hop6'))).status).toBe(200);
    });

    it.each([
      ['/to-metadata', /169\.254\.169\.254/],
      ['/to-loopback-2', /127\.0\.0\.2/],
      ['/to-mapped', /::ffff:7f00:1/],
      ['/to-private-name', /10\.1\.2\.3/],
    ])('refuses %s', async (path, address) => {
      server.serve('/to-private-name', '', { location: `http://intranet.test:${server.port}/admin` }, 302);
      const error = await failure(viaRedirects.fetch(start(path)));
      expect(error.code).toBe('forbidden');
      expect(error.message).toMatch(address);
    });

    it('refuses a redirect to file:', async () => {
      expect((await failure(viaRedirects.fetch(start('/to-file')))).code).toBe('bad_input');
    });
  });
});

describe('address classification', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a00:1',
    '2002:a00:1::',
  ])('%s is not public', (address) => {
    expect(publicAddr(address)).toBe(false);
  });
  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(publicAddr(address)).toBe(true);
  });
});
