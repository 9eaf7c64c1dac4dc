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
  const userId = mayAttribute ? (body.tollgate?.user_id ?? body.user ?? undefined) : body.tollgate?.user_id;
  const input: Partial<Record<keyof CompletionInput, unknown>> = {
    model: body.model,
    // With a template, `messages` may be empty: the template supplies them.
    messages: body.tollgate?.prompt !== undefined && body.messages.length === 0 ? undefined : body.messages,
    prompt: body.tollgate?.prompt,
    max_tokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
    temperature: body.temperature ?? undefined,
    top_p: body.top_p ?? undefined,
    stop: body.stop ?? undefined,
    tools: body.tools ?? undefined,
    tool_choice: body.tool_choice ?? undefined,
    response_format: body.response_format ?? undefined,
    tags: body.tollgate?.tags,
    user_id: userId,
    provider: body.tollgate?.provider,
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
