/**
 * The bench's own `BENCH_*` settings, read and checked the same way by `pnpm bench` and
 * `pnpm bench:compare`: a value that is not a whole number at least `min` fails with its name.
 */
export function wholeNumbers(env: NodeJS.ProcessEnv, name: string, fallback: number[], min: number): number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map((v) => (v.trim() === '' ? Number.NaN : Number(v)));
  if (values.some((v) => !Number.isInteger(v) || v < min)) {
    throw new Error(
      `${name}: "${raw}" is not ${fallback.length > 1 ? 'a list of whole numbers' : 'a whole number'} ≥ ${min}`,
    );
  }
  return values;
}

export function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const values = wholeNumbers(env, name, [fallback], min);
  if (values.length !== 1) throw new Error(`${name}: "${env[name]}" is not a whole number ≥ ${min}`);
  return values[0] as number;
}

/** A `BENCH_*` switch: `1` on, `0` (or unset, or empty) off; anything else fails with its name. */
export function onOff(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw new Error(`${name}: "${raw}" is neither 0 nor 1`);
}
