import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Invocation } from '../../src/domain/invocation.js';
import type { Reply } from '../../src/domain/reply.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import type { PlatformAdapter } from '../../src/platforms/adapter.js';
import { createSlackAdapter } from '../../src/platforms/slack/adapter.js';
import { openSqliteStores } from '../../src/store/sqlite-open.js';
import type { Stores } from '../../src/store/ports.js';
import { capturingLogger } from '../support/logger.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export interface Harness {
  fake: FakeSlack;
  http: HttpServer;
  adapter: PlatformAdapter;
  stores: Stores;
  eventsUrl: string;
  lines: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Fake Slack + our HTTP server on port 0 + the real adapter (Bolt) pointed at the fake. */
export async function startHarness(options: {
  execute: (inv: Invocation) => Promise<Reply>;
  appToken?: string;
  adminUserIds?: string[];
  stores?: Stores;
}): Promise<Harness> {
  const fake = await new FakeSlack().start();
  const { log, lines } = capturingLogger();
  const http = createHttpServer({ log });
  const port = await http.listen(0, '127.0.0.1');
  const dir = options.stores ? undefined : mkdtempSync(path.join(tmpdir(), 'newsdesk-slack-'));
  const stores = options.stores ?? openSqliteStores(path.join(dir!, 'test.db'));
  const adapter = createSlackAdapter({
    botToken: 'xoxb-test-token',
    signingSecret: SIGNING_SECRET,
    ...(options.appToken ? { appToken: options.appToken } : {}),
    apiUrl: fake.apiUrl,
    filesUrl: fake.fileHost.filesUrl,
    http,
    adminUserIds: options.adminUserIds ?? [],
    stores,
    log,
    execute: options.execute,
    postIntervalMs: 0,
  });
  await adapter.start();
  return {
    fake,
    http,
    adapter,
    stores,
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    lines,
    async close() {
      await adapter.stop();
      await http.close();
      await fake.stop();
      if (!options.stores) await stores.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
