import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@tollgate/test-tools';
import { LANGSMITH_KEY } from './gateway';
import { start } from './proc';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * One of this folder's scripts in its own Node process (not through npx, whose child outlived a
 * SIGTERM and kept the bench from exiting). `nodeArgs` go to node itself (e.g. `--cpu-prof`).
 */
export function startScript(file: string, args: string[], ready: RegExp, nodeArgs: string[] = []) {
  return start(process.execPath, [...nodeArgs, '--import', 'tsx', join(here, file), ...args], process.env, ready);
}

/** The fake LangSmith in its own process, so its work is counted neither as the gateway's nor the load's. */
export async function startLangSmith() {
  const { child, line } = await startScript('langsmith.ts', [String(await freePort()), LANGSMITH_KEY], /^http/);
  return { child, url: line.trim() };
}

/** The fake OpenAI upstream, answering after `latencyMs`. */
export async function startUpstream(latencyMs: number) {
  const { child, line } = await startScript('upstream.ts', [String(await freePort()), String(latencyMs)], /^http/);
  return { child, url: line.trim() };
}

/** A baseline proxy (`bare-proxy.ts`, `sdk-proxy.ts`) in front of the upstream. */
export async function startBaseline(file: 'bare-proxy.ts' | 'sdk-proxy.ts', upstreamUrl: string, nodeArgs?: string[]) {
  const port = await freePort();
  const { child } = await startScript(file, [String(port), upstreamUrl], /listening on/, nodeArgs);
  return { child, url: `http://127.0.0.1:${port}/` };
}
