import { calcPrice } from '@pydantic/genai-prices';
import { fromAnthropicUsage, fromOpenAIUsage, simpleUsage } from '@tollgate/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOG_VERSION, lookupCatalog } from './catalog';
import { affordableOutputTokens, costMicros, worstCaseMicros } from './cost';
import { estimateInputTokens } from './estimate';
import { outputLimit } from './output-limits';
import { flatRate, type PriceSheet } from './price-sheet';
import { createPricer, type PriceOverride } from './pricer';

const AT = new Date('2026-12-04T12:00:00Z');
const sheetOf = (provider: 'openai' | 'anthropic' | 'azure', model: string): PriceSheet => {
  const entry = lookupCatalog(provider, model, AT);
  if (!entry) throw new Error(`no price for ${model}`);
  return entry.sheet;
};

describe('usage normalisation', () => {
  it('OpenAI/Azure: cached tokens sit inside prompt_tokens, reasoning inside completion_tokens', () => {
    expect(
      fromOpenAIUsage({
        prompt_tokens: 1000,
        completion_tokens: 300,
        prompt_tokens_details: { cached_tokens: 400 },
        completion_tokens_details: { reasoning_tokens: 200 },
      }),
    ).toEqual({
      inputTokens: 1000,
      outputTokens: 300,
      cacheReadTokens: 400,
      cacheWriteTokens: 0,
      reasoningTokens: 200,
    });
  });

  it('Anthropic: input_tokens exclude cache reads and writes, which are added back', () => {
    expect(
      fromAnthropicUsage({
        input_tokens: 100,
        output_tokens: 50,
        cache_read_input_tokens: 1000,
        cache_creation_input_tokens: 200,
      }),
    ).toEqual({
      inputTokens: 1300,
      outputTokens: 50,
      cacheReadTokens: 1000,
      cacheWriteTokens: 200,
      reasoningTokens: 0,
    });
  });

  it('treats absurd provider counts as zero, never negative or fractional', () => {
    expect(
      fromOpenAIUsage({ prompt_tokens: -5, completion_tokens: 1.5, prompt_tokens_details: { cached_tokens: 10 } }),
    ).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
  });
});

describe('cost', () => {
  it('reproduces the reference table for an even 500/500 split of 1K tokens', () => {
    const even = simpleUsage(500, 500);
    // Reference: GPT-4 Turbo $0.02, GPT-3.5 Turbo $0.001, Claude 3.5 Sonnet $0.009 per 1K tokens.
    expect(costMicros(sheetOf('openai', 'gpt-4-turbo'), even)).toBe(20_000);
    expect(costMicros(sheetOf('azure', 'gpt-4-turbo'), even)).toBe(20_000);
    expect(costMicros(sheetOf('openai', 'gpt-3.5-turbo'), even)).toBe(1_000);
    expect(costMicros(sheetOf('azure', 'gpt-3.5-turbo'), even)).toBe(1_000);
    expect(costMicros(sheetOf('anthropic', 'claude-3-5-sonnet-latest'), even)).toBe(9_000);
    // Claude 3 Haiku differs: the catalog's $0.25/$1.25 per Mtok gives $0.00075, the reference says $0.0006875.
    expect(costMicros(sheetOf('anthropic', 'claude-3-haiku-20240307'), even)).toBe(750);
  });

  it('prices cache reads, cache writes and reasoning tokens at their own rates', () => {
    const sonnet = sheetOf('anthropic', 'claude-3-5-sonnet-20241022'); // 3 / 15, read 0.3, write 3.75 $/Mtok
    const usage = fromAnthropicUsage({
      input_tokens: 1000,
      output_tokens: 1000,
      cache_read_input_tokens: 10_000,
      cache_creation_input_tokens: 2000,
    });
    // 1000×3 + 10000×0.3 + 2000×3.75 + 1000×15 µ$ = 3000 + 3000 + 7500 + 15000
    expect(costMicros(sonnet, usage)).toBe(28_500);
    const mini = sheetOf('openai', 'gpt-4o-mini'); // 0.15 / 0.6, cached 0.075 $/Mtok
    const o = fromOpenAIUsage({
      prompt_tokens: 2000,
      completion_tokens: 1000,
      prompt_tokens_details: { cached_tokens: 1000 },
      completion_tokens_details: { reasoning_tokens: 600 },
    });
    // 1000×0.15 + 1000×0.075 + 1000×0.6 = 825 µ$
    expect(costMicros(mini, o)).toBe(825);
  });

  it('rounds up once per call, never down to zero', () => {
    expect(costMicros({ input: flatRate(0.15), output: flatRate(0.6) }, simpleUsage(1, 0))).toBe(1);
    expect(costMicros({ input: flatRate(0.15), output: flatRate(0.6) }, simpleUsage(0, 0))).toBe(0);
    expect(costMicros({ input: flatRate(0.15), output: flatRate(0.6) }, simpleUsage(7, 0))).toBe(2); // 1.05 µ$
  });

  it('equals a BigInt reference ceiling for random tokens and prices', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 200_000_000 }),
        fc.integer({ min: 0, max: 200_000_000 }),
        (inT, outT, inP, outP) => {
          const sheet: PriceSheet = { input: { base: inP, tiers: [] }, output: { base: outP, tiers: [] } };
          const picos = BigInt(inT) * BigInt(inP) + BigInt(outT) * BigInt(outP);
          const expected = (picos + 999_999n) / 1_000_000n;
          expect(BigInt(costMicros(sheet, simpleUsage(inT, outT)))).toBe(expected);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('agrees with the catalog’s own calculator within rounding, tiers included', () => {
    const models: ['openai' | 'anthropic', string][] = [
      ['openai', 'gpt-4o'],
      ['openai', 'gpt-4o-mini'],
      ['openai', 'gpt-5.4'],
      ['anthropic', 'claude-sonnet-4-5'],
      ['anthropic', 'claude-3-5-haiku-latest'],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...models),
        fc.integer({ min: 0, max: 400_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 0, max: 100 }),
        ([provider, model], input, output, cachedPct) => {
          const cached = Math.floor((input * cachedPct) / 100);
          const ours = costMicros(sheetOf(provider, model), {
            inputTokens: input,
            outputTokens: output,
            cacheReadTokens: cached,
            cacheWriteTokens: 0,
            reasoningTokens: 0,
          });
          const theirs = calcPrice({ input_tokens: input, output_tokens: output, cache_read_tokens: cached }, model, {
            providerId: provider,
            timestamp: AT,
          });
          expect(theirs).not.toBeNull();
          expect(Math.abs(ours - (theirs?.total_price ?? 0) * 1_000_000)).toBeLessThanOrEqual(1.0001);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('computes what a budget affords without ever exceeding it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 5_000_000 }), (input, budget) => {
        const sheet = sheetOf('openai', 'gpt-4o');
        const k = affordableOutputTokens(sheet, input, budget);
        if (worstCaseMicros(sheet, input, 0) <= budget) {
          expect(worstCaseMicros(sheet, input, k)).toBeLessThanOrEqual(budget);
          expect(worstCaseMicros(sheet, input, k + 1)).toBeGreaterThan(budget);
        } else {
          expect(k).toBe(0);
        }
      }),
    );
  });
});

