import { extname } from 'node:path';
import type { ArticleDraft } from '../domain/article.js';
import { NewsdeskError } from '../domain/errors.js';
import { decodeArticleText } from './files/decode-text.js';
import { parseJsonArticle } from './files/parse-json-article.js';
import { parseMarkdownArticle } from './files/parse-markdown-article.js';
import { parseTextArticle } from './files/parse-text-article.js';

export const ARTICLE_EXTENSIONS = ['.txt', '.md', '.markdown', '.json'] as const;

export function isArticleFile(path: string): boolean {
  return (ARTICLE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/**
 * One article file → a draft. Throws NewsdeskError('bad_input') with a reason fit for a log line
 * when the file is empty, binary, too large, not UTF-8, or has no title or body.
 */
export function parseArticleFile(input: { path: string; bytes: Uint8Array; timeZone: string }): ArticleDraft {
  const text = decodeArticleText(input.bytes);
  const options = { path: input.path, timeZone: input.timeZone };
  switch (extname(input.path).toLowerCase()) {
    case '.txt':
      return parseTextArticle(text, options);
    case '.md':
    case '.markdown':
      return parseMarkdownArticle(text, options);
    case '.json':
      return parseJsonArticle(text, options);
    default:
      throw new NewsdeskError('bad_input', `unsupported file type "${extname(input.path)}" (use .txt, .md or .json)`);
  }
}
