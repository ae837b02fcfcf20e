import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export type FeedRoute = (req: IncomingMessage, res: ServerResponse) => void;

/** A feed host on 127.0.0.1: routes are plain handlers; every request is recorded. */
export interface FeedServer {
  origin: string;
  port: number;
  url(path: string): string;
  route(path: string, handler: FeedRoute): void;
  /** Serve a fixed body with optional headers. */
  serve(path: string, body: string | Buffer, headers?: Record<string, string>, status?: number): void;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, FeedRoute>();
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const handler = routes.get(path);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    handler(req, res);
  });
  // Keep-alive is pointless for a test host and would hold the process open.
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    url: (path) => `${origin}${path}`,
    route: (path, handler) => void routes.set(path, handler),
    serve(path, body, headers = { 'content-type': 'application/rss+xml' }, status = 200) {
      routes.set(path, (_req, res) => res.writeHead(status, headers).end(body));
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An RSS 2.0 document with `count` items; `guid`/`link` let tests churn one and keep the other. */
export function rssFeed(options: {
  title?: string;
  count: number;
  ttl?: number;
  item?: (index: number) => { guid?: string; link?: string; title?: string; description?: string; pubDate?: string };
}): string {
  const items = Array.from({ length: options.count }, (_, index) => {
    const item = options.item?.(index) ?? {};
    const guid = item.guid ?? `urn:item:${index}`;
    const link = item.link ?? `https://news.example/items/${index}`;
    return [
      '<item>',
      `<title>${item.title ?? `Item ${index}`}</title>`,
      `<link>${link}</link>`,
      `<guid isPermaLink="false">${guid}</guid>`,
      `<description><![CDATA[${item.description ?? `<p>Paragraph one of item ${index}.</p><p>Paragraph two.</p>`}]]></description>`,
      `<pubDate>${item.pubDate ?? new Date(Date.UTC(2024, 0, 1, 0, index)).toUTCString()}</pubDate>`,
      '<category>World</category>',
      '</item>',
    ].join('');
  }).join('\n');
  const ttl = options.ttl !== undefined ? `<ttl>${options.ttl}</ttl>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${options.title ?? 'Test feed'}</title><link>https://news.example/</link><description>Fixture</description>${ttl}\n${items}\n</channel></rss>`;
}
