import { PassThrough } from 'node:stream';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Reply } from '../../src/domain/reply.js';
import type { PlatformAdapter } from '../../src/platforms/adapter.js';
import { definePlatform, type PlatformDescriptor } from '../../src/platforms/descriptor.js';
import { openStores } from '../../src/wiring/stores.js';
import { silentLog } from './runtime.js';

/**
 * A platform that records what it is asked to post and edit, plugged in through a descriptor like
 * any other. Named `console` by default, so it takes the terminal's place (channel `console:main`).
 */
export function recordingPlatform(name = 'console') {
  const posts: { channel: string; reply: Reply }[] = [];
  const edits: { channel: string; messageId: string; reply: Reply }[] = [];
  const adapter: PlatformAdapter = {
    platform: name,
    async start() {},
    async stop() {},
    async post(channel, reply) {
      posts.push({ channel, reply });
      return { messageId: `m${posts.length}` };
    },
    async edit(channel, messageId, reply) {
      edits.push({ channel, messageId, reply });
    },
  };
  const descriptor = definePlatform({
    name,
    env: {},
    fallback: true,
    enabled: () => ({}),
    channels: () => ['main'],
    create: () => adapter,
  });
  return { descriptor, adapter, posts, edits };
}

/** The app as `npm start` builds it, from `env` and these platforms; `bot` mode is started. */
export async function openTestApp(
  env: Record<string, string>,
  options: { platforms?: readonly PlatformDescriptor[]; mode?: 'bot' | 'once' } = {},
): Promise<App> {
  const config = loadConfig({ PORT: '0', ...env }, options.platforms);
  const stores = await openStores(config, silentLog);
  const mode = options.mode ?? 'bot';
  const terminal = { input: new PassThrough(), output: new PassThrough(), interactive: false, onEnd: () => {} };
  const app = await createApp({ config, log: silentLog, stores, mode, terminal });
  if (mode === 'bot') await app.start();
  else await app.prepare();
  return app;
}
