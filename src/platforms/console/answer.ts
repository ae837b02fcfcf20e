import type { Executor } from '../../../commands/execute.js';
import { findCommand, commands } from '../../../commands/index.js';
import { parseCommandText } from '../../../commands/parse-text.js';
import type { ChannelId } from '../../domain/channel.js';
import type { Invoker } from '../../domain/invocation.js';
import type { Reply } from '../../domain/reply.js';

/** The terminal's one channel. */
export const CONSOLE_CHANNEL: ChannelId = 'console:main';

/** Whoever types at this terminal runs it, so they may manage its one channel. */
export const TERMINAL_USER: Invoker = { platform: 'console', id: 'local', name: 'you', canManage: true };

export interface TerminalAnswer {
  reply: Reply;
  /** False when the line named no command (the reply is then the help list). */
  known: boolean;
}

/**
 * One typed line (`/news latest 3`, `summary abc`) answered as the terminal answers it: the prompt
 * and the one-shot CLI both come through here.
 */
export async function answerLine(
  execute: Executor,
  text: string,
  user: Invoker = TERMINAL_USER,
): Promise<TerminalAnswer> {
  const { sub, args } = parseCommandText(text, commands);
  const reply = await execute({ command: 'news', sub, args, user, channel: CONSOLE_CHANNEL });
  return { reply, known: findCommand(sub) !== undefined };
}
