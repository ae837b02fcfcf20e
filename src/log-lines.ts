/**
 * A terminal prompt registers one of these so that a log line never lands in the middle of what
 * someone is typing: `before` clears the prompt's line, `after` draws the prompt and the typed text
 * again below the log line.
 */
export interface PromptGuard {
  before(): void;
  after(): void;
}

/** Where log lines go when a prompt shares the terminal with them. */
export interface LogLines {
  /** One finished log line (with its newline). */
  write(line: string): void;
  /** The prompt now on screen, or undefined once it is gone. */
  guard(prompt: PromptGuard | undefined): void;
}

export function createLogLines(target: { write(chunk: string): unknown }): LogLines {
  let prompt: PromptGuard | undefined;
  return {
    write(line) {
      const current = prompt;
      current?.before();
      target.write(line);
      current?.after();
    },
    guard(next) {
      prompt = next;
    },
  };
}
