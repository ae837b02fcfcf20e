import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers the next requests. */
export type OpenAiFakeMode =
  | { kind: 'ok'; content: string }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'malformed' }
  | { kind: 'no-content' }
  /** Accept the request and never answer (until the server closes). */
  | { kind: 'hang' };

export interface RecordedChatRequest {
  path: string;
  authorization: string | undefined;
  body: { model?: string; messages?: Array<{ role: string; content: string }> } & Record<string, unknown>;
}

export interface FakeOpenAiServer {
  /** Base URL to pass as OPENAI_BASE_URL, e.g. http://127.0.0.1:40123/v1 */
  baseUrl: string;
  requests: RecordedChatRequest[];
  setMode(mode: OpenAiFakeMode): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A minimal OpenAI-compatible `POST /v1/chat/completions` on 127.0.0.1 that records requests. */
export async function startFakeOpenAiServer(
  initial: OpenAiFakeMode = { kind: 'ok', content: 'A summary.' },
): Promise<FakeOpenAiServer> {
  let mode = initial;
  const requests: RecordedChatRequest[] = [];
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      let body: RecordedChatRequest['body'] = {};
      try {
        body = JSON.parse(raw) as RecordedChatRequest['body'];
      } catch {
        // recorded as empty; the client under test always sends JSON
      }
      requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      switch (mode.kind) {
        case 'ok':
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              id: `chatcmpl-${requests.length}`,
              object: 'chat.completion',
              model: body.model,
              choices: [{ index: 0, message: { role: 'assistant', content: mode.content }, finish_reason: 'stop' }],
            }),
          );
          return;
        case 'status':
          res
            .writeHead(mode.status, { 'content-type': 'application/json' })
            .end(mode.body ?? '{"error":{"message":"boom"}}');
          return;
        case 'malformed':
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [ {"message": ');
          return;
        case 'no-content':
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": []}');
          return;
        case 'hang':
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return;
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setMode(next) {
      mode = next;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
