/**
 * The summariser's own version, stored beside each article's content hash. Bump it whenever the
 * ranking, the sentence splitting or the sources extraction changes what an article gets, so the
 * background re-summariser picks stored articles up again.
 *
 * 2: lead-first ranking chosen by cross-validation, raw-news cleaning, languages, new speaker patterns.
 */
export const summarizerVersion = 2;
