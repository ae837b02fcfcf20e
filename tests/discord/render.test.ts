import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../commands/command.js';
import { findCommand } from '../../commands/index.js';
import type { ArticleSource } from '../../src/domain/article.js';
import type { ArticleCard, Reply } from '../../src/domain/reply.js';
import { decodeCustomId, encodeCustomId } from '../../src/platforms/discord/custom-id.js';
import { totalLength } from '../../src/platforms/discord/embed.js';
import { LIMITS } from '../../src/platforms/discord/limits.js';
import { renderDiscord, type DiscordMessage } from '../../src/platforms/discord/render.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function card(i: number, extra: Partial<ArticleCard> = {}): ArticleCard {
  return {
    id: `a${i}x`,
    title: `Article ${i}`,
    url: `https://example.com/${i}`,
    published: '2025-07-18T15:55:00.000Z',
    sourceName: 'Reuters',
    description: `Description ${i}.`,
    ...extra,
  };
}

/** Every limit Discord enforces on a message, checked at once. */
function expectWithinLimits(message: DiscordMessage): void {
  expect(message.allowed_mentions).toEqual({ parse: [] });
  expect(message.content?.length ?? 0).toBeLessThanOrEqual(LIMITS.content);
  const embeds = message.embeds ?? [];
  expect(embeds.length).toBeLessThanOrEqual(LIMITS.embedsPerMessage);
  expect(totalLength(embeds)).toBeLessThanOrEqual(LIMITS.embedTotal);
  for (const embed of embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.embedFields);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(LIMITS.footerText);
  }
  const rows = message.components ?? [];
  expect(rows.length).toBeLessThanOrEqual(LIMITS.actionRows);
  for (const row of rows) {
    expect(row.components.length).toBeLessThanOrEqual(LIMITS.buttonsPerRow);
    for (const button of row.components) {
      expect(button.custom_id.length).toBeLessThanOrEqual(100);
      expect(button.label.length).toBeLessThanOrEqual(LIMITS.buttonLabel);
    }
  }
  expect(JSON.stringify(message)).not.toMatch(LONE_SURROGATE);
}

describe('renderDiscord: every kind', () => {
  const source: ArticleSource = {
    name: 'Reuters',
    kinds: ['publisher', 'cited'],
    evidence: [{ kind: 'cited', text: 'According to Reuters, it works.' }],
  };
  const replies: Reply[] = [
    { kind: 'text', tone: 'info', text: 'hello' },
    { kind: 'text', tone: 'error', text: 'nope', ephemeral: true },
    { kind: 'articles', cards: [card(1)], actions: ['summary', 'sources'] },
    { kind: 'articles', cards: [], actions: [], empty: 'Nothing yet.' },
    { kind: 'summary', article: card(1), sentences: ['One.', 'Two.'], machineWritten: false },
    { kind: 'sources', article: card(1), sources: [source] },
    { kind: 'help', heading: 'Commands', entries: [{ usage: '/news latest [count]', description: 'Newest articles' }] },
  ];
  it.each(replies.map((reply) => [reply.kind, reply] as const))(
    '%s always carries allowed_mentions parse [] and stays in limits',
    (_kind, reply) => {
      expectWithinLimits(renderDiscord(reply));
    },
  );

  it('sets the ephemeral flag only when asked', () => {
    expect(renderDiscord({ kind: 'text', tone: 'error', text: 'x', ephemeral: true }).flags).toBe(64);
    expect(renderDiscord({ kind: 'text', tone: 'info', text: 'x' }).flags).toBeUndefined();
  });
});

