import {
  affordableOutputTokens,
  estimateInputTokens,
  outputLimit,
  type ResolvedPrice,
  worstCaseMicros,
} from '@tollgate/pricing';
import {
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  normaliseProviderError,
  ProviderError,
  type StreamEvent,
  withRetries,
} from '@tollgate/providers';
import type { NormalizedUsage } from '@tollgate/schemas';
import type { LimitStatus, Reservation } from '@tollgate/spend';
import type { ApiDeps } from '../context';
import { ApiProblem, fail } from '../errors';
import { requirePrice } from '../services/require-price';
import type { CompletionInput } from './input';
import { errorClassOf, providerProblem, spendLimitProblem } from './problems';
import { resolveTarget, type Target } from './target';
import { type AppliedPrompt, applyTemplate } from './template';
import type { CompletionTrace } from './tracer';

/** The smallest completion worth making: below it a call is refused rather than truncated to nothing. */
const MIN_OUTPUT_TOKENS = 64;

export interface CompletionCall {
  userId: string;
  requestId: string;
  entryPoint: string;
  input: CompletionInput;
  signal?: AbortSignal | undefined;
  parentHeaders?: Record<string, string> | undefined;
  /** Told how the call ended, for the request's log line. */
  annotate?: ((a: CompletionAnnotation) => void) | undefined;
}

/** What the request log line says of a call that reached a provider. */
export type CompletionAnnotation = {
  entry_point: string;
  provider: string;
  model: string;
  status: 'success' | 'error' | 'aborted';
  error_class: string | null;
  cost_micros: number;
  upstream_ms: number;
};

/** A call that passed every check and holds its reservation; ready to go to the provider. */
interface Prepared {
  call: CompletionCall;
  /** The stored template the call was made from, if any. */
  prompt: AppliedPrompt | null;
  target: Target;
  price: ResolvedPrice | null;
  request: ChatRequest;
  inputEstimate: number;
  reservation: Reservation | null;
  trace: CompletionTrace;
  startedAt: number;
}

export interface CompletionOutcome {
  requestId: string;
  traceId: string | null;
  provider: string;
  model: string;
  content: string | null;
  toolCalls: ChatResult['tool_calls'];
  finishReason: ChatResult['finish_reason'];
  usage: NormalizedUsage;
  costMicros: number;
  estimated: boolean;
  latencyMs: number;
  priceSource: string | null;
  /** The user's standing after the call; null when cost tracking is off or the store was unreachable. */
  limit: LimitStatus | null;
}

export type StreamOutput =
  | { type: 'delta'; content?: string; tool_calls?: Extract<StreamEvent, { type: 'delta' }>['tool_calls'] }
  | ({ type: 'done' } & CompletionOutcome);

function toMessages(input: CompletionInput): ChatMessage[] {
  const system: ChatMessage[] = input.system ? [{ role: 'system', content: input.system }] : [];
  if (typeof input.prompt === 'string') return [...system, { role: 'user', content: input.prompt }];
  return [
    ...system,
    ...(input.messages ?? []).map((m) => ({
      role: m.role as ChatMessage['role'],
      content: m.content,
      ...(m.name && { name: m.name }),
      ...(m.tool_calls && { tool_calls: m.tool_calls }),
      ...(m.tool_call_id && { tool_call_id: m.tool_call_id }),
    })),
  ];
}

function sourceOf(price: ResolvedPrice | null): string | null {
  if (!price) return null;
  return price.source.kind === 'override' ? `override:${price.source.id}` : price.source.version;
}

/** Tokens in text produced so far, for charging an interrupted stream. */
function estimateOutputTokens(provider: string, model: string, text: string): number {
  if (!text) return 0;
  return Math.max(1, estimateInputTokens(provider, model, [{ role: '', content: text }]) - 7);
}

export interface CompletionRunner {
  complete(call: CompletionCall): Promise<CompletionOutcome>;
  stream(call: CompletionCall): Promise<AsyncGenerator<StreamOutput>>;
}

/**
 * The one completion path every entry point uses: validate → resolve provider and model →
 * price check → reserve → call the provider (timeout, retries) → settle the actual cost →
 * record usage → respond.
 */
