import { articleCard, postReply } from '../../src/domain/cards.js';
import type { Article } from '../../src/domain/article.js';
import { createFilterMatcher, parseFilter } from '../../src/domain/subscription.js';
import { enrichDraft } from '../../src/ingest/enrich.js';
import { itemToDraft } from '../../src/ingest/feeds/item-to-draft.js';
import { parseFeed } from '../../src/ingest/feeds/parse-feed.js';
import { parseArticleFile } from '../../src/ingest/parse-article-file.js';
import { renderText } from '../../src/platforms/console/render.js';
import { renderDiscord } from '../../src/platforms/discord/render.js';
import { renderSlack } from '../../src/platforms/slack/render.js';
import type { ArticleInput } from '../../src/store/ports.js';
import type { HostileCase } from './corpus.js';

export interface CaseOutcome {
  /** Articles that came out; 0 with a reason when the document was refused. */
  articles: number;
  rejected?: string;
  /** Longest title stored, and longest rendered terminal text. */
  longestTitle: number;
  longestTerminal: number;
  /** What the terminal printed, for escape checks. */
  terminal: string[];
}

const FEED_URL = 'https://news.example/feed.xml';
const catastrophic = createFilterMatcher(parseFilter('/(\\w+\\s?)+$/'));

function asArticle(input: ArticleInput, index: number): Article {
  return { ...input, id: `h${index}`, firstSeenAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z' };
}

function drafts(entry: HostileCase, bytes: Buffer): ArticleInput[] {
  if (entry.kind === 'file')
    return [enrichDraft(parseArticleFile({ path: `/articles/${entry.file}`, bytes, timeZone: 'UTC' }))];
  const feed = parseFeed(bytes, { url: FEED_URL });
  return feed.items.map((item) => enrichDraft(itemToDraft(item, feed, FEED_URL), { title: feed.title }));
}

/** The real parse → enrich → filter → render path, everything a stored article goes through. */
export function runCase(entry: HostileCase): CaseOutcome {
  const bytes = entry.bytes();
  let inputs: ArticleInput[];
  try {
    inputs = drafts(entry, bytes);
  } catch (err) {
    return { articles: 0, rejected: (err as Error).message, longestTitle: 0, longestTerminal: 0, terminal: [] };
  }
  const terminal: string[] = [];
  inputs.forEach((input, index) => {
    const article = asArticle(input, index);
    catastrophic(article);
    const replies = [
      postReply(article),
      {
        kind: 'summary' as const,
        article: articleCard(article),
        sentences: article.summary.sentences,
        machineWritten: false,
      },
      { kind: 'sources' as const, article: articleCard(article), sources: article.sources },
    ];
    for (const reply of replies) {
      renderDiscord(reply);
      renderSlack(reply);
      terminal.push(renderText(reply));
    }
  });
  return {
    articles: inputs.length,
    longestTitle: Math.max(0, ...inputs.map((input) => input.title.length)),
    longestTerminal: Math.max(0, ...terminal.map((text) => text.length)),
    terminal,
  };
}
