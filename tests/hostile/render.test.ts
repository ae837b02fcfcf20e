import { describe, expect, it } from 'vitest';
import type { ArticleSource } from '../../src/domain/article.js';
import type { ArticleCard, Reply } from '../../src/domain/reply.js';
import { clipText } from '../../src/platforms/bound-reply.js';
import { renderText } from '../../src/platforms/console/render.js';
import { terminalSafe } from '../../src/platforms/console/terminal-safe.js';
import { LIMITS as DISCORD } from '../../src/platforms/discord/limits.js';
import { renderDiscord } from '../../src/platforms/discord/render.js';
import { truncate as discordTruncate } from '../../src/platforms/discord/text.js';
import { truncate as slackTruncate } from '../../src/platforms/slack/mrkdwn.js';
import { LIMITS as SLACK, renderSlack } from '../../src/platforms/slack/render.js';

const cpuMs = (fn: () => void): number => {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const SIZES = { '40 KB': 40_000, '5 MB': 5_000_000 } as const;
const SHAPES: Record<string, (size: number) => string> = {
  words: (size) => 'Officials said the council met on Tuesday. '.repeat(Math.ceil(size / 43)).slice(0, size),
  brackets: (size) => '[a'.repeat(size / 2),
  'link openers': (size) => '[a](b'.repeat(size / 5),
  'no spaces': (size) => 'x'.repeat(size),
  markup: (size) => '*_&<@everyone>'.repeat(Math.ceil(size / 14)).slice(0, size),
  emoji: (size) => '👨‍👩‍👧'.repeat(Math.ceil(size / 8)).slice(0, size),
};

function replies(text: string): Reply[] {
  const card: ArticleCard = {
    id: 'a1',
    title: text,
    description: text,
    author: text,
    sourceName: text,
    url: 'https://example.com/a',
  };
  const source: ArticleSource = { name: text, role: text, kinds: ['quoted'], evidence: [{ kind: 'quoted', text }] };
  return [
    { kind: 'articles', cards: [card], actions: ['summary', 'sources'] },
    { kind: 'articles', heading: text, cards: [card, card, card], actions: ['summary'] },
    { kind: 'summary', article: card, sentences: [text, text], machineWritten: false },
    { kind: 'sources', article: card, sources: [source, source] },
    { kind: 'text', tone: 'info', title: text, text },
  ];
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const noLoneSurrogate = (text: string) => expect(text).not.toMatch(LONE_SURROGATE);

describe.each(Object.entries(SIZES))('a %s title, body and source', (_label, size) => {
  it.each(Object.keys(SHAPES))('of %s renders within the limits on every platform in bounded CPU', (shape) => {
    const text = SHAPES[shape]!(size);
    for (const reply of replies(text)) {
      let discord: ReturnType<typeof renderDiscord> | undefined;
      let slack: ReturnType<typeof renderSlack> | undefined;
      let terminal = '';
      // Before: a 40 KB title took 1.1 s in Discord's truncation and 5 MB over a minute. Generous bound.
      expect(cpuMs(() => (discord = renderDiscord(reply)))).toBeLessThan(400);
      expect(cpuMs(() => (slack = renderSlack(reply)))).toBeLessThan(400);
      expect(cpuMs(() => (terminal = renderText(reply)))).toBeLessThan(400);
      for (const embed of discord!.embeds ?? []) {
        expect(embed.title?.length ?? 0).toBeLessThanOrEqual(DISCORD.embedTitle);
        expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD.embedDescription);
        expect(embed.author?.name.length ?? 0).toBeLessThanOrEqual(DISCORD.authorName);
        for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(DISCORD.fieldValue);
        noLoneSurrogate(JSON.stringify(embed));
      }
      expect(JSON.stringify(discord!.embeds ?? []).length).toBeLessThan(DISCORD.embedTotal * 3);
      expect(discord!.content?.length ?? 0).toBeLessThanOrEqual(DISCORD.content);
      expect(slack!.text.length).toBeLessThanOrEqual(SLACK.fallback);
      expect(slack!.blocks.length).toBeLessThanOrEqual(SLACK.blocks);
      for (const block of slack!.blocks) {
        if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK.header);
        if (block.type === 'section') expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(SLACK.section);
      }
      expect(terminal.length).toBeLessThan(60_000);
      noLoneSurrogate(terminal);
    }
  });
});

describe('truncation itself is linear and careful', () => {
  it('Discord and Slack truncate a 5 MB string to the limit quickly, at a word and outside a link', () => {
    const text = `${'word '.repeat(1_000_000)}`;
    let out = '';
    expect(cpuMs(() => (out = discordTruncate(text, 4096)))).toBeLessThan(100);
    expect(out.length).toBeLessThanOrEqual(4096);
    expect(out).toMatch(/word…$/);
    expect(cpuMs(() => (out = slackTruncate(text, 3000)))).toBeLessThan(100);
    expect(out.length).toBeLessThanOrEqual(3000);
    const linked = `${'x'.repeat(4000)} [the report](https://example.com/${'p'.repeat(500)}) ${'[a'.repeat(100_000)}`;
    out = discordTruncate(linked, 4100);
    expect(out).not.toContain('[the report');
    expect(cpuMs(() => discordTruncate('[a'.repeat(2_500_000), 4096))).toBeLessThan(100);
  });

  it('clipText never leaves half a surrogate pair and prefers a word', () => {
    for (let max = 2; max < 30; max++) noLoneSurrogate(clipText('😀'.repeat(40), max));
    expect(clipText('alpha beta gamma delta epsilon zeta', 33)).toBe('alpha beta gamma delta epsilon…');
  });
});

describe('the terminal prints content as text, never as escape sequences', () => {
  const hostile = [
    'Title\x1b]0;pwned\x07 after', // OSC window title
    'Link \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ here', // OSC 8 hyperlink
    'Red \x1b[31mtext\x1b[0m and \x1b[2J\x1b[Hcleared', // CSI colours, clear screen
    'C1 \x9b31m csi \x9d0;title\x9c done', // 8-bit CSI and OSC
    'Bidi \u202eevil\u202c and \u2067isolate\u2069', // overrides and isolates
    'Bell\x07 backspace\x08 cr\r null\x00 del\x7f',
  ];

  it.each(hostile)('strips %j', (text) => {
    const out = renderText({ kind: 'articles', cards: [{ id: 'a1', title: text, description: text }], actions: [] });
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    expect(out).not.toContain('pwned\x07');
  });

  it('keeps the readable words and the layout', () => {
    expect(terminalSafe('Red \x1b[31mtext\x1b[0m')).toBe('Red text');
    expect(terminalSafe('Title\x1b]0;pwned\x07 after')).toBe('Title after');
    expect(terminalSafe('a\tb\nc')).toBe('a\tb\nc');
    expect(terminalSafe('Bidi \u202eevil\u202c')).toBe('Bidi evil');
    expect(cpuMs(() => terminalSafe('\x1b]'.repeat(1_000_000)))).toBeLessThan(200);
  });
});

describe('autocomplete choices from huge titles', () => {
  it('a 5 MB title becomes a 100-character choice name quickly', async () => {
    const { choiceName } = await import('../../src/platforms/discord/interactions.js');
    const title = 'Officials said the council met on Tuesday. '.repeat(120_000);
    let name = '';
    expect(cpuMs(() => (name = choiceName(title, 'abc123')))).toBeLessThan(20);
    expect(name.length).toBeLessThanOrEqual(DISCORD.choiceName);
    expect(name.endsWith(' (abc123)')).toBe(true);
  });
});
