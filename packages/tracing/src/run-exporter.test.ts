import { describe, expect, it } from 'vitest';
import { createTraceGate } from './gate';
import { createRunExporter } from './run-exporter';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * An exporter whose uploads are recorded in `uploads` (each the list of run ids it carried) and
 * answered three event-loop turns later, as a quick LangSmith would.
 */
function exporterWithUploads(options: { batchSize: number; delayMs: number }) {
  const uploads: string[][] = [];
  const gate = createTraceGate(async (_url, init) => {
    const body = JSON.parse(Buffer.from(init?.body as Uint8Array).toString('utf8')) as { post: { id: string }[] };
    uploads.push(body.post.map((r) => r.id));
    for (let i = 0; i < 3; i++) await tick();
    return new Response(null, { status: 202 });
  });
  const exporter = createRunExporter({
    endpoint: 'http://langsmith.invalid',
    apiKey: 'lsv2_test',
    gate,
    timeoutMs: 1_000,
    maxRetries: 0,
    maxBytes: 1 << 20,
    ...options,
  });
  return { exporter, uploads };
}

const run = (i: number) => JSON.stringify({ id: `run-${i}` });

describe('run exporter batching', () => {
  it('fills each upload: runs queued while one is in flight wait for a full batch or the timer', async () => {
    const { exporter, uploads } = exporterWithUploads({ batchSize: 100, delayMs: 5_000 });
    // A steady trickle, as requests finish: ten runs, then the event loop turns (uploads land).
    for (let i = 0; i < 300; i += 10) {
      exporter.send(Array.from({ length: 10 }, (_, j) => run(i + j)));
      await tick();
    }
    await exporter.flush(1_000);
    expect(uploads.map((u) => u.length)).toEqual([100, 100, 100]);
    expect(uploads.flat()).toEqual(Array.from({ length: 300 }, (_, i) => `run-${i}`));
    expect(exporter.heldBytes()).toBe(0);
  });

  it('sends a partial batch when its timer fires, and at once on flush', async () => {
    const { exporter, uploads } = exporterWithUploads({ batchSize: 100, delayMs: 30 });
    exporter.send([run(1), run(2)]);
    await tick();
    expect(uploads).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(uploads).toEqual([['run-1', 'run-2']]);

    const slow = exporterWithUploads({ batchSize: 100, delayMs: 60_000 });
    slow.exporter.send([run(3)]);
    await slow.exporter.flush(1_000);
    expect(slow.uploads).toEqual([['run-3']]);
  });

  it('flush drains everything, past the uploads allowed at once', async () => {
    const { exporter, uploads } = exporterWithUploads({ batchSize: 2, delayMs: 60_000 });
    // Seven full batches and a partial one; at most five uploads are in flight at a time.
    exporter.send(Array.from({ length: 15 }, (_, i) => run(i)));
    await exporter.flush(1_000);
    expect(uploads.flat()).toHaveLength(15);
    expect(uploads.map((u) => u.length)).toEqual([2, 2, 2, 2, 2, 2, 2, 1]);
    expect(exporter.heldBytes()).toBe(0);
  });
});