describe('pricer', () => {
  const override: PriceOverride = {
    id: 'po_1',
    provider: 'openai',
    model: 'my-finetune',
    input_per_mtok_usd: 1,
    output_per_mtok_usd: 2,
    updated_at: AT.toISOString(),
  };

  it('uses the catalog, recording its version, and refuses unknown models', () => {
    const pricer = createPricer({ now: () => AT.getTime() });
    const price = pricer.resolve('openai', 'gpt-4o-mini');
    expect(price?.source).toEqual({ kind: 'catalog', version: CATALOG_VERSION, modelId: 'gpt-4o-mini' });
    expect(pricer.resolve('openai', 'no-such-model-xyz')).toBeNull();
    expect(pricer.resolve('mystery', 'gpt-4o')).toBeNull();
  });

  it('prefers an admin override and records its id', () => {
    const pricer = createPricer({ overrides: () => [override, { ...override, id: 'po_2', model: 'gpt-4o' }] });
    const ft = pricer.resolve('openai', 'my-finetune');
    expect(ft?.source).toEqual({ kind: 'override', id: 'po_1' });
    expect(ft && pricer.cost(ft, simpleUsage(1000, 1000))).toBe(3_000);
    expect(pricer.resolve('openai', 'gpt-4o')?.source).toEqual({ kind: 'override', id: 'po_2' });
  });

  it('maps Azure deployments to models by configuration', () => {
    const pricer = createPricer({ azureDeployments: { 'prod-chat': 'gpt-4o' } });
    const price = pricer.resolve('azure', 'prod-chat');
    expect(price).toMatchObject({ model: 'prod-chat', pricedModel: 'gpt-4o' });
    expect(price && pricer.cost(price, simpleUsage(1000, 1000))).toBe(12_500);
    expect(pricer.resolve('azure', 'unmapped-deployment')).toBeNull();
  });
});

describe('estimates and limits', () => {
  it('counts OpenAI input with the tokenizer and others conservatively', () => {
    const msgs = [{ role: 'user', content: 'Explain Django in one sentence.' }];
    const openai = estimateInputTokens('openai', 'gpt-4o-mini', msgs);
    expect(openai).toBeGreaterThanOrEqual(7 + 4 + 3);
    expect(openai).toBeLessThan(30);
    const anthropic = estimateInputTokens('anthropic', 'claude-3-5-haiku-latest', msgs);
    expect(anthropic).toBeGreaterThanOrEqual(Math.ceil('Explain Django in one sentence.'.length / 3));
  });

  it('counts special-token text in a prompt as ordinary text instead of throwing', () => {
    for (const model of ['gpt-4o-mini', 'gpt-4']) {
      const plain = estimateInputTokens('openai', model, [{ role: 'user', content: 'a b' }]);
      const special = estimateInputTokens('openai', model, [
        { role: 'user', content: 'a <|endoftext|> b <|fim_prefix|>' },
      ]);
      expect(special).toBeGreaterThan(plain + 4);
    }
  });

  it('knows output limits per model family', () => {
    expect(outputLimit('gpt-4o-mini')).toBe(16_384);
    expect(outputLimit('gpt-3.5-turbo')).toBe(4_096);
    expect(outputLimit('claude-3-5-haiku-latest')).toBe(8_192);
    expect(outputLimit('anthropic/claude-sonnet-4-5')).toBe(64_000);
    expect(outputLimit('totally-unknown')).toBe(4_096);
  });
});
