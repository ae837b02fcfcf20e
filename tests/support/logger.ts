import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

/** The project's logger (redaction included) writing JSON lines the test can read back. */
export function capturingLogger<Line = Record<string, unknown>>(level = 'debug'): { log: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Line);
      done();
    },
  });
  return { log: createLogger({ level, pretty: false, destination }), lines };
}
