import type { Socket } from 'node:net';

/**
 * Counts the writes a socket hands to the OS (each `_write` or `_writev` is one), so a test can
 * prove that what should leave together does.
 */
export function countSocketWrites(socket: Socket): { readonly count: number; reset(): void } {
  let count = 0;
  const counted = <F extends (...a: never[]) => unknown>(f: F) =>
    ((...a: Parameters<F>) => {
      count++;
      return f.apply(socket, a);
    }) as F;
  socket._write = counted(socket._write);
  if (socket._writev) socket._writev = counted(socket._writev);
  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
  };
}
