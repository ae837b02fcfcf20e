import type { ChannelId } from './channel.js';

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed';

/** One (article, channel) pair in the delivery ledger. */
export interface Delivery {
  articleId: string;
  channel: ChannelId;
  state: DeliveryState;
  attempts: number;
  /** Platform message id once sent. */
  messageId?: string;
  lastError?: string;
  /** ISO 8601: not before this time. */
  notBefore?: string;
  createdAt: string;
  updatedAt: string;
}
