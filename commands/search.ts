import type { Command } from './command.js';
import { articleCard } from '../src/domain/cards.js';
import { spaceOf } from './space-scope.js';

export const searchCommand: Command<{ query: string }> = {
  name: 'search',
  description: 'Find articles: all words must match; OR, -word and "a phrase" work too',
  options: [
    {
      name: 'query',
      description: 'e.g. climate OR weather -sport "heat wave"',
      type: 'string',
      required: true,
      rest: true,
    },
  ],
  async run(ctx, { query }) {
    const articles = await ctx.stores.articles.search(query, 5, spaceOf(ctx));
    return {
      kind: 'articles',
      heading: `Search: ${query}`,
      cards: articles.map((article) => articleCard(article)),
      actions: ['summary', 'sources'],
      empty: `Nothing matches "${query}".`,
    };
  },
};
