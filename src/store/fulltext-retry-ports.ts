/** A teaser whose page failed for a reason that may pass, waiting to be fetched again. */
export interface FullTextRetry {
  /** The stored article's key: one retry per article. */
  articleKey: string;
  url: string;
  /** The feed item's own hash when it failed: a changed item makes the retry moot. */
  feedHash: string;
  /** The feed's draft, as JSON, so a restart can fetch it again. */
  draft: string;
  /** Failed retries so far (the first fetch not counted). */
  attempts: number;
  state: 'pending' | 'gave_up';
  /** ISO 8601: when it is due (pending), or when it gave up. */
  nextAt: string;
  /** The last failure, as the basis line says it. */
  reason: string;
}

export type NewRetry = Omit<FullTextRetry, 'state'>;

export interface FullTextRetryStore {
  /**
   * Schedules (or reschedules) the article's retry. A new one is refused (false) when `maxPending`
   * retries are already waiting; rescheduling one that waits is always allowed.
   */
  schedule(retry: NewRetry, maxPending: number, now: string): Promise<boolean>;
  /** Stops retrying the article and keeps why. */
  giveUp(articleKey: string, reason: string, attempts: number, now: string): Promise<void>;
  /**
   * Due pending retries, oldest first, each moved to `leaseUntil` so another replica does not take it
   * too; one that is not finished (a crash) comes due again then.
   */
  claimDue(now: string, leaseUntil: string, limit: number): Promise<FullTextRetry[]>;
  /** Forgets the article's retry (the page came, the item changed, or the failure is for good). */
  clear(articleKey: string): Promise<void>;
  get(articleKey: string): Promise<FullTextRetry | undefined>;
  countPending(): Promise<number>;
  /** Drops given-up rows older than `before`. */
  pruneGivenUp(before: string): Promise<number>;
}
