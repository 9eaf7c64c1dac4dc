import type { createCaller, DirectCompletions } from '@tollgate/api';
import { BodyError } from '../http/body';

export type Caller = ReturnType<typeof createCaller>;

export interface RestInput {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

/** A route result to be sent as server-sent events instead of JSON. */
export class SseResult {
  constructor(readonly events: AsyncIterable<unknown>) {}
}

export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path with `:name` parameters; a trailing slash is optional when matching. */
  path: string;
  /** Status for success (default 200). */
  status?: number;
  /** Entry point recorded in traces and analytics for calls through this route. */
  entryPoint?: string;
  /** The tRPC procedure this route calls: its zod input schema documents the route in OpenAPI. */
  procedure?: string;
  /** One line for the OpenAPI document. */
  summary?: string;
  /** `direct` is `ai.complete`/`ai.stream` without the tRPC layer, for the completion routes. */
  call: (caller: Caller, input: RestInput, direct: () => DirectCompletions) => Promise<unknown>;
}

export interface CompiledRoute extends RestRoute {
  pattern: RegExp;
  names: string[];
}

export function compile(route: RestRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .replace(/\/+$/, '')
    .split('/')
    .map((part) => {
      if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(part.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}/?$`), names };
}

/** Query params as an object of strings, for routes that pass them to zod. */
export function queryObject(query: URLSearchParams): Record<string, string> {
  return Object.fromEntries(query.entries());
}

/** JSON bodies must be objects for every route that takes one; no body counts as `{}`. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  throw new BodyError(400, 'INVALID_BODY', 'Request body must be a JSON object');
}