export function createCompletionRunner(deps: ApiDeps): CompletionRunner {
  const cfg = deps.completions;
  const now = cfg.now ?? Date.now;

  async function prepare(original: CompletionCall): Promise<Prepared> {
    const applied = await applyTemplate(deps, original.input);
    const call: CompletionCall = Object.assign({}, original, { input: applied.input });
    const target = resolveTarget(deps.providers, cfg.defaults, call.input);
    const price = requirePrice(deps, target.provider, target.model);
    const messages = toMessages(call.input);
    if (messages.every((m) => m.role === 'system'))
      fail(400, 'INVALID_INPUT', 'messages need at least one non-system message');
    const pricedModel = price?.pricedModel ?? target.model;
    const limit = outputLimit(pricedModel);
    const requestedMax = Math.min(call.input.max_tokens ?? limit, limit);
    const inputEstimate =
      estimateInputTokens(
        target.provider,
        pricedModel,
        messages.map((m) => ({
          role: m.role,
          content: `${m.content ?? ''}${m.tool_calls ? JSON.stringify(m.tool_calls) : ''}`,
        })),
      ) + (call.input.tools ? Math.ceil(JSON.stringify(call.input.tools).length / 3) : 0);

    let maxTokens = requestedMax;
    let reservation: Reservation | null = null;
    if (deps.costTracking && price) {
      const minOut = Math.min(MIN_OUTPUT_TOKENS, requestedMax);
      const maxMicros = worstCaseMicros(price.sheet, inputEstimate, requestedMax);
      const outcome = await deps.ledger.reserve({
        requestId: call.requestId,
        userId: call.userId,
        minMicros: worstCaseMicros(price.sheet, inputEstimate, minOut),
        maxMicros,
      });
      if (outcome.kind === 'denied') {
        deps.observer.refused(outcome.scope);
        throw spendLimitProblem(outcome.scope, outcome.status, now());
      }
      if (outcome.kind === 'unavailable') {
        deps.observer.storeError();
        throw new ApiProblem(
          503,
          'SPEND_STORE_UNAVAILABLE',
          'Spend limits cannot be checked right now; retry shortly',
          {},
          1,
        );
      }
      if (outcome.kind === 'already_settled') {
        throw new ApiProblem(409, 'DUPLICATE_REQUEST', `Request ${call.requestId} has already been completed`);
      }
      reservation = outcome.reservation;
      if (!reservation.unreserved) deps.observer.reservations(1);
      if (!reservation.unreserved && reservation.amount < maxMicros) {
        maxTokens = Math.max(
          minOut,
          Math.min(requestedMax, affordableOutputTokens(price.sheet, inputEstimate, reservation.amount)),
        );
      }
    }

    const stop = typeof call.input.stop === 'string' ? [call.input.stop] : call.input.stop;
    const request: ChatRequest = {
      model: target.model,
      messages,
      max_tokens: maxTokens,
      temperature: call.input.temperature,
      top_p: call.input.top_p,
      stop,
      tools: call.input.tools,
      tool_choice: call.input.tool_choice,
      response_format: call.input.response_format,
    };
    const startedAt = now();
    const trace = deps.tracer.start({
      entryPoint: call.entryPoint,
      requestId: call.requestId,
      userId: call.userId,
      provider: target.provider,
      model: target.model,
      tags: [...(call.input.tags ?? []), call.entryPoint],
      messages,
      params: { max_tokens: maxTokens, temperature: call.input.temperature, top_p: call.input.top_p },
      parentHeaders: call.parentHeaders,
      startedAt,
      prompt: applied.prompt,
    });
    return { call, prompt: applied.prompt, target, price, request, inputEstimate, reservation, trace, startedAt };
  }

  /** Settles, records and traces a finished call; never throws. */
  async function finish(
    p: Prepared,
    result: {
      status: 'success' | 'error' | 'aborted';
      usage: NormalizedUsage;
      estimated: boolean;
      content: string | null;
      toolCalls: ChatResult['tool_calls'];
      finishReason: ChatResult['finish_reason'];
      error: ProviderError | null;
      model?: string;
      /** Time spent waiting on the provider, ms. */
      upstreamMs: number;
    },
  ): Promise<CompletionOutcome> {
    const costMicros = p.price
      ? Math.max(result.status === 'aborted' ? 1 : 0, deps.pricer.cost(p.price, result.usage))
      : 0;
    const latencyMs = now() - p.startedAt;
    let limit: LimitStatus | null = null;
    if (p.reservation) {
      try {
        limit = (await deps.settleOutbox.settle(p.reservation, costMicros))?.status ?? null;
      } catch (error) {
        deps.onError?.(error);
      }
      if (!p.reservation.unreserved) deps.observer.reservations(-1);
    }
    const errorInfo = result.error ? { class: errorClassOf(result.error), message: result.error.message } : null;
    const endedAt = now();
    try {
      p.trace.end({
        status: result.status,
        content: result.content,
        toolCalls: result.toolCalls,
        finishReason: result.finishReason,
        usage: result.usage,
        costMicros,
        estimated: result.estimated,
        error: errorInfo,
        endedAt,
      });
    } catch (error) {
      deps.onError?.(error);
    }
    const event = {
      request_id: p.call.requestId,
      trace_id: p.trace.traceId,
      user_id: p.call.userId,
      provider: p.target.provider,
      model: p.target.model,
      entry_point: p.call.entryPoint,
      status: result.status,
      error_class: errorInfo?.class ?? null,
      prompt_tokens: result.usage.inputTokens,
      completion_tokens: result.usage.outputTokens,
      cached_tokens: result.usage.cacheReadTokens,
      reasoning_tokens: result.usage.reasoningTokens,
      cost_micros: costMicros,
      estimated: result.estimated,
      latency_ms: latencyMs,
      tags: p.call.input.tags ?? [],
      at: p.startedAt,
      price_source: sourceOf(p.price),
      prompt_name: p.prompt?.name ?? null,
      prompt_version: p.prompt?.version ?? null,
    };
    deps.usage.submit(event);
    try {
      deps.observer.completed(event, result.upstreamMs);
      p.call.annotate?.({
        entry_point: p.call.entryPoint,
        provider: p.target.provider,
        model: p.target.model,
        status: result.status,
        error_class: event.error_class,
        cost_micros: costMicros,
        upstream_ms: result.upstreamMs,
      });
    } catch (error) {
      deps.onError?.(error);
    }
    return {
      requestId: p.call.requestId,
      traceId: p.trace.traceId,
      provider: p.target.provider,
      model: result.model || p.target.model,
      content: result.content,
      toolCalls: result.toolCalls,
      finishReason: result.finishReason,
      usage: result.usage,
      costMicros,
      estimated: result.estimated,
      latencyMs,
      priceSource: sourceOf(p.price),
      limit,
    };
  }

  const estimatedUsage = (p: Prepared, outputTokens: number): NormalizedUsage => ({
    inputTokens: p.inputEstimate,
    outputTokens,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  });

  async function fromError(p: Prepared, raw: unknown, upstreamMs: number, producedText = ''): Promise<never> {
    const error = normaliseProviderError(raw, p.target.provider);
    const aborted = error.kind === 'aborted' || p.call.signal?.aborted === true;
    // An aborted call had its input processed, so it costs its input (and any output produced).
    // Other failures are released: providers do not bill requests they failed.
    const usage = aborted
      ? estimatedUsage(p, estimateOutputTokens(p.target.provider, p.target.model, producedText))
      : estimatedUsage(p, 0);
    await finish(p, {
      status: aborted ? 'aborted' : 'error',
      usage: aborted ? usage : { ...usage, inputTokens: 0 },
      estimated: aborted,
      content: null,
      toolCalls: [],
      finishReason: null,
      error,
      upstreamMs,
    });
    throw providerProblem(
      aborted ? new ProviderError('aborted', null, false, null, 'aborted') : error,
      p.target.provider,
    );
  }

  const retryOptions = (p: Prepared) => ({
    signal: p.call.signal,
    onRetry: (error: ProviderError, delayMs: number) => deps.onRetry?.(p.target.provider, error.kind, delayMs),
  });

  return {
    async complete(call) {
      const p = await prepare(call);
      const sentAt = performance.now();
      let result: ChatResult;
      try {
        result = await withRetries(
          () => p.target.client.complete(p.request, { signal: call.signal, timeoutMs: cfg.timeoutMs }),
          (e) => normaliseProviderError(e, p.target.provider),
          cfg.retry,
          retryOptions(p),
        );
      } catch (error) {
        return fromError(p, error, performance.now() - sentAt);
      }
      return finish(p, {
        status: 'success',
        usage: result.usage,
        estimated: false,
        content: result.content,
        toolCalls: result.tool_calls,
        finishReason: result.finish_reason,
        error: null,
        model: result.model,
        upstreamMs: performance.now() - sentAt,
      });
    },

    async stream(call) {
      const p = await prepare(call);
      const upstream = new AbortController();
      const onAbort = () => upstream.abort();
      call.signal?.addEventListener('abort', onAbort, { once: true });
      const deadline = setTimeout(() => upstream.abort(), cfg.streamMaxMs);
      deadline.unref();
      const sentAt = performance.now();
      // Time the consumer held the stream (between a yield and the next pull) is not upstream time.
      let consumerMs = 0;
      const upstreamMs = () => performance.now() - sentAt - consumerMs;
      let events: AsyncIterable<StreamEvent>;
      try {
        events = await withRetries(
          () => p.target.client.stream(p.request, { signal: upstream.signal, timeoutMs: cfg.timeoutMs }),
          (e) => normaliseProviderError(e, p.target.provider),
          cfg.retry,
          retryOptions(p),
        );
      } catch (error) {
        clearTimeout(deadline);
        call.signal?.removeEventListener('abort', onAbort);
        return fromError(p, error, upstreamMs());
      }
      return (async function* (): AsyncGenerator<StreamOutput> {
        let text = '';
        let settled = false;
        const toolCalls = new Map<number, { id: string; name: string; arguments: string }>();
        try {
          for await (const event of events) {
            if (event.type === 'delta') {
              if (event.content) text += event.content;
              for (const t of event.tool_calls ?? []) {
                const tc = toolCalls.get(t.index) ?? { id: '', name: '', arguments: '' };
                toolCalls.set(t.index, {
                  id: t.id ?? tc.id,
                  name: t.name ?? tc.name,
                  arguments: tc.arguments + (t.arguments ?? ''),
                });
              }
              const yieldedAt = performance.now();
              yield event;
              consumerMs += performance.now() - yieldedAt;
            } else if (upstream.signal.aborted) {
              // The SDKs end an aborted stream quietly: it is still an abort, charged for what was used.
              settled = true;
              const produced = estimateOutputTokens(p.target.provider, p.target.model, text);
              const usage = event.usage
                ? { ...event.usage, outputTokens: Math.max(event.usage.outputTokens, produced) }
                : estimatedUsage(p, produced);
              await finish(p, {
                status: 'aborted',
                usage,
                estimated: true,
                content: text,
                toolCalls: [],
                finishReason: null,
                error: new ProviderError('aborted', null, false, null, `${p.target.provider} request aborted`),
                upstreamMs: upstreamMs(),
              });
              return;
            } else {
              settled = true;
              const usage =
                event.usage ?? estimatedUsage(p, estimateOutputTokens(p.target.provider, p.target.model, text));
              const outcome = await finish(p, {
                status: 'success',
                usage,
                estimated: event.usage === null,
                content: text,
                toolCalls: [...toolCalls.values()].map((t) => ({
                  id: t.id,
                  type: 'function' as const,
                  function: { name: t.name, arguments: t.arguments },
                })),
                finishReason: event.finish_reason,
                error: null,
                model: event.model,
                upstreamMs: upstreamMs(),
              });
              yield { type: 'done', ...outcome };
            }
          }
        } catch (error) {
          if (!settled) {
            settled = true;
            await fromError(
              p,
              call.signal?.aborted ? new ProviderError('aborted', null, false, null, 'aborted') : error,
              upstreamMs(),
              text,
            );
          }
          throw error;
        } finally {
          clearTimeout(deadline);
          call.signal?.removeEventListener('abort', onAbort);
          if (!settled) {
            // The consumer stopped reading (client went away): stop the upstream and charge what was used.
            upstream.abort();
            await fromError(p, new ProviderError('aborted', null, false, null, 'aborted'), upstreamMs(), text).catch(
              () => {},
            );
          }
        }
      })();
    },
  };
}
