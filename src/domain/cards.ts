import type { Article } from './article.js';
import { templateValues, type TemplatePart } from './post-template.js';
import { leadImage, presentationOf, templateParts } from './presentation.js';
import type { ArticleCard, PostLook, Reply } from './reply.js';
import { matchesFilter, parseFilter, type Subscription } from './subscription.js';

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

/** The message a channel receives for a new article, shaped by the subscription when there is one. */
export function postReply(article: Article, subscription?: PresentedSubscription): Reply {
  const plain: Reply = { kind: 'articles', cards: [articleCard(article)], actions: ['summary', 'sources'] };
  if (!subscription?.presentation) return plain;
  const shaped = shape([article], subscription);
  return { ...plain, cards: shaped.cards, look: shaped.look };
}

/**
 * Cards with the subscription's image and template values, and the look they share. The mentions are
 * added once when any of the articles matches the mention filter (a digest pings once, not per article).
 */
function shape(articles: Article[], subscription: PresentedSubscription): { cards: ArticleCard[]; look: PostLook } {
  const look = presentationOf(subscription.presentation);
  let template: TemplatePart[] | undefined;
  try {
    template = templateParts(look.template);
  } catch {
    // A template stored before a placeholder was renamed: post the style's default rather than nothing.
    template = undefined;
  }
  const timeZone = subscription.timezone ?? 'UTC';
  const cards = articles.map((article) => {
    const card = articleCard(article);
    if (look.image) {
      const image = leadImage(article);
      if (image) card.image = image;
    }
    if (template) card.template = { values: templateValues(article, timeZone), published: article.published };
    return card;
  });
  const ping = look.mentions.length > 0 && articles.some((article) => mentionApplies(article, look.mentionFilter));
  const mentions = ping ? look.mentions : [];
  const placement = {
    ...(look.thread ? { thread: true } : {}),
    ...(look.tags.length > 0 ? { tags: look.tags.map((tag) => tag.id) } : {}),
  };
  return { cards, look: { style: look.style, template, timeZone, mentions, ...placement } };
}

/** The subscription fields a post's look depends on. */
export type PresentedSubscription = Pick<Subscription, 'presentation' | 'timezone'>;

function mentionApplies(article: Article, filterText: string | undefined): boolean {
  if (!filterText) return true;
  try {
    return matchesFilter(article, parseFilter(filterText));
  } catch {
    return false;
  }
}

/** One message for several new articles (a subscription in digest mode), in the subscription's look. */
export function digestReply(articles: Article[], subscription?: PresentedSubscription): Reply {
  const heading = articles.length === 1 ? 'News digest: 1 new article' : `News digest: ${articles.length} new articles`;
  if (!subscription?.presentation) {
    return { kind: 'articles', heading, cards: articles.map((article) => articleCard(article)), actions: [] };
  }
  return { kind: 'articles', heading, actions: [], ...shape(articles, subscription) };
}
