import { isStoreUnavailable } from '@tollgate/store';
import type { Reservation, SpendLedger } from './ledger';

export interface SettleOutboxOptions {
  ledger: SpendLedger;
  /** How often queued settles are retried, ms. */
  retryMs?: number;
  /** Most settles kept waiting; beyond it the oldest is dropped and reported. */
  capacity?: number;
  onError?: (error: unknown, pending: number) => void;
}

type Pending = { reservation: Pick<Reservation, 'requestId' | 'userId' | 'day' | 'month'>; actualMicros: number };

/**
 * Settles that could not reach the store wait here and are retried until they land. Settling is
 * idempotent by request id, so a retry after an unclear failure never charges twice.
 */
export function createSettleOutbox(options: SettleOutboxOptions) {
  const queue: Pending[] = [];
  const capacity = options.capacity ?? 100_000;
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;

  async function flushOnce(): Promise<void> {
    while (queue.length > 0) {
      const next = queue[0] as Pending;
      try {
        await options.ledger.settle(next.reservation, next.actualMicros);
        queue.shift();
      } catch (error) {
        options.onError?.(error, queue.length);
        return;
      }
    }
    if (timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  function flush(): Promise<void> {
    flushing ??= flushOnce().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  return {
    /** Settles now if the store answers, else queues; resolves with the status when it settled. */
    async settle(reservation: Pending['reservation'], actualMicros: number) {
      try {
        return await options.ledger.settle(reservation, actualMicros);
      } catch (error) {
        if (!isStoreUnavailable(error)) throw error;
        if (queue.length >= capacity) queue.shift();
        queue.push({ reservation, actualMicros });
        options.onError?.(error, queue.length);
        timer ??= setInterval(() => void flush(), options.retryMs ?? 1_000);
        timer.unref();
        return null;
      }
    },
    flush,
    pending: () => queue.length,
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

export type SettleOutbox = ReturnType<typeof createSettleOutbox>;
