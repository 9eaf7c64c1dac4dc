import { randomUUID } from 'node:crypto';

let lastMs = Number.NaN;
let lastHead = '';

/**
 * A UUIDv7 (48-bit ms timestamp, then random bits), as the LangSmith SDK gives its runs. The
 * timestamp part is kept for the last millisecond asked about: a completion's two runs, and
 * the others started in the same millisecond, share it (its hex formatting was half the cost).
 */
export function uuid7(ms: number): string {
  const v4 = randomUUID();
  if (ms !== lastMs) {
    const t = Math.floor(ms).toString(16).padStart(12, '0').slice(-12);
    lastHead = `${t.slice(0, 8)}-${t.slice(8, 12)}-7`;
    lastMs = ms;
  }
  return `${lastHead}${v4.slice(15)}`;
}

/**
 * One segment of a run's `dotted_order`: its start time with the execution order standing in
 * for microseconds (ties within a millisecond keep their order), `Z`, then the run id. A child's
 * dotted order is its parent's, a `.`, and its own segment.
 */
export function dottedSegment(stamp: string, executionOrder: number, id: string): string {
  return `${stamp}${String(executionOrder % 1000).padStart(3, '0')}Z${id}`;
}

/** A start time (ISO, `2026-12-04T17:24:03.123Z`) as a dotted-order stamp: `20261204T172403123`. */
export function dottedStamp(iso: string): string {
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}${iso.slice(20, 23)}`;
}
