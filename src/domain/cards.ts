import type { Article } from './article.js';
import type { ArticleCard, Reply } from './reply.js';

// How an article looks as a message: commands answer with it and delivery posts it.

/** Who to credit in a footer: the publisher line, else the feed, else the author. */
export function sourceName(article: Article): string | undefined {
  if (article.publishers[0]) return article.publishers[0];
  if (article.origin.kind === 'feed') return article.origin.feedTitle;
  return undefined;
}

export function articleCard(article: Article, description = article.summary.sentences.join(' ')): ArticleCard {
  return {
    id: article.id,
    title: article.title,
    url: article.url,
    published: article.published,
    sourceName: sourceName(article),
    author: article.author,
    description: description || undefined,
    tags: article.tags.length > 0 ? article.tags : undefined,
  };
}

/** The message a channel receives for a new article. */
export function postReply(article: Article): Reply {
  return { kind: 'articles', cards: [articleCard(article)], actions: ['summary', 'sources'] };
}

/** One message for several new articles (a subscription in digest mode). */
export function digestReply(articles: Article[]): Reply {
  return {
    kind: 'articles',
    heading: articles.length === 1 ? 'News digest: 1 new article' : `News digest: ${articles.length} new articles`,
    cards: articles.map((article) => articleCard(article)),
    actions: [],
  };
}
