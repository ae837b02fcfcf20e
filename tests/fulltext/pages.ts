/** Article pages for the full-text tests, written here (the corpora under ../shared are never copied). */

export const ONLY_ON_PAGE =
  'The harbour authority confirmed that the new sea wall withstood the storm surge without damage.';

const filler = (topic: string, n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `<p>Paragraph ${i + 1} about ${topic} carries enough ordinary words to read like reporting, with a clause or two, and a full stop.</p>`,
  ).join('\n');

export function articlePage(
  options: { title?: string; jsonLd?: object; extraBody?: string; paragraphs?: number } = {},
): string {
  const title = options.title ?? 'Storm passes the harbour';
  const jsonLd = options.jsonLd ?? {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: title,
    datePublished: '2024-03-05T10:00:00Z',
    author: [{ '@type': 'Person', name: 'Ada Reporter' }],
    image: ['http://cdn.example/insecure.jpg', 'https://cdn.example/lead.jpg'],
  };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} | Example News</title>
<meta property="og:image" content="https://cdn.example/og.jpg">
<script type="application/ld+json">${JSON.stringify(jsonLd)}</script></head>
<body>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport navigation link</a></nav></header>
<main><article>
<h1>${title}</h1>
<p class="byline">By Ada Reporter</p>
<p>${ONLY_ON_PAGE} Engineers had expected some damage to the older sections near the ferry terminal.</p>
<h2>What the engineers said</h2>
<blockquote><p>We built it for a storm like this one, and it held exactly as the models predicted it would.</p></blockquote>
<p>The report is <a href="https://harbour.example/report.pdf">published in full</a> on the authority's site, along with its data.</p>
<ul><li>Sea wall: no damage recorded</li><li>Ferry terminal: closed for two days</li></ul>
${filler('the storm', options.paragraphs ?? 6)}
${options.extraBody ?? ''}
</article>
<section class="related-stories"><h2>Related stories</h2><ul><li><a href="/a">Related headline one about something else</a></li><li><a href="/b">Related headline two</a></li></ul></section>
<div id="comments"><h3>3 comments</h3><div class="comment"><p>First commenter says this is a great article and everyone should read it.</p></div></div>
</main>
<footer><p>© 2024 Example News. All rights reserved. Privacy policy</p></footer>
</body></html>`;
}

export function paywalledPage(): string {
  return `<!doctype html><html><head><title>Locked story</title>
<script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: 'Locked story', isAccessibleForFree: false, hasPart: { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: '.paywall' } })}</script>
</head><body><article><h1>Locked story</h1><p>The first paragraph is free to read and sets the scene for the story that follows below.</p>
<div class="paywall"><p>Subscribe to continue reading. Already a subscriber? Sign in.</p></div></article></body></html>`;
}

export function subscribeWallPage(): string {
  return `<!doctype html><html><head><title>Wall story</title></head><body><article><h1>Wall story</h1>
<p>Only the opening of this story is shown to readers who have not paid, and it stops after a couple of sentences like these.</p>
<p>This article is only available to subscribers. Subscribe now to continue reading.</p></article></body></html>`;
}
