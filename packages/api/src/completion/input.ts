import { modelNameSchema, providerSchema, userIdInputSchema } from '@tollgate/schemas';
import { z } from 'zod';

const text = z.string().max(2_000_000);

/** OpenAI-style content: a string, or text parts (other part types are not supported yet). */
const contentSchema = z
  .union([text, z.null(), z.array(z.object({ type: z.literal('text'), text })).max(1_000)])
  .transform((c) => (Array.isArray(c) ? c.map((p) => p.text).join('') : c));

const toolCallSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.literal('function').default('function'),
  function: z.object({ name: z.string().min(1).max(128), arguments: z.string().max(1_000_000) }),
});

export const messageSchema = z.object({
  role: z
    .enum(['system', 'developer', 'user', 'assistant', 'tool'])
    .transform((r) => (r === 'developer' ? 'system' : r)),
  content: contentSchema.optional().transform((c) => c ?? null),
  name: z.string().max(64).optional(),
  tool_calls: z.array(toolCallSchema).max(128).optional(),
  tool_call_id: z.string().max(200).optional(),
});

export const toolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().regex(/^[\w-]{1,64}$/, 'tool names are 1-64 letters, digits, _ or -'),
    description: z.string().max(10_000).optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const toolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1).max(64) }) }),
]);

export const responseFormatSchema = z.union([
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().min(1).max(64),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().optional(),
    }),
  }),
]);

export const tagsSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[\w.:/-]+$/, 'tags contain letters, digits and . _ : / - only'),
  )
  .max(20);

export const promptNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][\w.-]{0,63}$/,
    'prompt names are 1-64 letters, digits, _ . or -, starting with a letter or digit',
  );
export const promptTagSchema = z
  .string()
  .regex(/^[A-Za-z0-9][\w.-]{0,31}$/, 'tags are 1-32 letters, digits, _ . or -, starting with a letter or digit');

/** A stored template to complete from: a version, or a tag (`latest` when neither is given). */
export const promptRefSchema = z
  .object({
    name: promptNameSchema,
    version: z
      .string()
      .regex(/^[0-9a-f]{12}$/, 'versions are 12 hex characters')
      .optional(),
    tag: promptTagSchema.optional(),
    variables: z.record(z.string().max(64), z.union([z.string().max(1_000_000), z.number(), z.boolean()])).default({}),
  })
  .strict()
  .refine((r) => !(r.version && r.tag), { message: 'name a version or a tag, not both', path: ['tag'] });

/** Everything a completion may carry, whichever entry point it came through. */
export const completionInputSchema = z
  .object({
    /** The reference's plain prompt, or a stored template with its variables. */
    prompt: z.union([text.min(1), promptRefSchema]).optional(),
    system: text.optional(),
    messages: z.array(messageSchema).min(1).max(1_000).optional(),
    provider: providerSchema.optional(),
    model: modelNameSchema.optional(),
    max_tokens: z.number().int().min(1).max(1_000_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    stop: z.union([z.string().max(256), z.array(z.string().max(256)).max(4)]).optional(),
    tools: z.array(toolSchema).max(128).optional(),
    tool_choice: toolChoiceSchema.optional(),
    response_format: responseFormatSchema.optional(),
    tags: tagsSchema.optional(),
    user_id: userIdInputSchema.optional(),
  })
  .refine((v) => (typeof v.prompt === 'string' ? v.messages === undefined : v.prompt !== undefined || !!v.messages), {
    // A template may be followed by messages (a conversation going on); a plain prompt may not.
    message: 'send either "prompt" or "messages", not both (a template prompt may be followed by messages)',
    path: ['messages'],
  });

export type CompletionInput = z.infer<typeof completionInputSchema>;