describe('renderDiscord: article embeds', () => {
  it('has title, url, description, timestamp, footer with id and source, and two buttons', () => {
    const message = renderDiscord({ kind: 'articles', cards: [card(1)], actions: ['summary', 'sources'] });
    expect(message.embeds).toHaveLength(1);
    expect(message.embeds?.[0]).toMatchObject({
      title: 'Article 1',
      url: 'https://example.com/1',
      description: 'Description 1.',
      timestamp: '2025-07-18T15:55:00.000Z',
      footer: { text: 'a1x · Reuters' },
    });
    expect(message.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 2, label: 'Summary', custom_id: 'news:summary:a1x' },
          { type: 2, style: 2, label: 'Sources', custom_id: 'news:sources:a1x' },
        ],
      },
    ]);
  });

  it('shows ten of twelve cards, numbered buttons in five rows, under 6,000 characters', () => {
    const cards = Array.from({ length: 12 }, (_, i) => card(i + 1, { description: 'word '.repeat(900) }));
    const message = renderDiscord({ kind: 'articles', heading: 'Latest', cards, actions: ['summary', 'sources'] });
    expectWithinLimits(message);
    expect(message.embeds).toHaveLength(10);
    expect(message.content).toContain('Showing 10 of 12');
    expect(message.components).toHaveLength(5);
    const ids = message.components?.flatMap((row) => row.components.map((b) => b.custom_id));
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    expect(message.embeds?.[9]?.footer?.text).toBe('#10 · a10x · Reuters');
    expect(message.components?.[4]?.components[3]?.label).toBe('#10 Sources');
    expect(totalLength(message.embeds ?? [])).toBeGreaterThan(5000); // shrunk, not emptied
  });

  it('cuts title at 256 and description at 4,096 with an ellipsis', () => {
    const message = renderDiscord({
      kind: 'articles',
      cards: [card(1, { title: 'T'.repeat(300), description: 'd'.repeat(5000) })],
      actions: [],
    });
    const embed = message.embeds?.[0];
    expect(embed?.title).toHaveLength(256);
    expect(embed?.title?.endsWith('…')).toBe(true);
    expect(embed?.description).toHaveLength(4096);
    expect(embed?.description?.endsWith('…')).toBe(true);
    expect(message.components).toBeUndefined();
  });

  it('never cuts inside a surrogate pair at the description limit', () => {
    for (const offset of [0, 1, 2, 3]) {
      const text = `${'a'.repeat(4094 - offset)}${'😀'.repeat(10)}`;
      const message = renderDiscord({ kind: 'articles', cards: [card(1, { description: text })], actions: [] });
      expectWithinLimits(message);
    }
  });

  it('escapes markdown and defuses mentions in article text', () => {
    const message = renderDiscord({
      kind: 'articles',
      cards: [
        card(1, { title: '*Big* news @everyone', description: 'Hi @here <@123> [x](https://evil.example) _under_' }),
      ],
      actions: [],
    });
    const embed = message.embeds?.[0];
    expect(embed?.title).toBe('\\*Big\\* news @\u200beveryone');
    expect(embed?.description).toContain('@\u200bhere');
    expect(embed?.description).toContain('\\<@123>');
    expect(embed?.description).toContain('\\[x\\](https://evil.example)');
    expect(embed?.description).toContain('\\_under\\_');
    expect(JSON.stringify(message)).not.toMatch(/@(everyone|here)/);
  });

  it('drops a url Discord would refuse and a timestamp that is not a date', () => {
    const message = renderDiscord({
      kind: 'articles',
      cards: [card(1, { url: 'javascript:alert(1)', published: 'yesterday' })],
      actions: [],
    });
    expect(message.embeds?.[0]?.url).toBeUndefined();
    expect(message.embeds?.[0]?.timestamp).toBeUndefined();
  });

  it('gives no button to an article id too long for a 100-character custom_id', () => {
    const longId = 'x'.repeat(95);
    expect(encodeCustomId('summary', longId)).toBeUndefined();
    const message = renderDiscord({
      kind: 'articles',
      cards: [card(1, { id: longId })],
      actions: ['summary', 'sources'],
    });
    expect(message.components).toBeUndefined();
  });

  it('round-trips custom ids and rejects foreign ones', () => {
    expect(decodeCustomId(encodeCustomId('sources', 'ab_c-1') ?? '')).toEqual({
      action: 'sources',
      articleId: 'ab_c-1',
    });
    expect(decodeCustomId('other:summary:x')).toBeUndefined();
    expect(decodeCustomId('news:delete:x')).toBeUndefined();
    expect(decodeCustomId('news:summary:')).toBeUndefined();
  });
});

