import type { CompletionInput } from '@tollgate/api';
import { z } from 'zod';

/**
 * The OpenAI chat-completions request as Tollgate accepts it. Known fields are validated by the
 * completion schema afterwards; unknown fields (seed, logprobs, base_url …) are dropped here and
 * never reach a provider. Tollgate's own fields travel in the `tollgate` extension object.
 */
const openAIRequestSchema = z
  .object({
    model: z.string({ error: 'model is required' }),
    messages: z.array(z.unknown()),
    max_tokens: z.number().nullish(),
    max_completion_tokens: z.number().nullish(),
    temperature: z.number().nullish(),
    top_p: z.number().nullish(),
    stop: z.union([z.string(), z.array(z.string())]).nullish(),
    tools: z.array(z.unknown()).nullish(),
    tool_choice: z.unknown().optional(),
    response_format: z.unknown().optional(),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
    n: z.number().nullish(),
    user: z.string().max(256).nullish(),
    tollgate: z
      .object({
        tags: z.array(z.string()).optional(),
        user_id: z.union([z.string(), z.number()]).optional(),
        provider: z.string().optional(),
        /** A stored template: { name, version | tag, variables }; its messages come before `messages`. */
        prompt: z.unknown().optional(),
      })
      .optional(),
  })
  .refine((b) => b.n === undefined || b.n === null || b.n === 1, { message: 'only n=1 is supported', path: ['n'] });

export type OpenAIRequest = z.infer<typeof openAIRequestSchema>;

export function parseOpenAIRequest(body: unknown) {
  return openAIRequestSchema.safeParse(body);
}

/**
 * OpenAI request → Tollgate completion input. A service or admin key may attribute the call with
 * `tollgate.user_id` or OpenAI's `user`; for user keys `user` stays a free-form label.
 */
export function toCompletionInput(body: OpenAIRequest, mayAttribute: boolean): Record<string, unknown> {
  const ext = body.tollgate;
  const userId = mayAttribute ? (ext?.user_id ?? body.user ?? undefined) : ext?.user_id;
  // Only the fields present: assigned one by one (cheaper than filtering a full object's entries).
  const input: Partial<Record<keyof CompletionInput, unknown>> = { model: body.model };
  // With a template, `messages` may be empty: the template supplies them.
  if (!(ext?.prompt !== undefined && body.messages.length === 0)) input.messages = body.messages;
  if (ext?.prompt !== undefined) input.prompt = ext.prompt;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) input.max_tokens = maxTokens;
  if (body.temperature != null) input.temperature = body.temperature;
  if (body.top_p != null) input.top_p = body.top_p;
  if (body.stop != null) input.stop = body.stop;
  if (body.tools != null) input.tools = body.tools;
  if (body.tool_choice != null) input.tool_choice = body.tool_choice;
  if (body.response_format != null) input.response_format = body.response_format;
  if (ext?.tags !== undefined) input.tags = ext.tags;
  if (userId !== undefined) input.user_id = userId;
  if (ext?.provider !== undefined) input.provider = ext.provider;
  return input;
}
