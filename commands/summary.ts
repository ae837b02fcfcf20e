import type { Command } from './command.js';
import { articleCard } from '../src/domain/cards.js';
import { basisLine } from '../src/domain/basis.js';
import { findArticle } from './find-article.js';

export const summaryCommand: Command<{ id: string }> = {
  name: 'summary',
  description: 'A short summary of an article',
  options: [
    {
      name: 'id',
      description: 'Article id (from /news latest)',
      type: 'string',
      required: true,
      autocomplete: 'article-id',
    },
  ],
  async run(ctx, { id }) {
    const article = await findArticle(ctx, id);
    const summary = ctx.summarize ? await ctx.summarize(article) : article.summary;
    return {
      kind: 'summary',
      article: articleCard(article, ''),
      sentences: summary.sentences,
      machineWritten: summary.method === 'llm',
      basis: basisLine(article.basis, article.origin),
    };
  },
};
