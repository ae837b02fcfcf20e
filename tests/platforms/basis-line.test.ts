import { describe, expect, it } from 'vitest';
import { basisLine } from '../../src/domain/basis.js';
import type { Reply } from '../../src/domain/reply.js';
import { renderText } from '../../src/platforms/console/render.js';
import { renderDiscord } from '../../src/platforms/discord/render.js';
import { renderSlack } from '../../src/platforms/slack/render.js';

const card = { id: 'abc123', title: 'Bridge vote', url: 'https://example.com/bridge' };
const teaser = basisLine({ kind: 'teaser', reason: 'the page could not be read (403)' });
const replies: Reply[] = [
  { kind: 'summary', article: card, sentences: ['The council voted.'], machineWritten: false, basis: teaser },
  { kind: 'sources', article: card, sources: [], basis: teaser },
];

describe('the basis line on every platform', () => {
  it.each(replies)('$kind shows it in the terminal, on Discord and on Slack', (reply) => {
    expect(renderText(reply)).toContain("From the feed's teaser: the page could not be read (403)");
    const discord = JSON.stringify(renderDiscord(reply));
    expect(discord).toContain("From the feed's teaser: the page could not be read (403)");
    const slack = JSON.stringify(renderSlack(reply));
    expect(slack).toContain("From the feed's teaser: the page could not be read (403)");
  });

  it('is absent when a reply carries none', () => {
    const { basis: _basis, ...plain } = replies[0] as Extract<Reply, { kind: 'summary' }>;
    expect(renderText(plain)).not.toContain('From the');
  });
});
