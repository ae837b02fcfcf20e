import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { Executor } from '../../../commands/execute.js';
import type { Reply } from '../../domain/reply.js';
import type { LogLines } from '../../log-lines.js';
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
  /** Log lines that share the terminal; each is written above the prompt, which is then drawn again. */
  logLines?: LogLines;
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
  // True while `news> ` waits for input; between Enter and the answer there is no prompt to redraw.
  let waiting = false;
  const showPrompt = () => {
    if (!tty || closed) return;
    waiting = true;
    rl.prompt(true);
  };
  // Clear the prompt's line (the typed text stays in readline's buffer); after the output, draw it again.
  let redraw = false;
  const clearPrompt = () => {
    redraw = waiting && !closed;
    if (!redraw) return;
    cursorTo(deps.output, 0);
    clearLine(deps.output, 0);
  };
  const redrawPrompt = () => {
    if (redraw && !closed) rl.prompt(true);
    redraw = false;
  };
  if (tty) deps.logLines?.guard({ before: clearPrompt, after: redrawPrompt });

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
    waiting = false;
    queue = queue.then(() => answer(line)).then(showPrompt);
  });
  rl.on('close', () => {
    closed = true;
    deps.logLines?.guard(undefined);
    void queue.then(() => deps.onEnd());
  });
  if (tty) {
    deps.output.write(
      'newsdesk in the terminal. Try: /news latest, /news summary <id>, /news help. Ctrl-D quits.\n(Only warnings are logged here; set LOG_LEVEL=info for more.)\n',
    );
    showPrompt();
  }

  return {
    print(text) {
      clearPrompt();
      deps.output.write(`${text}\n`);
      redrawPrompt();
    },
    close() {
      if (!closed) rl.close();
    },
  };
}
