import { describe, expect, it } from 'vitest';
import { uuid7 } from './run-ids';

describe('uuid7', () => {
  it('carries the millisecond it was asked for, whatever was asked before, and random bits after', () => {
    const a = Date.UTC(2026, 11, 5, 6, 0, 0, 1);
    const b = a + 1;
    const ids = [a, a, b, a, 0, b].map((ms) => [ms, uuid7(ms)] as const);
    for (const [ms, id] of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Number.parseInt(id.replace('-', '').slice(0, 12), 16)).toBe(ms);
    }
    expect(new Set(ids.map(([, id]) => id)).size).toBe(ids.length);
  });
});
