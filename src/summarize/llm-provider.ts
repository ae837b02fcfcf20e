import { bodyParagraphs, type Article, type ArticleSummary } from '../domain/article.js';
import { NewsdeskError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { splitSentences } from './sentences.js';
import { DEFAULT_MAX_CHARS } from './summarize.js';

/**
 * Optional machine-written summaries from an OpenAI-compatible chat-completions endpoint
 * (SUMMARY_PROVIDER=openai). The extractive summary stays the source of truth: on a timeout, an
 * HTTP error, a malformed answer or an empty one we return `article.summary` unchanged. Sources
 * never come from here.
 */

export interface LlmSummarizerDeps {
  /** e.g. https://api.openai.com/v1 — `/chat/completions` is appended. */
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs?: number;
  log: Logger;
  /** Articles remembered (successful summaries); the oldest is forgotten first. */
  cacheSize?: number;
  /** After a failure, the same article falls back without a new request for this long. */
  failureCooldownMs?: number;
  now?: () => number;
}

export interface LlmSummarizer {
  summarize(article: Article): Promise<ArticleSummary>;
}

/** Article text sent to the model is capped; a news story's substance is in its first pages. */
const MAX_INPUT_CHARS = 12_000;
const SYSTEM_PROMPT =
  'You summarise news articles. Reply with two or three plain sentences that state the key facts of the ' +
  'article. Use only facts from the article. No preamble, no lists, no markdown, no sources.';

function promptFor(article: Article): string {
  const body = bodyParagraphs(article).join('\n\n').slice(0, MAX_INPUT_CHARS);
  return `Title: ${article.title}\n\n${body}`;
}

/** Whole sentences of the model's answer within the stored summary budget. */
function toSummary(content: string): ArticleSummary {
  const sentences: string[] = [];
  let used = 0;
  for (const sentence of splitSentences(content.replace(/^\s*(?:summary|tl;dr)\s*:\s*/i, ''))) {
    const cost = sentence.length + (sentences.length > 0 ? 1 : 0);
    if (used + cost > DEFAULT_MAX_CHARS) break;
    sentences.push(sentence);
    used += cost;
  }
  if (sentences.length === 0) throw new NewsdeskError('transient', 'model returned an empty summary');
  return { sentences, method: 'llm' };
}

function contentOf(payload: unknown): string {
  const choices = (payload as { choices?: unknown } | null)?.choices;
  const first = Array.isArray(choices) ? (choices[0] as { message?: { content?: unknown } } | undefined) : undefined;
  const content = first?.message?.content;
  if (typeof content !== 'string')
    throw new NewsdeskError('transient', 'chat completion has no choices[0].message.content');
  return content;
}

export function createLlmSummarizer(deps: LlmSummarizerDeps): LlmSummarizer {
  const endpoint = `${deps.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const cacheSize = deps.cacheSize ?? 500;
  const cooldownMs = deps.failureCooldownMs ?? 60_000;
  const now = deps.now ?? Date.now;
  const cache = new Map<string, Promise<ArticleSummary>>();
  const failedAt = new Map<string, number>();

  async function request(article: Article): Promise<ArticleSummary> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${deps.apiKey}` },
        body: JSON.stringify({
          model: deps.model,
          temperature: 0,
          messages: [
            { role: 'system', content: SYSTEM_PROMPT },
            { role: 'user', content: promptFor(article) },
          ],
        }),
        signal: controller.signal,
      });
      // The body is read under the same deadline: a server that sends headers and stalls still times out.
      const text = await res.text();
      if (!res.ok)
        throw new NewsdeskError('transient', `chat completion failed with HTTP ${res.status}`, { status: res.status });
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch (err) {
        throw new NewsdeskError('transient', 'chat completion is not valid JSON', {}, { cause: err });
      }
      return toSummary(contentOf(payload));
    } catch (err) {
      if (controller.signal.aborted)
        throw new NewsdeskError('transient', `chat completion timed out after ${timeoutMs} ms`, {}, { cause: err });
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async summarize(article) {
      const key = `${article.id}:${article.contentHash}`;
      const failed = failedAt.get(key);
      if (failed !== undefined && now() - failed < cooldownMs) return article.summary;
      let pending = cache.get(key);
      if (!pending) {
        pending = request(article);
        cache.set(key, pending);
        if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
      }
      try {
        const summary = await pending;
        failedAt.delete(key);
        return summary;
      } catch (err) {
        if (cache.get(key) === pending) cache.delete(key);
        failedAt.set(key, now());
        if (failedAt.size > cacheSize) failedAt.delete(failedAt.keys().next().value!);
        deps.log.warn(
          { err, articleId: article.id, model: deps.model },
          'LLM summary failed; using the extractive summary',
        );
        return article.summary;
      }
    },
  };
}
