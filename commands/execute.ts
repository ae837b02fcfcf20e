import { isNewsdeskError, userMessage } from '../src/domain/errors.js';
import type { Invocation } from '../src/domain/invocation.js';
import type { Reply } from '../src/domain/reply.js';
import { textReply } from '../src/domain/reply.js';
import type { Logger } from '../src/logger.js';
import type { Stores } from '../src/store/ports.js';
import { optionsSchema, type Command, type CommandContext } from './command.js';
import { usage } from './help.js';
import { commands as defaultCommands, findCommand } from './index.js';

export interface ExecutorDeps {
  stores: Stores;
  log: Logger;
  now?: () => string;
  summarize?: CommandContext['summarize'];
  delivery?: CommandContext['delivery'];
  feeds?: CommandContext['feeds'];
  limits?: CommandContext['limits'];
  commands?: Command[];
  /** Who may manage a channel on each platform, from the platform descriptors ("Manage Channels on Discord"). */
  manageHints?: string[];
  /** Called with the command name and seconds taken (metrics). */
  observe?: (command: string, seconds: number, outcome: 'ok' | 'user_error' | 'error') => void;
}

export type Executor = (invocation: Invocation) => Promise<Reply>;

// Building a zod schema costs several times what answering `latest` does (and its garbage shows
// up as GC pauses in the p99), so each command's schema is built once; its options never change.
const schemas = new WeakMap<Command, ReturnType<typeof optionsSchema>>();
function schemaOf(command: Command): ReturnType<typeof optionsSchema> {
  let schema = schemas.get(command);
  if (!schema) {
    schema = optionsSchema(command.options);
    schemas.set(command, schema);
  }
  return schema;
}

/** The one entry point for every /news call on every platform. Never throws: errors become replies. */
export function createExecutor(deps: ExecutorDeps): Executor {
  const list = deps.commands ?? defaultCommands;
  const find = (name: string) => (deps.commands ? list.find((command) => command.name === name) : findCommand(name));
  const now = deps.now ?? (() => new Date().toISOString());
  const hints = deps.manageHints?.length ? ` (${deps.manageHints.join(', ')})` : '';

  return async (invocation) => {
    const started = performance.now();
    const command = find(invocation.sub) ?? find('help');
    const name = command?.name ?? 'help';
    let outcome: 'ok' | 'user_error' | 'error' = 'ok';
    try {
      if (!command) return textReply('Unknown command.', 'error');
      if (command.name !== invocation.sub) {
        outcome = 'user_error';
        const help = await command.run(context(), {});
        return {
          ...help,
          ephemeral: true,
          ...(help.kind === 'help' ? { heading: `Unknown command "${invocation.sub}". ${help.heading}` } : {}),
        };
      }
      if (command.managesChannel && !invocation.user.canManage) {
        outcome = 'user_error';
        return textReply(`You need permission to manage this channel to do that${hints}.`, 'error');
      }
      const parsed = schemaOf(command).safeParse(invocation.args);
      if (!parsed.success) {
        outcome = 'user_error';
        const issue = parsed.error.issues[0];
        const field = issue?.path[0];
        const missing = field !== undefined && invocation.args[String(field)] === undefined;
        const detail = missing ? `${String(field)} is required` : (issue?.message ?? 'bad arguments');
        return textReply(`${detail}. Usage: ${usage(command, { files: !invocation.typed })}`, 'error');
      }
      return await command.run(context(), parsed.data);
    } catch (err) {
      if (isNewsdeskError(err) && err.code !== 'internal' && err.code !== 'storage') {
        outcome = 'user_error';
      } else {
        outcome = 'error';
        deps.log.error(
          { err, sub: invocation.sub, channel: invocation.channel, user: invocation.user.id },
          'command failed',
        );
      }
      return textReply(userMessage(err), 'error');
    } finally {
      deps.observe?.(name, (performance.now() - started) / 1000, outcome);
    }

    function context(): CommandContext {
      return {
        stores: deps.stores,
        user: invocation.user,
        channel: invocation.channel,
        space: invocation.space,
        now,
        summarize: deps.summarize,
        delivery: deps.delivery,
        feeds: deps.feeds,
        limits: deps.limits,
        place: invocation.place,
      };
    }
  };
}
