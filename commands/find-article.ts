import type { Article } from '../src/domain/article.js';
import { NewsdeskError } from '../src/domain/errors.js';
import type { CommandContext } from './command.js';
import { spaceOf } from './space-scope.js';

export async function findArticle(ctx: CommandContext, id: string): Promise<Article> {
  const article = await ctx.stores.articles.get(id.trim(), spaceOf(ctx));
  if (!article)
    throw new NewsdeskError('not_found', `No article with id "${id.trim()}". Try /news latest or /news search.`);
  return article;
}
