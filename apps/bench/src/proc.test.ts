import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpuMicros, cpuSplit, ioCalls, mainThreadCpu } from './proc';

// Read off this test's own process: the figures must move with the work it does.
describe('/proc readings', () => {
  it('splits CPU into user and system, and the main thread is part of it', () => {
    const start = cpuMicros(process.pid);
    const until = Date.now() + 60;
    let spin = 0;
    while (Date.now() < until) spin++;
    expect(spin).toBeGreaterThan(0);
    // The counters keep moving between reads (other threads, the spin's tail), so each check
    // brackets a reading between an earlier and a later one instead of comparing equal.
    const { user, system } = cpuSplit(process.pid);
    const main = mainThreadCpu(process.pid);
    const total = cpuMicros(process.pid);
    expect(user + system).toBeGreaterThan(start);
    expect(user + system).toBeLessThanOrEqual(total);
    expect(main).toBeGreaterThan(0);
    expect(main).toBeLessThanOrEqual(total);
  });

  it('counts write system calls', () => {
    const path = join(tmpdir(), `tollgate-proc-test-${process.pid}`);
    const fd = openSync(path, 'w');
    const before = ioCalls(process.pid);
    for (let i = 0; i < 5; i++) writeSync(fd, 'x');
    const after = ioCalls(process.pid);
    closeSync(fd);
    rmSync(path);
    expect(after.writes - before.writes).toBeGreaterThanOrEqual(5);
    expect(after.reads).toBeGreaterThanOrEqual(before.reads);
  });
});
