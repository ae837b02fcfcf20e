import type { Command } from './command.js';
import { articleCard } from '../src/domain/cards.js';
import { spaceOf } from './space-scope.js';

export const latestCommand: Command<{ count?: number }> = {
  name: 'latest',
  description: 'The newest articles',
  options: [
    { name: 'count', description: 'How many, 1 to 10 (default 5)', type: 'integer', required: false, min: 1, max: 10 },
  ],
  async run(ctx, { count = 5 }) {
    const articles = await ctx.stores.articles.latest(count, spaceOf(ctx));
    return {
      kind: 'articles',
      heading: 'Latest news',
      cards: articles.map((article) => articleCard(article)),
      actions: ['summary', 'sources'],
      empty: 'No articles yet. Add files to the articles folder or a feed with /news feeds add.',
    };
  },
};
