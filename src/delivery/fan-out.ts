import type { Article } from '../domain/article.js';
import type { Platform } from '../domain/channel.js';
import { OPERATOR_SPACE } from '../domain/space.js';
import { parseChannelId } from '../domain/channel.js';
import { createFilterMatcher, filterSubject, type Subscription } from '../domain/subscription.js';
import type { Logger } from '../logger.js';
import type { PlatformAdapter } from '../platforms/adapter.js';
import type { Stores, UpsertResult } from '../store/ports.js';
import { postReply } from '../domain/cards.js';

export type OnUpdate = 'edit' | 'ignore' | 'repost';

const MAX_COMPILED = 5_000;
const SLICE_MS = 20;

/**
 * Decides which channels receive a stored article and writes their pending ledger rows. A
 * subscription only receives articles that arrive after it (no flood), and none while paused.
 * When an article that was already posted changes, ON_UPDATE says what happens to the posts.
 */
export function createFanOut(deps: {
  stores: Stores;
  log: Logger;
  onUpdate: OnUpdate;
  adapters?: () => Partial<Record<Platform, PlatformAdapter>>;
}) {
  const { stores, log } = deps;
  // Channel + regex already reported, so a quarantined subscription is logged once, not per article.
  const reported = new Set<string>();

  // Compiled once per filter, not once per article; the key is the filter itself.
  const compiled = new Map<string, ReturnType<typeof createFilterMatcher>>();

  /** The subscription's matcher, or undefined (quarantined) when its stored filter cannot run. */
  function matcherFor(subscription: Subscription) {
    const cacheKey = JSON.stringify(subscription.filter);
    const cached = compiled.get(cacheKey);
    if (cached) return cached;
    try {
      const matcher = createFilterMatcher(subscription.filter);
      if (compiled.size >= MAX_COMPILED) compiled.clear();
      compiled.set(cacheKey, matcher);
      return matcher;
    } catch (err) {
      const key = `${subscription.channel} ${subscription.filter.regex ?? ''}`;
      if (!reported.has(key)) {
        reported.add(key);
        const reason = (err as Error).message;
        const { channel, filter } = subscription;
        log.warn({ channel, regex: filter.regex, reason }, 'subscription quarantined');
      }
      return undefined;
    }
  }

  /**
   * Which subscriptions may receive the article at all (DESIGN.md, spaces): files and operator feeds
   * go to every space, a space's feed only to that space, and a subscription naming feeds gets only those.
   */
  async function audience(article: Article): Promise<(subscription: Subscription) => boolean> {
    if (article.origin.kind !== 'feed') return (subscription) => !subscription.feeds;
    const links = await stores.feeds.links(article.origin.feedUrl);
    const spaces = new Set(links.map((link) => link.space));
    const feedId = links[0]?.feedId;
    const everyone = spaces.has(OPERATOR_SPACE);
    return (subscription) =>
      (everyone || spaces.has(subscription.space ?? OPERATOR_SPACE)) &&
      (!subscription.feeds || (feedId !== undefined && subscription.feeds.includes(feedId)));
  }

  async function fanOutNew(result: UpsertResult): Promise<void> {
    const subscriptions = await stores.subscriptions.listSubscriptions();
    const subject = filterSubject(result.article);
    const allowed = await audience(result.article);
    const channels: Subscription['channel'][] = [];
    let slice = performance.now();
    for (const subscription of subscriptions) {
      if (subscription.paused || !allowed(subscription)) continue;
      if (matcherFor(subscription)?.(subject) === true) channels.push(subscription.channel);
      // Each regex is linear but there may be many: give the loop back between slices.
      if (performance.now() - slice > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
    }
    const added = await stores.deliveries.enqueue(result.article.id, channels);
    if (added > 0) log.debug({ articleId: result.article.id, channels: added }, 'deliveries queued');
  }

  /** False when a post could not be edited yet because its platform is not connected here (the CLI). */
  async function followUpdate(result: UpsertResult): Promise<boolean> {
    if (deps.onUpdate === 'ignore') return true;
    let done = true;
    const posted = (await stores.deliveries.forArticle(result.article.id)).filter(
      (row) => row.state === 'sent' && row.messageId,
    );
    for (const row of posted) {
      if (deps.onUpdate === 'repost') {
        await stores.deliveries.reset(row.articleId, row.channel, new Date().toISOString());
        continue;
      }
      const platform = parseChannelId(row.channel)?.platform;
      const adapter = platform ? deps.adapters?.()[platform] : undefined;
      if (!adapter) {
        done = false;
        continue;
      }
      if (!adapter.edit) continue;
      try {
        // The edit keeps the channel's look (style, template, image); an edit never pings again.
        const subscription = await stores.subscriptions.getSubscription(row.channel);
        if (subscription && subscription.digest > 0) {
          // A digest message holds other articles too: one article's post must not replace it.
          log.info({ articleId: row.articleId, channel: row.channel }, 'digest post left as it is after an update');
          continue;
        }
        await adapter.edit(row.channel, row.messageId!, postReply(result.article, subscription));
        log.info({ articleId: row.articleId, channel: row.channel, messageId: row.messageId }, 'posted article edited');
      } catch (err) {
        log.warn({ err, articleId: row.articleId, channel: row.channel }, 'could not edit the posted article');
      }
    }
    return done;
  }

  /** Resolves true when everything this change asks for is done (or queued in the ledger). */
  return async (result: UpsertResult): Promise<boolean> => {
    if (result.status === 'new') await fanOutNew(result);
    else if (result.status === 'updated') return followUpdate(result);
    return true;
  };
}
