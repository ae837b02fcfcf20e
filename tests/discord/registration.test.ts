import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Command } from '../../commands/command.js';
import { commands } from '../../commands/index.js';
import { textReply } from '../../src/domain/reply.js';
import { BOT_PERMISSIONS, inviteUrl } from '../../src/platforms/discord/invite.js';
import { COMMANDS_HASH_KEY } from '../../src/platforms/discord/register-commands.js';
import { buildRegistration, registrationHash } from '../../src/platforms/discord/registration.js';
import { createFakeDiscord, PERMS, type FakeDiscord } from '../fakes/discord/fake-discord.js';
import { startHarness, type Harness } from './harness.js';

const run = async () => textReply('ok');
const fixture: Command[] = [
  {
    name: 'latest',
    description: 'Newest',
    options: [{ name: 'count', description: 'How many', type: 'integer', required: false, min: 1, max: 10 }],
    run,
  },
  {
    name: 'summary',
    description: 'Summary',
    options: [
      { name: 'style', description: 'Style', type: 'string', required: false },
      { name: 'id', description: 'Article id', type: 'string', required: true, autocomplete: 'article-id' },
    ],
    run,
  },
  {
    name: 'feeds add',
    description: 'Add a feed',
    options: [{ name: 'url', description: 'Feed URL', type: 'string', required: true }],
    managesChannel: true,
    run,
  },
  { name: 'feeds list', description: 'List feeds', options: [], run },
];

describe('buildRegistration', () => {
  it('makes one /news command with subcommands, groups, typed options and autocomplete', () => {
    const body = buildRegistration(fixture);
    expect(body).toEqual({
      type: 1,
      name: 'news',
      description: 'News from newsdesk',
      contexts: [0],
      options: [
        {
          type: 1,
          name: 'latest',
          description: 'Newest',
          options: [{ type: 4, name: 'count', description: 'How many', required: false, min_value: 1, max_value: 10 }],
        },
        {
          type: 1,
          name: 'summary',
          description: 'Summary',
          // Required options first: Discord refuses a required option after an optional one.
          options: [
            { type: 3, name: 'id', description: 'Article id', required: true, autocomplete: true },
            { type: 3, name: 'style', description: 'Style', required: false },
          ],
        },
        {
          type: 2,
          name: 'feeds',
          description: 'Feeds: add, list',
          options: [
            {
              type: 1,
              name: 'add',
              description: 'Add a feed',
              options: [{ type: 3, name: 'url', description: 'Feed URL', required: true }],
            },
            { type: 1, name: 'list', description: 'List feeds', options: [] },
          ],
        },
      ],
    });
    expect(body).not.toHaveProperty('default_member_permissions');
  });

  it('covers the project command list, with autocomplete on every article id', () => {
    const body = buildRegistration(commands);
    const names = body.options.map((option) => option.name);
    expect(names).toEqual(expect.arrayContaining(['latest', 'summary', 'sources', 'search']));
    for (const sub of body.options.filter((o) => o.name === 'summary' || o.name === 'sources')) {
      expect(sub.options?.find((o) => o.name === 'id')).toMatchObject({ type: 3, required: true, autocomplete: true });
    }
    for (const sub of body.options) expect(sub.description.length).toBeLessThanOrEqual(100);
  });

  it('refuses names Discord would refuse', () => {
    expect(() => buildRegistration([{ ...fixture[0]!, name: 'Latest' }])).toThrow(/not a valid Discord/);
    expect(() => buildRegistration([{ ...fixture[0]!, name: 'a b c' }])).toThrow(/one or two words/);
  });

  it('hashes body and target, so a move from guild to global re-registers', () => {
    const body = [buildRegistration(fixture)];
    const guild = registrationHash('1', { guildId: '2' }, body);
    expect(registrationHash('1', { guildId: '2' }, body)).toBe(guild);
    expect(registrationHash('1', { global: true }, body)).not.toBe(guild);
    expect(registrationHash('1', { guildId: '2' }, [buildRegistration(fixture.slice(1))])).not.toBe(guild);
  });
});

describe('registration at start-up (fake Discord)', () => {
  let fake: FakeDiscord | undefined;
  let tempDir: string | undefined;
  const harnesses: Harness[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
    await fake?.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  });

  it('bulk-overwrites in the guild, skips an unchanged set on restart, and re-registers a changed one', async () => {
    fake = await createFakeDiscord();
    const dir = mkdtempSync(join(tmpdir(), 'newsdesk-reg-'));
    tempDir = dir;
    const puts = () => fake!.requests.filter((r) => r.method === 'PUT');

    const first = await startHarness({ fake, dir, commands: fixture });
    harnesses.push(first);
    expect(puts()).toHaveLength(1);
    expect(puts()[0]?.path).toBe(`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
    expect(puts()[0]?.body).toEqual([buildRegistration(fixture)]);
    expect(await first.stores.meta.getMeta(COMMANDS_HASH_KEY)).toMatch(/^[0-9a-f]{64}$/);
    await first.stop();

    const second = await startHarness({ fake, dir, commands: fixture });
    harnesses.push(second);
    expect(puts()).toHaveLength(1);
    await second.stop();

    const third = await startHarness({ fake, dir, commands: fixture.slice(0, 2) });
    harnesses.push(third);
    expect(puts()).toHaveLength(2);
    await third.stop();

    const global = await startHarness({ fake, dir, commands: fixture.slice(0, 2), global: true });
    harnesses.push(global);
    expect(puts()).toHaveLength(3);
    expect(puts()[2]?.path).toBe(`/applications/${fake.applicationId}/commands`);
    expect(fake.state.commands.global).toHaveLength(1);
  });

  it('a subcommand in a group arrives as "feeds add" with its options and the member\'s rights', async () => {
    fake = await createFakeDiscord();
    const h = await startHarness({ fake, commands: fixture });
    harnesses.push(h);
    await fake.answer(
      fake.command('feeds add', { url: 'https://example.com/feed.xml' }, { permissions: PERMS.manager }),
    );
    expect(h.calls[0]).toMatchObject({
      sub: 'feeds add',
      args: { url: 'https://example.com/feed.xml' },
      user: { canManage: true },
    });
  });
});

describe('invite URL', () => {
  it('asks for bot + applications.commands and permission integer 309237730304', () => {
    expect(BOT_PERMISSIONS).toBe(309237730304n);
    expect(inviteUrl('123')).toBe(
      'https://discord.com/oauth2/authorize?client_id=123&scope=bot%20applications.commands&permissions=309237730304',
    );
    expect(inviteUrl('123', '456')).toContain('&guild_id=456');
  });
});
