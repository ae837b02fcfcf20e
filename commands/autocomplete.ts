import type { ArticleTitle, Stores } from '../src/store/ports.js';

/** Discord allows at most 25 choices per autocomplete answer, and 100 characters per name. */
export const MAX_CHOICES = 25;

export async function suggestArticles(stores: Stores, typed: string, limit = MAX_CHOICES): Promise<ArticleTitle[]> {
  return stores.articles.suggest(typed, Math.min(limit, MAX_CHOICES));
}
