import type { z } from 'zod';
import type { Command } from '../../commands/command.js';
import type { Executor } from '../../commands/execute.js';
import type { HttpServer } from '../http/server.js';
import type { LogLines } from '../log-lines.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/ports.js';
import type { PlatformAdapter } from './adapter.js';

export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** How fast the dispatcher may post to a platform, bot-wide and per channel. */
export interface RateLimits {
  global: RateWindow;
  perChannel: RateWindow;
  /** On a shared database, replicas also share each channel's budget (not only the global one). */
  sharePerChannel?: boolean;
  /** Requests the adapter's start makes outside the limiter that the global window counts; held for while it starts. */
  startupRequests?: number;
}

/** The process's terminal, for a platform that talks to it. */
export interface TerminalIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
  /** Read commands from input (off when stdin is neither a terminal nor a pipe, as in a container). */
  interactive: boolean;
  /** Called once the input ends. */
  onEnd: () => void;
  /** Log lines sharing the terminal with the prompt (redrawn after each); absent when logs go elsewhere. */
  logLines?: LogLines;
}

/** What the wiring hands every platform's `create`; a platform takes what it needs. */
export interface PlatformDeps {
  stores: Stores;
  log: Logger;
  execute: Executor;
  commands: Command[];
  http: HttpServer;
  terminal: TerminalIo;
}

/**
 * What a platform folder writes: everything the rest of newsdesk needs to know about it.
 * `Env` is its part of the configuration schema, `Settings` what it makes of those variables.
 */
export interface PlatformSpec<Env extends z.ZodRawShape, Settings> {
  /** Also the channel-id prefix: `discord:123`. Lower case letters, digits and dashes. */
  name: string;
  env: Env;
  /** The settings when the variables turn the platform on, else undefined. Throws ConfigError for a half-set group. */
  enabled(env: z.output<z.ZodObject<Env>>): Settings | undefined;
  /** On only when no other platform is (the terminal). */
  fallback?: boolean;
  /** Channels that receive scheduled posts from configuration, as native ids. */
  channels(settings: Settings): string[];
  /** Values the log scrubber must never let through. */
  secrets?(settings: Settings): (string | undefined)[];
  /** Posting limits from the platform's documentation; none for the terminal. */
  rateLimits?(settings: Settings): RateLimits;
  /** Who may manage a channel there, for the permission error ("Manage Channels on Discord"). */
  manageHint?: string;
  /**
   * Build the adapter. No I/O here (the wiring calls `start()` later); it may import its adapter
   * module lazily, so parsing the configuration or a one-shot command never loads a chat SDK.
   */
  create(settings: Settings, deps: PlatformDeps): PlatformAdapter | Promise<PlatformAdapter>;
}

/** A platform turned on by the configuration, its settings bound. */
export interface EnabledPlatform {
  name: string;
  fallback: boolean;
  settings: unknown;
  channels: string[];
  secrets: (string | undefined)[];
  rateLimits: RateLimits | undefined;
  create(deps: PlatformDeps): Promise<PlatformAdapter>;
}

/** A platform as the descriptor list holds it: its settings type erased, so one list holds them all. */
export interface PlatformDescriptor {
  name: string;
  env: z.ZodRawShape;
  fallback: boolean;
  manageHint: string | undefined;
  /** Parsed variables → the enabled platform, or undefined when it is off. */
  enable(env: Record<string, unknown>): EnabledPlatform | undefined;
}

export function definePlatform<Env extends z.ZodRawShape, Settings>(
  spec: PlatformSpec<Env, Settings>,
): PlatformDescriptor {
  if (!/^[a-z][a-z0-9-]*$/.test(spec.name))
    throw new Error(`platform name "${spec.name}" must be lower case letters, digits and dashes`);
  return {
    name: spec.name,
    env: spec.env,
    fallback: spec.fallback ?? false,
    manageHint: spec.manageHint,
    enable(env) {
      // The caller parsed env with a schema that includes this spec's shape.
      const settings = spec.enabled(env as z.output<z.ZodObject<Env>>);
      if (settings === undefined) return undefined;
      return {
        name: spec.name,
        fallback: spec.fallback ?? false,
        settings,
        channels: spec.channels(settings),
        secrets: spec.secrets?.(settings) ?? [],
        rateLimits: spec.rateLimits?.(settings),
        create: async (deps) => spec.create(settings, deps),
      };
    },
  };
}
