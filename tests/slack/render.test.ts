import { describe, expect, it } from 'vitest';
import type { ArticleCard, Reply } from '../../src/domain/reply.js';
import { escapeMrkdwn, mrkdwnLink, truncate } from '../../src/platforms/slack/mrkdwn.js';
import { ACTION_IDS, LIMITS, renderSlack, type SlackBlock } from '../../src/platforms/slack/render.js';

const card = (over: Partial<ArticleCard> = {}): ArticleCard => ({
  id: 'a1b2c3',
  title: 'Council approves new bridge',
  url: 'https://example.com/bridge',
  published: '2024-05-01T14:30:00Z',
  sourceName: 'Reuters',
  description: 'The council voted 7 to 2. Work starts in June.',
  ...over,
});

/** Every string Slack will parse as mrkdwn, anywhere in the message. */
function mrkdwnTexts(message: { text: string; blocks: SlackBlock[] }): string[] {
  const out = [message.text];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'mrkdwn' && typeof record.text === 'string') out.push(record.text);
      Object.values(record).forEach(walk);
    }
  };
  walk(message.blocks);
  return out;
}

function plainTexts(blocks: SlackBlock[]): string[] {
  return blocks.flatMap((block) => (block.type === 'header' ? [block.text.text] : []));
}

describe('escaping', () => {
  it('escapes &, < and > so no control sequence can form', () => {
    expect(escapeMrkdwn('a & b <!channel> <@U123> <https://evil|ok>')).toBe(
      'a &amp; b &lt;!channel&gt; &lt;@U123&gt; &lt;https://evil|ok&gt;',
    );
  });

  it('breaks written-out @channel, @here and @everyone', () => {
    const escaped = escapeMrkdwn('hey @everyone and @here, @channel!');
    expect(escaped).not.toMatch(/@(everyone|here|channel)/);
    expect(escaped.replace(/\u2060/g, '')).toBe('hey @everyone and @here, @channel!');
  });

  it('builds links with an escaped label and no way out of the link', () => {
    expect(mrkdwnLink('https://example.com/a?b=1&c=2', 'A | B > <!here>')).toBe(
      '<https://example.com/a?b=1&amp;c=2|A B &lt;!here>',
    );
    expect(mrkdwnLink('javascript:alert(1)', 'click')).toBe('click');
    expect(mrkdwnLink('https://ex.com/x>y', 'bad')).toBe('bad');
  });
});

describe('truncate', () => {
  it('keeps short text as it is', () => {
    expect(truncate('Short.', 10)).toBe('Short.');
  });

  it('cuts at a sentence end when one is near the limit', () => {
    const text = 'First sentence is here. Second sentence is also here. Third one runs on and on.';
    const out = truncate(text, 60);
    expect(out).toBe('First sentence is here. Second sentence is also here.');
  });

  it('cuts at a word boundary with an ellipsis otherwise', () => {
    const out = truncate('alpha beta gamma delta epsilon zeta eta theta', 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out).toBe('alpha beta gamma…');
  });

  it('never ends inside an escape sequence', () => {
    const text = escapeMrkdwn('x'.repeat(18) + '<<<<');
    for (let max = 15; max < text.length; max += 1) {
      const out = truncate(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.replace(/…$/, '')).not.toMatch(/&[a-z]*$/);
    }
  });

  it('never ends inside a link we built', () => {
    const text = `${'word '.repeat(5)}<https://example.com/a-long-path|Title>`;
    const out = truncate(text, 40);
    expect(out).not.toContain('<');
  });
});

