import type { Executor } from '../../../commands/execute.js';
import type { LogLines } from '../../log-lines.js';
import type { PlatformAdapter } from '../adapter.js';
import { renderText } from './render.js';
import { startRepl, type Repl } from './repl.js';

export interface ConsoleAdapterDeps {
  execute: Executor;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
  /** Read commands from input. Off when stdin is not a terminal or a pipe (a container). */
  interactive: boolean;
  /** Called once the input ends (piped stdin at EOF, or Ctrl-D at the prompt). */
  onEnd: () => void;
  /** Log lines that share the terminal; the prompt is drawn again after each. */
  logLines?: LogLines;
}

/** The terminal: commands from stdin, replies and scheduled posts to stdout. */
export function createConsoleAdapter(deps: ConsoleAdapterDeps): PlatformAdapter {
  let repl: Repl | undefined;
  let posted = 0;
  const print = (text: string) => {
    if (repl) repl.print(text);
    else deps.output.write(`${text}\n`);
  };
  return {
    platform: 'console',
    async start() {
      if (deps.interactive)
        repl = startRepl({
          input: deps.input,
          output: deps.output,
          execute: deps.execute,
          render: renderText,
          onEnd: deps.onEnd,
          logLines: deps.logLines,
        });
    },
    async stop() {
      repl?.close();
      repl = undefined;
    },
    async post(channel, reply) {
      posted += 1;
      print(`\n[${channel}] new article\n${renderText(reply)}\n`);
      return { messageId: `${channel}#${Date.now()}-${posted}` };
    },
    async edit(channel, _messageId, reply) {
      print(`\n[${channel}] article updated\n${renderText(reply)}\n`);
    },
  };
}
