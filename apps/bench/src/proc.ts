import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICK_US = 10_000; // USER_HZ = 100 on Linux

/** User and system CPU time in a /proc `stat` file (a process's or one thread's), µs. */
function cpuTimes(statPath: string): { user: number; system: number } {
  const stat = readFileSync(statPath, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) * TICK_US, system: Number(fields[12]) * TICK_US };
}

/** User + system CPU of a process, µs, from /proc. */
export function cpuMicros(pid: number): number {
  const { user, system } = cpuTimes(`/proc/${pid}/stat`);
  return user + system;
}

export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.match(/\d+/)?.[0] ?? 0) / 1024);
}

/** Spawns a process and resolves with its first stdout line matching `ready`. */
export function start(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      buffer += d.toString();
      const line = buffer.split('\n').find((l) => ready.test(l));
      if (line) {
        clearTimeout(timer);
        resolve({ child, line });
      }
    });
    child.once('exit', (code) => reject(new Error(`${cmd} exited with ${code}`)));
  });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

/** User and system CPU of a process, µs, apart: its JavaScript against its system calls. */
export function cpuSplit(pid: number): { user: number; system: number } {
  return cpuTimes(`/proc/${pid}/stat`);
}

/**
 * CPU of a process's main thread, µs. The rest of `cpuMicros` is its other threads: V8's helpers
 * (parallel scavenges, background compilation) and libuv's pool.
 */
export function mainThreadCpu(pid: number): number {
  const { user, system } = cpuTimes(`/proc/${pid}/task/${pid}/stat`);
  return user + system;
}

/** Read and write system calls a process has made (sockets included), from /proc/<pid>/io. */
export function ioCalls(pid: number): { reads: number; writes: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  return { reads: Number(/^syscr: (\d+)$/m.exec(io)?.[1] ?? 0), writes: Number(/^syscw: (\d+)$/m.exec(io)?.[1] ?? 0) };
}
