import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../../commands/execute.js';
import type { Article } from '../../src/domain/article.js';
import { postReply } from '../../src/domain/cards.js';
import { startHarness, type Harness } from '../discord/harness.js';
import { ingestSeed } from '../discord/seed.js';

const ROLE = '123456789012345678';

describe('a compact post with an image and a role ping, through discord.js to the fake Discord', () => {
  let h: Harness;
  let seed: Article;
  beforeAll(async () => {
    let executor: Executor | undefined;
    h = await startHarness({
      bucket: { limit: 5, windowMs: 1000 },
      execute: (inv, stores) => (executor ??= createExecutor({ stores, log: pino({ level: 'silent' }) }))(inv),
    });
    seed = await ingestSeed(h.stores);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends allowed_mentions with exactly the configured role, the image by URL, and the nonce', async () => {
    const article = { ...seed, images: [{ caption: '', url: 'https://img.example/lead.jpg' }] };
    const presentation = {
      style: 'compact' as const,
      mentions: [{ kind: 'role' as const, id: ROLE }],
      mentionFilter: 'netflix',
    };
    await h.adapter.post('discord:701', postReply(article, { presentation }), {
      articleId: seed.id,
      nonce: `c:${seed.id}`,
    });
    const request = h.fake.requests.find((r) => r.method === 'POST' && r.path === '/channels/701/messages');
    const body = request?.body as Record<string, unknown>;
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    expect(String(body.content)).toMatch(new RegExp(`^<@&${ROLE}>\\n\\*\\*Netflix`));
    expect(body.embeds).toEqual([{ image: { url: 'https://img.example/lead.jpg' } }]);
    expect(body.nonce).toBe(`c:${seed.id}`);
  });
});