describe('renderDiscord: text, summary, sources, help', () => {
  it('cuts content at 2,000 characters', () => {
    const message = renderDiscord({ kind: 'text', tone: 'info', text: 'z'.repeat(2500) });
    expect(message.content).toHaveLength(2000);
    expect(message.embeds).toBeUndefined();
  });

  it('labels a machine-written summary and links the title', () => {
    const message = renderDiscord({
      kind: 'summary',
      article: card(7),
      sentences: ['First point.', 'Second point.'],
      machineWritten: true,
    });
    const embed = message.embeds?.[0];
    expect(embed?.url).toBe('https://example.com/7');
    expect(embed?.description).toBe('*Machine-written summary*\n\nFirst point. Second point.');
    expect(embed?.footer?.text).toBe('a7x · Reuters · machine-written');
    expect(embed?.timestamp).toBe('2025-07-18T15:55:00.000Z');
    const plain = renderDiscord({ kind: 'summary', article: card(7), sentences: ['Only.'], machineWritten: false });
    expect(plain.embeds?.[0]?.description).toBe('Only.');
  });

  it('lists each source with kinds and evidence quotes', () => {
    const sources: ArticleSource[] = [
      {
        name: 'Ted Sarandos',
        role: 'co-CEO',
        kinds: ['quoted'],
        evidence: [{ kind: 'quoted', text: 'That VFX sequence was completed 10 times faster.' }],
      },
      {
        name: 'Reuters',
        kinds: ['publisher', 'cited'],
        evidence: [
          { kind: 'cited', text: 'According to Reuters, the platform is testing.' },
          { kind: 'publisher', text: 'Source: Reuters' },
        ],
        url: 'https://reuters.com/x_(y)',
      },
    ];
    const message = renderDiscord({ kind: 'sources', article: card(1), sources });
    const fields = message.embeds?.[0]?.fields ?? [];
    expect(fields.map((f) => f.name)).toEqual(['Ted Sarandos (co-CEO)', 'Reuters']);
    expect(fields[0]?.value).toBe('*quoted*\n> That VFX sequence was completed 10 times faster.');
    expect(fields[1]?.value).toContain('*publisher, cited*');
    expect(fields[1]?.value).toContain('[link](https://reuters.com/x_%28y%29)');
    expect(fields[1]?.value).toContain('> Source: Reuters');
    expect(message.embeds?.[0]?.description).toBe('2 sources named in this article.');
  });

  it('keeps 25 fields at most, each within 1,024 characters, and 6,000 in all', () => {
    const sources: ArticleSource[] = Array.from({ length: 40 }, (_, i) => ({
      name: `Source ${i} ${'n'.repeat(300)}`,
      kinds: ['quoted'],
      evidence: Array.from({ length: 5 }, (_, j) => ({
        kind: 'quoted' as const,
        text: `Quote ${j} ${'q'.repeat(500)}`,
      })),
    }));
    const message = renderDiscord({ kind: 'sources', article: card(1), sources });
    expectWithinLimits(message);
    const fields = message.embeds?.[0]?.fields ?? [];
    expect(fields.length).toBeLessThanOrEqual(25);
    expect(fields.length).toBeGreaterThan(3);
  });

  it('says so when there are no sources', () => {
    const message = renderDiscord({ kind: 'sources', article: card(1), sources: [] });
    expect(message.embeds?.[0]?.description).toBe('No sources were found in this article.');
    expect(message.embeds?.[0]?.fields).toBeUndefined();
  });

  it('renders help as code-formatted usage lines', () => {
    const message = renderDiscord({
      kind: 'help',
      heading: 'newsdesk',
      entries: [{ usage: '/news summary <id>', description: 'Summary of one article' }],
    });
    expect(message.embeds?.[0]?.description).toBe('`/news summary <id>` Summary of one article');
  });

  it("keeps the file option in /news help: a Discord command carries the attachment, Slack's cannot", async () => {
    const help = await findCommand('help')!.run({} as CommandContext, {});
    const description = renderDiscord(help).embeds?.[0]?.description ?? '';
    expect(description).toContain('`/news feeds import [url] [file] [document]`');
    expect(description).not.toContain('direct message');
  });
});
