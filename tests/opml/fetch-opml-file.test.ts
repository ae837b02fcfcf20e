import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpmlFileFetcher } from '../../src/ingest/opml/fetch-opml-file.js';

const OPML = '<opml version="2.0"><head/><body><outline xmlUrl="https://a.example/rss"/></body></opml>';

/** The chat file fetcher against a real HTTP server on 127.0.0.1 standing in for the CDN. */
describe('OPML file fetcher: one configured host, no redirects, a size cap, a content check', () => {
  let server: Server;
  let base = '';
  const seen: { path: string; authorization?: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      if (req.url === '/cdn/moved.opml') return res.writeHead(302, { location: '/cdn/list.opml' }).end();
      if (req.url === '/cdn/page.opml') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html/>');
      if (req.url === '/cdn/big.opml') return res.writeHead(200, { 'content-type': 'text/xml' }).end('x'.repeat(5000));
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(OPML);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads a file under the base, sending the configured headers', async () => {
    const fetcher = createOpmlFileFetcher({ base: `${base}/cdn`, headers: { authorization: 'Bearer xoxb-1' } });
    expect(await fetcher.fetch(`${base}/cdn/list.opml`, 'list.opml')).toBe(OPML);
    expect(seen.at(-1)).toEqual({ path: '/cdn/list.opml', authorization: 'Bearer xoxb-1' });
  });

  it('refuses another port, another path, and any redirect, before the token can travel', async () => {
    const fetcher = createOpmlFileFetcher({ base: `${base}/cdn`, headers: { authorization: 'Bearer xoxb-1' } });
    const before = seen.length;
    await expect(fetcher.fetch('http://127.0.0.1:9/cdn/list.opml', 'a.opml')).rejects.toThrow(
      `Refused: a.opml is not on ${base}`,
    );
    await expect(fetcher.fetch(`${base}/cdnx/list.opml`, 'b.opml')).rejects.toThrow('Refused: b.opml is not on');
    await expect(fetcher.fetch('file:///etc/passwd', 'c.opml')).rejects.toThrow('Refused: c.opml is not on');
    expect(seen.length).toBe(before);
    await expect(fetcher.fetch(`${base}/cdn/moved.opml`, 'moved.opml')).rejects.toThrow(/Too many redirects/);
    expect(seen.slice(before).map((request) => request.path)).toEqual(['/cdn/moved.opml']);
  });

  it('a named host must still resolve to a public address (a configured name cannot point inward)', async () => {
    const port = new URL(base).port;
    const fetcher = createOpmlFileFetcher({
      base: `http://cdn.test:${port}/cdn`,
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    await expect(fetcher.fetch(`http://cdn.test:${port}/cdn/list.opml`, 'x.opml')).rejects.toThrow(
      /private or reserved address/,
    );
  });

  it('caps the size while reading and refuses HTML (a sign-in page) with the reason', async () => {
    const fetcher = createOpmlFileFetcher({ base: `${base}/cdn`, maxBytes: 1024 });
    await expect(fetcher.fetch(`${base}/cdn/big.opml`, 'big.opml')).rejects.toThrow('big.opml is larger than 1 KB');
    await expect(fetcher.fetch(`${base}/cdn/page.opml`, 'page.opml')).rejects.toThrow(
      'page.opml is not an OPML file (it is text/html)',
    );
  });
});
