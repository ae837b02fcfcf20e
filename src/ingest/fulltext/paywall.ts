import type { DomElement } from './dom.js';

/** Markup that paywall vendors and sites put around the locked part (Piano, Poool, Laterpay, own walls). */
const WALL_CLASS_PARTS = [
  'paywall',
  'subscriber-only',
  'premium-content',
  'regwall',
  'piano-',
  'tp-modal',
  'poool',
  'article-locked',
  'meteredContent',
];
const WALL_ID_PARTS = ['paywall', 'piano-'];

/** Walls are often outside the content, so the page scan asks this of every element before pruning. */
export function isWallElement(element: DomElement): boolean {
  if (element.getAttribute('data-paywall') !== null) return true;
  const className = element.getAttribute('class');
  if (className && WALL_CLASS_PARTS.some((part) => className.includes(part))) return true;
  const id = element.getAttribute('id');
  return id !== null && WALL_ID_PARTS.some((part) => id.includes(part));
}

/** What a wall says at the point where the free text stops. */
const WALL_TEXT = new RegExp(
  [
    'subscribe (now )?to (continue|keep) reading',
    'to continue reading,? (please )?(subscribe|sign in|log in)',
    'this (article|story|content) is (only )?(available |reserved )?(for|to) (subscribers|members)',
    'already a subscriber\\??',
    'become a (subscriber|member) to read',
    'unlock (this|the full) (article|story)',
    'jetzt (weiterlesen|abonnieren|abo abschließen)',
    'weiterlesen mit (z\\+|f\\+|\\w+plus|abo)',
    'dieser artikel ist (nur )?für abonnenten',
    'cet article est réservé aux abonnés',
    'réservé aux abonnés',
    'articolo riservato agli abbonati',
  ].join('|'),
  'i',
);

export interface PaywallSignal {
  paywalled: boolean;
  reason?: string;
}

/**
 * A page is paywalled when schema.org says so (`isAccessibleForFree: false`), or when its
 * extracted text is short and either the markup holds a wall element or the text ends on a wall's words.
 */
export function judgePaywall(input: { notFree: boolean; wallMarkup: boolean; text: string }): PaywallSignal {
  if (input.notFree) return { paywalled: true, reason: 'the article is for subscribers only' };
  const words = input.text.split(/\s+/).filter(Boolean).length;
  const tail = input.text.slice(-400);
  if (WALL_TEXT.test(tail) && words < 600) return { paywalled: true, reason: 'the article stops at a subscribe wall' };
  if (input.wallMarkup && words < 150) return { paywalled: true, reason: 'the article stops at a subscribe wall' };
  return { paywalled: false };
}
