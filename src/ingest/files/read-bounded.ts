import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { NewsdeskError } from '../../domain/errors.js';

const CHUNK = 64 * 1024;

/**
 * Reads a regular file, counting bytes as they arrive: `stat` says 0 for /proc files and devices,
 * so a size check before reading bounds nothing. O_NONBLOCK keeps a FIFO from blocking the open
 * (a FIFO named x.txt would otherwise hold a thread until something writes to it), and the type
 * is checked on the open descriptor, so a file swapped for a FIFO or device after a scan is
 * refused too. O_NOFOLLOW refuses a symlink put in place of the file.
 */
export async function readBounded(path: string, maxBytes: number): Promise<Buffer> {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;
  const handle = await open(path, flags).catch((err: unknown) => {
    if ((err as { code?: string }).code === 'ELOOP') throw new NewsdeskError('bad_input', 'file is a symbolic link');
    throw err;
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new NewsdeskError('bad_input', 'not a regular file');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new NewsdeskError('bad_input', `file is larger than ${maxBytes / 1024 / 1024} MB`);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}
