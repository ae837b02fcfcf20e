import type { Article } from '../domain/article.js';
import type { Stores } from '../store/ports.js';

/** Articles read once per pass: a fan-out posts one article to every channel, not one read per post. */
export function articlesForOnePass(articles: Stores['articles']): (id: string) => Promise<Article | undefined> {
  const read = new Map<string, Promise<Article | undefined>>();
  return (id) => {
    let article = read.get(id);
    if (!article) {
      // A pass over a long backlog touches many articles; keep the memory bounded.
      if (read.size >= 1_000) read.clear();
      article = articles.get(id);
      read.set(id, article);
      // A failed read is not remembered: the next channel asks again.
      article.catch(() => read.delete(id));
    }
    return article;
  };
}
