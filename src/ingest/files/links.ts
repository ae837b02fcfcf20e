const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'()\]]+[^\s<>"'()\].,;:!?]/g;
const MARKDOWN_LINK = /\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g;

/** Links written in the text: markdown `[text](url)` first, then bare URLs; each URL once. */
export function findLinks(text: string): { url: string; text?: string }[] {
  const links = new Map<string, { url: string; text?: string }>();
  for (const match of text.matchAll(MARKDOWN_LINK)) {
    const url = match[2]!;
    if (!links.has(url)) links.set(url, { url, text: match[1] });
  }
  for (const match of text.matchAll(URL_IN_TEXT)) {
    if (!links.has(match[0])) links.set(match[0], { url: match[0] });
  }
  return [...links.values()];
}
