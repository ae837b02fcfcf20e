import { createHmac } from 'node:crypto';

/** Slack's v0 request signature: HMAC-SHA256 over `v0:{timestamp}:{raw body}`, hex. */
export function slackSignature(signingSecret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SignedPost {
  signingSecret: string;
  rawBody: string;
  contentType?: string;
  /** Seconds; defaults to now. */
  timestamp?: number;
  /** Overrides the computed signature (to forge one). */
  signature?: string;
  /** More headers, e.g. Slack's `x-slack-retry-num` and `x-slack-retry-reason` on a redelivery. */
  headers?: Record<string, string>;
}

/** POSTs a body to our /slack/events exactly as Slack does: raw bytes, signed, form-encoded by default. */
export async function postSigned(url: string, options: SignedPost): Promise<{ status: number; body: string }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(options.signingSecret, timestamp, options.rawBody),
      ...options.headers,
    },
    body: options.rawBody,
  });
  return { status: response.status, body: await response.text() };
}

/** A slash command body with Slack's field order and encoding. */
export function slashCommandBody(fields: {
  text: string;
  userId?: string;
  channelId?: string;
  responseUrl: string;
  teamId?: string;
}): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: fields.teamId ?? 'T111',
    team_domain: 'fake',
    channel_id: fields.channelId ?? 'C111',
    channel_name: 'news',
    user_id: fields.userId ?? 'U111',
    user_name: 'reader',
    command: '/news',
    text: fields.text,
    api_app_id: 'A111',
    response_url: fields.responseUrl,
    trigger_id: '111.222.xxx',
  }).toString();
}

/** An interactivity body: one `payload` field holding URL-encoded JSON, as Slack sends block_actions. */
export function blockActionBody(fields: {
  actionId: string;
  value: string;
  responseUrl: string;
  userId?: string;
  channelId?: string;
}): string {
  const payload = {
    type: 'block_actions',
    user: { id: fields.userId ?? 'U111', username: 'reader', name: 'reader', team_id: 'T111' },
    api_app_id: 'A111',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: '111.222', channel_id: fields.channelId ?? 'C111', is_ephemeral: true },
    trigger_id: '111.222.valid',
    team: { id: 'T111', domain: 'fake' },
    channel: { id: fields.channelId ?? 'C111', name: 'news' },
    response_url: fields.responseUrl,
    actions: [
      {
        action_id: fields.actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'Button', emoji: true },
        value: fields.value,
        type: 'button',
        action_ts: '1596530385.194939',
      },
    ],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
