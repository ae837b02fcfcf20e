import type { Command } from './command.js';
import { articleCard } from '../src/domain/cards.js';
import { basisLine } from '../src/domain/basis.js';
import { findArticle } from './find-article.js';

export const sourcesCommand: Command<{ id: string }> = {
  name: 'sources',
  description: 'Who the article cites, quotes and credits',
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
    return {
      kind: 'sources',
      article: articleCard(article, ''),
      sources: article.sources,
      basis: basisLine(article.basis, article.origin),
    };
  },
};
