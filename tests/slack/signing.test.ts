import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App, ReceiverEvent } from '@slack/bolt';
import { createMountedReceiver } from '../../src/platforms/slack/http-receiver.js';
import { postSigned, slackSignature } from '../fakes/slack/sign.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const vectorsFile = path.join(projectRoot, '../shared/corpus/platform/slack/signing_vectors.json');
const bodiesFile = path.join(projectRoot, '../shared/corpus/platform/slack/request_bodies.json');
const corpusMissing = !existsSync(vectorsFile) || !existsSync(bodiesFile);
if (corpusMissing) console.warn(`[skip] slack signing vectors: ${vectorsFile} not found (../shared is absent)`);

interface Vector {
  id: string;
  signing_secret?: string;
  timestamp: string;
  now?: number;
  raw_body: string;
  expected_signature?: string;
  signature?: string;
  expected_valid: boolean;
}

const quietLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => 'error' as never,
  setName() {},
};

/** The receiver on a bare server, with a fake App that records what reaches it, and a pinned clock. */
async function receiverAt(secret: string, nowSeconds: () => number) {
  const dispatched: ReceiverEvent[] = [];
  const receiver = createMountedReceiver({
    signingSecret: secret,
    logger: quietLogger,
    now: () => nowSeconds() * 1000,
  });
  const app = {
    processEvent: async (event: ReceiverEvent) => {
      dispatched.push(event);
      await event.ack();
    },
  } as unknown as App;
  receiver.init(app);
  await receiver.start();
  const server: Server = createServer((req, res) => void receiver.requestListener(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  return { url, dispatched, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.skipIf(corpusMissing)('Slack request signing against the corpus vectors', () => {
  const vectors = corpusMissing
    ? undefined
    : (JSON.parse(readFileSync(vectorsFile, 'utf8')) as Record<string, Vector[]>);
  const official = vectors?.official?.[0];
  let clock = 0;
  let target: Awaited<ReturnType<typeof receiverAt>>;

  beforeAll(async () => {
    target = await receiverAt(official!.signing_secret!, () => clock);
  });
  afterAll(async () => target.close());

  it('our signer reproduces the official signature', () => {
    expect(slackSignature(official!.signing_secret!, official!.timestamp, official!.raw_body)).toBe(
      official!.expected_signature,
    );
  });

  it('accepts the official request at its own time and dispatches it parsed', async () => {
    clock = Number(official!.timestamp);
    const before = target.dispatched.length;
    const result = await postSigned(target.url, {
      signingSecret: official!.signing_secret!,
      rawBody: official!.raw_body,
      timestamp: Number(official!.timestamp),
      signature: official!.expected_signature!,
    });
    expect(result.status).toBe(200);
    expect(target.dispatched).toHaveLength(before + 1);
    expect(target.dispatched.at(-1)?.body).toMatchObject({
      command: '/webhook-collect',
      user_id: 'U2CERLKJA',
      text: '',
    });
  });

  const negatives = [
    ...(vectors?.negative_cases_from_python_slack_sdk_tests ?? []),
    ...(vectors?.derived_by_research_helper ?? []),
  ];
  it.each(negatives.map((vector) => [vector.id, vector] as const))(
    'rejects %s with 401 and never dispatches',
    async (_id, vector) => {
      // The receiver holds the vector's secret; the request carries the vector's signature.
      const own = await receiverAt(
        vector.signing_secret ?? official!.signing_secret!,
        () => vector.now ?? Number(vector.timestamp),
      );
      try {
        const result = await postSigned(own.url, {
          signingSecret: 'unused: the signature is given',
          rawBody: vector.raw_body,
          timestamp: Number(vector.timestamp),
          signature: vector.signature!,
        });
        expect(result.status).toBe(401);
        expect(own.dispatched).toHaveLength(0);
      } finally {
        await own.close();
      }
    },
  );

  it('rejects a correctly signed request from more than five minutes in the future', async () => {
    clock = Number(official!.timestamp) - 301;
    const before = target.dispatched.length;
    const result = await postSigned(target.url, {
      signingSecret: official!.signing_secret!,
      rawBody: official!.raw_body,
      timestamp: Number(official!.timestamp),
    });
    expect(result.status).toBe(401);
    expect(target.dispatched).toHaveLength(before);
  });

  it('answers ssl_check unsigned with 200 and dispatches nothing', async () => {
    const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8')) as { other: { id: string; raw_body: string }[] };
    const ssl = bodies.other.find((entry) => entry.id === 'ssl-check')!;
    const before = target.dispatched.length;
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: ssl.raw_body,
    });
    expect(response.status).toBe(200);
    expect(target.dispatched).toHaveLength(before);
  });

  it('answers a signed url_verification with its challenge', async () => {
    const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8')) as { other: { id: string; raw_body: string }[] };
    const verification = bodies.other.find((entry) => entry.id === 'url-verification')!;
    clock = Math.floor(Date.now() / 1000);
    const result = await postSigned(target.url, {
      signingSecret: official!.signing_secret!,
      rawBody: verification.raw_body,
      timestamp: clock,
      contentType: 'application/json',
    });
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ challenge: JSON.parse(verification.raw_body).challenge });
  });

  it('parses every corpus slash command body the way Slack meant it', async () => {
    const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8')) as {
      slash_commands: { id: string; raw_body: string; parsed: Record<string, string> }[];
    };
    clock = Math.floor(Date.now() / 1000);
    for (const entry of bodies.slash_commands) {
      const result = await postSigned(target.url, {
        signingSecret: official!.signing_secret!,
        rawBody: entry.raw_body,
        timestamp: clock,
      });
      expect(result.status, entry.id).toBe(200);
      expect(target.dispatched.at(-1)?.body, entry.id).toEqual(entry.parsed);
    }
  });
});
