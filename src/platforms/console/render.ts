import type { ArticleSource } from '../../domain/article.js';
import type { ArticleCard, Reply } from '../../domain/reply.js';
import { boundReply } from '../bound-reply.js';
import { terminalSafe } from './terminal-safe.js';

const WIDTH = 88;

/** Greedy word wrap; words longer than the line stay whole. */
export function wrap(text: string, width = WIDTH, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width - indent.length) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

function when(iso: string | undefined): string | undefined {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : undefined;
}

function cardHeader(card: ArticleCard): string {
  const meta = [card.sourceName, card.author && `by ${card.author}`, when(card.published), `id ${card.id}`]
    .filter(Boolean)
    .join(' · ');
  return [`■ ${card.title}`, `  ${meta}`, card.url ? `  ${card.url}` : undefined].filter(Boolean).join('\n');
}

function renderCard(card: ArticleCard): string {
  return [cardHeader(card), card.description ? wrap(card.description, WIDTH, '  ') : undefined]
    .filter(Boolean)
    .join('\n');
}

/** The basis line, apart from the text above it. */
function basisFooter(basis: string | undefined): string {
  return basis ? `\n  (${basis})` : '';
}

function renderSource(source: ArticleSource): string {
  const name = source.role ? `${source.name}, ${source.role}` : source.name;
  const evidence = source.evidence.map((item) =>
    wrap(`“${item.text}”`, WIDTH, '      ').replace(/^ {6}/, `    - ${item.kind}: `),
  );
  return [`  • ${name} (${source.kinds.join(', ')})`, ...evidence].join('\n');
}

/**
 * Plain terminal text for a reply. A terminal cannot be pinged, but it obeys escape sequences, so
 * those are stripped; sizes are bounded first so a 5 MB title costs no more than a short one.
 */
export function renderText(reply: Reply): string {
  return terminalSafe(renderBounded(boundReply(reply)));
}

function renderBounded(reply: Reply): string {
  switch (reply.kind) {
    case 'text':
      return [reply.title, reply.tone === 'error' ? `! ${reply.text}` : reply.text].filter(Boolean).join('\n');
    case 'articles': {
      if (reply.cards.length === 0) return reply.empty ?? 'Nothing to show.';
      const cards = reply.cards.map(renderCard).join('\n\n');
      const hint = reply.actions.length > 0 && reply.heading ? `\n\n(/news summary <id> · /news sources <id>)` : '';
      return [reply.heading, cards].filter(Boolean).join('\n\n') + hint;
    }
    case 'summary':
      return [
        cardHeader(reply.article),
        '',
        ...reply.sentences.map((sentence) => wrap(sentence, WIDTH, '  ')),
        reply.machineWritten ? '\n  (machine-written summary)' : '',
        basisFooter(reply.basis),
      ]
        .join('\n')
        .trimEnd();
    case 'sources':
      return [
        cardHeader(reply.article),
        '',
        reply.sources.length === 0 ? '  No sources named in this article.' : 'Sources:',
        ...reply.sources.map(renderSource),
        basisFooter(reply.basis),
      ]
        .join('\n')
        .trimEnd();
    case 'file':
      // The document itself is the answer (`news feeds export > feeds.opml`).
      return reply.content.trimEnd();
    case 'help':
      return [reply.heading, ...reply.entries.map((entry) => `  ${entry.usage.padEnd(34)} ${entry.description}`)].join(
        '\n',
      );
  }
}
