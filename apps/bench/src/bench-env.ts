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
