import type { Command } from './command.js';
import { articleCard } from '../src/domain/cards.js';

export const searchCommand: Command<{ query: string }> = {
  name: 'search',
  description: 'Find articles by words in the title or text',
  options: [{ name: 'query', description: 'Words to look for', type: 'string', required: true, rest: true }],
  async run(ctx, { query }) {
    const articles = await ctx.stores.articles.search(query, 5);
    return {
      kind: 'articles',
      heading: `Search: ${query}`,
      cards: articles.map((article) => articleCard(article)),
      actions: ['summary', 'sources'],
      empty: `Nothing matches "${query}".`,
    };
  },
};
