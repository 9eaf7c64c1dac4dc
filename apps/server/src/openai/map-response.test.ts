import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkEncoder } from './map-response';

const delta = fc.oneof(
  fc.record({ content: fc.string({ unit: 'grapheme' }) }),
  fc.constant({}),
  fc.record({ role: fc.constant('assistant'), content: fc.constant('') }),
  fc.record({
    tool_calls: fc.array(
      fc.record({
        index: fc.nat(8),
        id: fc.string(),
        type: fc.constant('function'),
        function: fc.record({ name: fc.string(), arguments: fc.string() }),
      }),
      { maxLength: 3 },
    ),
  }),
);

describe('stream chunks', () => {
  it('are the JSON of the chat.completion.chunk object, field for field and in order', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'grapheme' }),
        fc.nat(),
        delta,
        fc.option(fc.constantFrom('stop', 'length', 'tool_calls', 'content_filter', 'a "quoted" reason')),
        (id, model, created, d, finish) => {
          const text = chunkEncoder(id, model, created)(d, finish ?? undefined);
          const object = {
            id,
            object: 'chat.completion.chunk',
            created,
            model,
            choices: [{ index: 0, delta: d, finish_reason: finish ?? null, logprobs: null }],
          };
          expect(text).toBe(JSON.stringify(object));
        },
      ),
      { numRuns: 500 },
    );
  });
});
