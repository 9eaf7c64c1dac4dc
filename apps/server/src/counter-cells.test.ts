import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CounterCells } from './counter-cells';

function setup() {
  const registry = new Registry();
  const cells = new CounterCells({
    name: 'test_total',
    help: 'test',
    labelNames: ['provider', 'model'],
    registers: [registry],
  });
  const values = async () =>
    ((await registry.getMetricsAsJSON())[0]?.values ?? [])
      .map((v) => ({ provider: String(v.labels.provider), model: String(v.labels.model), value: v.value }))
      .sort((a, b) => `${a.provider} ${a.model}`.localeCompare(`${b.provider} ${b.model}`));
  return { cells, values };
}

describe('CounterCells', () => {
  it('hands each label set its own sum when scraped, and only what was added since', async () => {
    const { cells, values } = setup();
    cells.add(['openai', 'gpt-4o']);
    cells.add(['openai', 'gpt-4o'], 4);
    cells.add(['anthropic', 'claude']);
    // Values that would join into the same string stay apart.
    cells.add(['x/y', 'z']);
    cells.add(['x', 'y/z'], 2);
    expect(await values()).toEqual([
      { provider: 'anthropic', model: 'claude', value: 1 },
      { provider: 'openai', model: 'gpt-4o', value: 5 },
      { provider: 'x', model: 'y/z', value: 2 },
      { provider: 'x/y', model: 'z', value: 1 },
    ]);
  });

  it('keeps totals across scrapes without adding anything twice', async () => {
    const { cells, values } = setup();
    cells.add(['openai', 'gpt-4o'], 3);
    const once = [{ provider: 'openai', model: 'gpt-4o', value: 3 }];
    expect(await values()).toEqual(once);
    expect(await values()).toEqual(once);
    cells.add(['openai', 'gpt-4o'], 2);
    cells.add(['azure', 'gpt-4o']);
    expect(await values()).toEqual([
      { provider: 'azure', model: 'gpt-4o', value: 1 },
      { provider: 'openai', model: 'gpt-4o', value: 5 },
    ]);
  });
});
