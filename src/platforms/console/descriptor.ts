import { definePlatform } from '../descriptor.js';
import { createConsoleAdapter } from './adapter.js';

/** The terminal: on when no chat platform is, so a new user sees the bot work with no tokens at all. */
export const consolePlatform = definePlatform({
  name: 'console',
  env: {},
  fallback: true,
  enabled: () => ({}),
  channels: () => ['main'],
  create: (_settings, deps) => createConsoleAdapter({ execute: deps.execute, ...deps.terminal }),
});
