/** `NAME=value`, a server setting as the server reads it (names in capitals); null for anything else. */
export function settingOf(item: string): [name: string, value: string] | null {
  const at = item.indexOf('=');
  const name = item.slice(0, at);
  return at > 0 && /^[A-Z][A-Z0-9_]*$/.test(name) ? [name, item.slice(at + 1)] : null;
}

/**
 * `BENCH_GATEWAY_ENV`: gateway settings for a run, `NAME=value,NAME=value` (e.g.
 * `LANGSMITH_TRACING_ENABLED=false`): what one feature costs is the difference between two runs.
 */
export function gatewaySettings(list: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const item of list.split(',').filter(Boolean)) {
    const setting = settingOf(item);
    if (!setting) {
      throw new Error(`BENCH_GATEWAY_ENV: "${item}" is not NAME=value (names in capitals, as the server reads them)`);
    }
    settings[setting[0]] = setting[1];
  }
  return settings;
}
