import type { webApi } from '@slack/bolt';
import { watchSentHeaders } from '../sent-headers-watch.js';

/** Ours alone: tells this process's listener which post a request is. Slack ignores headers it does not know. */
const MARK = 'x-newsdesk-post';
const MARKED = new RegExp(`\\r\\n${MARK}: (\\d+)\\r\\n`, 'i');

type FetchFunction = NonNullable<webApi.WebClientOptions['fetch']>;

/**
 * Tells a scheduled Slack post the moment its request left. The client serialises and queues a
 * call before it sends it, and on a busy process that took tens of ms: counted from the call, two
 * posts a window apart on one rate lane could reach Slack less than a second apart (workspace 429s
 * with three replicas under load). The client's fetch (Node's, over undici) is wrapped to mark each
 * chat.postMessage whose channel is awaited; the mark is read back as its headers are written.
 */
export function createSlackSendWatch(base: FetchFunction = globalThis.fetch as unknown as FetchFunction) {
  const marked = new Map<string, string>();
  let next = 0;
  const watch = watchSentHeaders((message) => {
    const headers = (message as { headers?: unknown }).headers;
    const text = Array.isArray(headers) ? headers.join('\r\n') : String(headers ?? '');
    const token = MARKED.exec(text)?.[1];
    return token ? marked.get(token) : undefined;
  });

  const fetch: FetchFunction = (url, init) => {
    const channel =
      String(url).endsWith('/chat.postMessage') && typeof init?.body === 'string'
        ? new URLSearchParams(init.body).get('channel')
        : null;
    if (!channel || !watch.has(channel)) return base(url, init);
    next += 1;
    const token = String(next);
    marked.set(token, channel);
    return base(url, { ...init, headers: { ...init?.headers, [MARK]: token } }).finally(() => marked.delete(token));
  };

  return {
    fetch,
    start: watch.start,
    stop: watch.stop,
    /** Call `waiter` each time a chat.postMessage to `channel` leaves, until the returned cancel (after the answer). */
    expect: watch.expect,
  };
}

export type SlackSendWatch = ReturnType<typeof createSlackSendWatch>;
