import { createInterface } from 'node:readline';
import type { Executor } from '../../../commands/execute.js';
import type { Reply } from '../../domain/reply.js';
import { answerLine } from './answer.js';

export interface Repl {
  print(text: string): void;
  close(): void;
}

const PROMPT = 'news> ';

/**
 * A prompt on a terminal; on a pipe, each line is answered in order and the end of input ends it.
 * Lines are handled one at a time so answers never interleave.
 */
export function startRepl(deps: {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
  execute: Executor;
  render: (reply: Reply) => string;
  onEnd: () => void;
}): Repl {
  const tty = Boolean(deps.input.isTTY);
  const rl = createInterface({
    input: deps.input,
    output: tty ? deps.output : undefined,
    terminal: tty,
    prompt: PROMPT,
  });
  let queue = Promise.resolve();
  let closed = false;

  const answer = async (line: string) => {
    const text = line.trim();
    if (!text) return;
    if (text === 'exit' || text === 'quit') {
      rl.close();
      return;
    }
    const { reply } = await answerLine(deps.execute, text);
    deps.output.write(`${deps.render(reply)}\n`);
  };

  rl.on('line', (line) => {
    queue = queue
      .then(() => answer(line))
      .then(() => {
        if (tty && !closed) rl.prompt();
      });
  });
  rl.on('close', () => {
    closed = true;
    void queue.then(() => deps.onEnd());
  });
  if (tty) {
    deps.output.write(
      'newsdesk in the terminal. Try: /news latest, /news summary <id>, /news help. Ctrl-D quits.\n(Only warnings are logged here; set LOG_LEVEL=info for more.)\n',
    );
    rl.prompt();
  }

  return {
    print(text) {
      deps.output.write(`${text}\n`);
      if (tty && !closed) rl.prompt(true);
    },
    close() {
      if (!closed) rl.close();
    },
  };
}
