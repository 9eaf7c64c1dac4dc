import type { PromptVersion } from '@tollgate/prompts';
import { providerSchema } from '@tollgate/schemas';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { promptNameSchema, promptRefSchema, promptTagSchema } from '../completion/input';
import { renderVersion } from '../completion/template';
import { fail } from '../errors';
import { adminProcedure, authedProcedure } from '../trpc';

const messageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().min(1).max(200_000),
});

const defaultsSchema = z
  .object({
    provider: providerSchema.optional(),
    model: z.string().min(1).max(200).optional(),
    max_tokens: z.number().int().min(1).max(1_000_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
  })
  .strict()
  .default({});

const refSchema = z
  .object({ name: promptNameSchema, version: z.string().max(64).optional(), tag: promptTagSchema.optional() })
  .refine((r) => !(r.version && r.tag), { message: 'name a version or a tag, not both', path: ['tag'] });

const versionJson = (v: PromptVersion) => ({ ...v, created_at: new Date(v.created_at).toISOString() });

function authorOf(principal: { keyId?: string | null; via: string; userId: string | null }): string {
  return principal.keyId ? `key:${principal.keyId}` : principal.userId ? `user:${principal.userId}` : principal.via;
}

/** Versioned prompt templates: admins write, any signed-in caller reads and renders. */
export const promptsRouter = {
  list: authedProcedure.query(async ({ ctx }) => ({
    prompts: (await ctx.deps.prompts.list()).map((p) => ({ ...p, updated_at: new Date(p.updated_at).toISOString() })),
  })),
  /** One version (by version, tag, or `latest`) with the prompt's tags. */
  get: authedProcedure.input(refSchema).query(async ({ ctx, input }) => {
    const [version, tags] = await Promise.all([ctx.deps.prompts.resolve(input), ctx.deps.prompts.tags(input.name)]);
    return { ...versionJson(version), tags };
  }),
  /** Every version, newest first. */
  history: authedProcedure
    .input(z.object({ name: promptNameSchema, limit: z.coerce.number().int().min(1).max(1_000).default(100) }))
    .query(async ({ ctx, input }) => ({
      name: input.name,
      tags: await ctx.deps.prompts.tags(input.name),
      versions: (await ctx.deps.prompts.history(input.name, input.limit)).map(versionJson),
    })),
  /** Adds a version (content-addressed: the same content is the same version) and moves `latest`. */
  create: adminProcedure
    .input(
      z.object({
        name: promptNameSchema,
        messages: z.array(messageSchema).min(1).max(100),
        defaults: defaultsSchema,
        commit_message: z.string().max(500).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { version, created } = await ctx.deps.prompts.create({ ...input, author: authorOf(ctx.principal) });
      return { created, ...versionJson(version) };
    }),
  /** Points a movable tag (production, staging, …) at a version. */
  tag: adminProcedure
    .input(z.object({ name: promptNameSchema, tag: promptTagSchema, version: z.string().max(64) }))
    .mutation(async ({ ctx, input }) => {
      if (input.tag === 'latest') fail(400, 'INVALID_INPUT', '"latest" always follows the newest version');
      return { name: input.name, tags: await ctx.deps.prompts.tag(input.name, input.tag, input.version) };
    }),
  /** The messages a completion would send, without calling a provider. */
  render: authedProcedure.input(promptRefSchema).mutation(async ({ ctx, input }) => {
    const version = await ctx.deps.prompts.resolve(input);
    return { name: version.name, version: version.version, messages: renderVersion(version, input.variables) };
  }),
  /** Pushes a version to LangSmith's prompt hub as a new commit. */
  push: adminProcedure.input(refSchema).mutation(async ({ ctx, input }) => {
    const hub =
      ctx.deps.promptHub ?? fail(400, 'LANGSMITH_NOT_CONFIGURED', 'Set LANGSMITH_API_KEY to use the prompt hub');
    const version = await ctx.deps.prompts.resolve(input);
    return { name: version.name, version: version.version, ...(await hub.push(version)) };
  }),
  /** Pulls a hub commit (latest, a tag or a hash) in as a version of the same name. */
  pull: adminProcedure
    .input(
      z.object({
        name: promptNameSchema,
        ref: z
          .string()
          .regex(/^[\w.-]{1,64}$/)
          .default('latest'),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const hub =
        ctx.deps.promptHub ?? fail(400, 'LANGSMITH_NOT_CONFIGURED', 'Set LANGSMITH_API_KEY to use the prompt hub');
      const pulled = await hub.pull(input.name, input.ref);
      const { version, created } = await ctx.deps.prompts.create({
        name: input.name,
        messages: pulled.messages,
        commit_message: `Pulled from LangSmith commit ${pulled.commit.slice(0, 8)}`,
        author: authorOf(ctx.principal),
      });
      return { created, commit: pulled.commit, ...versionJson(version) };
    }),
} satisfies TRPCRouterRecord;