describe('renderSlack', () => {
  it('renders one posted article: header, linked section, context with source, date and id, and both buttons', () => {
    const message = renderSlack({ kind: 'articles', cards: [card()], actions: ['summary', 'sources'] });
    const [header, section, context, actions] = message.blocks;
    expect(header).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Council approves new bridge' } });
    expect(section).toMatchObject({ type: 'section', text: { type: 'mrkdwn', verbatim: true } });
    expect(JSON.stringify(section)).toContain('<https://example.com/bridge|Read the article>');
    const contextText = JSON.stringify(context);
    expect(contextText).toContain('Reuters');
    expect(contextText).toContain('<!date^1714573800^');
    expect(contextText).toContain('a1b2c3');
    expect(actions).toMatchObject({
      type: 'actions',
      elements: [
        { action_id: ACTION_IDS.summary, value: 'a1b2c3' },
        { action_id: ACTION_IDS.sources, value: 'a1b2c3' },
      ],
    });
    expect(message.text).toBe('Council approves new bridge');
  });

  it('adds a Post to channel button only when asked', () => {
    const reply: Reply = { kind: 'articles', heading: 'Latest news', cards: [card()], actions: ['summary'] };
    expect(JSON.stringify(renderSlack(reply).blocks)).not.toContain(ACTION_IDS.post);
    const shared = renderSlack(reply, { postToChannel: '{"sub":"latest","args":{}}' });
    expect(shared.blocks.at(-1)).toMatchObject({
      type: 'actions',
      elements: [{ action_id: ACTION_IDS.post, value: '{"sub":"latest","args":{}}' }],
    });
  });

  it('renders article text containing <!channel>, <@U…>, a disguised link and @everyone inert', () => {
    const hostile = card({
      title: 'Breaking <!channel> @everyone',
      description: 'Read <https://evil.example|https://bank.example> now <!here> <@U0123> & @channel',
      sourceName: '<!subteam^S1>',
      author: '<@U999>',
    });
    const message = renderSlack({
      kind: 'articles',
      heading: '<!everyone> news',
      cards: [hostile, card({ id: 'x2' })],
      actions: ['summary'],
    });
    for (const text of mrkdwnTexts(message)) {
      // Only links we built may open with '<': our article URL and Slack date tokens.
      const controls = text.match(/<[^>]*>/g) ?? [];
      for (const control of controls) expect(control).toMatch(/^<(https:\/\/example\.com\/bridge\||!date\^)/);
      expect(text).not.toMatch(/@(everyone|here|channel)\b/);
    }
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('Breaking &lt;!channel');
    expect(json).toContain('&lt;https://evil.example|https://bank.example&gt; now &lt;!here&gt; &lt;@U0123&gt; &amp;');
    expect(json).toContain('&lt;!subteam^S1&gt; · by &lt;@U999&gt;');
  });

  it('stays within 50 blocks, 150-char headers and 3,000-char sections', () => {
    const long = 'A sentence that goes on for a while. '.repeat(200);
    const cards = Array.from({ length: 40 }, (_, index) =>
      card({ id: `id${index}`, title: 'T'.repeat(400), description: long }),
    );
    const message = renderSlack(
      { kind: 'articles', heading: 'H'.repeat(400), cards, actions: ['summary', 'sources'] },
      { postToChannel: '{}' },
    );
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    for (const header of plainTexts(message.blocks)) expect(header.length).toBeLessThanOrEqual(LIMITS.header);
    for (const text of mrkdwnTexts(message)) expect(text.length).toBeLessThanOrEqual(LIMITS.section);
    expect(JSON.stringify(message.blocks)).toMatch(/and \d+ more/);
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions', elements: [{ action_id: ACTION_IDS.post }] });

    const single = renderSlack({ kind: 'articles', cards: [card({ description: long })], actions: [] });
    const section = single.blocks[1] as { text: { text: string } };
    expect(section.text.text.length).toBeLessThanOrEqual(LIMITS.section);
    expect(section.text.text).toMatch(/\.\n<https:\/\/example\.com\/bridge\|Read the article>$/);
  });

  it('renders a summary as bullets with a Sources button and flags machine-written text', () => {
    const message = renderSlack({
      kind: 'summary',
      article: card(),
      sentences: ['One <b>.', 'Two.'],
      machineWritten: true,
    });
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('• One &lt;b&gt;.\\n• Two.');
    expect(json).toContain('language model');
    expect(message.blocks.at(-1)).toMatchObject({ elements: [{ action_id: ACTION_IDS.sources, value: 'a1b2c3' }] });
  });

  it('renders sources with names, roles, kinds and a quoted line, and a Summary button', () => {
    const message = renderSlack({
      kind: 'sources',
      article: card(),
      sources: [
        { name: 'Reuters', kinds: ['publisher'], evidence: [{ kind: 'publisher', text: 'Source: Reuters' }] },
        {
          name: 'Jane Doe',
          role: 'mayor',
          kinds: ['quoted'],
          evidence: [{ kind: 'quoted', text: '"We did it," said Jane Doe.' }],
        },
      ],
    });
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('*Reuters* (publisher)');
    expect(json).toContain('*Jane Doe*, mayor (quoted)');
    // The quote marker is ours; the quoted words are the article's.
    expect(json).toContain('\\n> \\"We did it,\\" said Jane Doe.');
    expect(message.blocks.at(-1)).toMatchObject({ elements: [{ action_id: ACTION_IDS.summary }] });
  });

  it('renders text, errors, help and an empty list', () => {
    expect(renderSlack({ kind: 'text', tone: 'error', text: 'No article <x>.' }).blocks[0]).toMatchObject({
      text: { text: ':warning: No article &lt;x&gt;.' },
    });
    const help = renderSlack({
      kind: 'help',
      heading: 'newsdesk',
      entries: [{ usage: '/news latest [count]', description: 'The newest' }],
    });
    expect(JSON.stringify(help.blocks)).toContain('`/news latest [count]` The newest');
    const empty = renderSlack({ kind: 'articles', cards: [], actions: ['summary'], empty: 'Nothing yet.' });
    expect(empty.blocks).toHaveLength(1);
    expect(empty.text).toBe('Nothing yet.');
  });
});
