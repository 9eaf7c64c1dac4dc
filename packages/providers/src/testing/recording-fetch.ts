/** What an SDK handed its fetch for one request. */
export interface Sent {
  url: string;
  method: string;
  /** The request headers as plain fields, lower-cased. */
  headers: Record<string, string>;
  /** The headers object itself, to tell shared (prepared) headers from ones built per call. */
  headersObject: unknown;
  body: string;
  signal: RequestInit['signal'];
}

/** The answers of a recording fetch: a failure, a JSON body, an event stream's text. */
export interface Answers {
  failure: () => Response;
  json: () => Response;
  stream: () => Response;
}

/**
 * A fetch for an SDK test that records every request and answers with `answers`: a failure to
 * the calls listed in `failing` (1-based), else a stream to a body asking for one, else JSON.
 */
export function recordingFetch(answers: Answers, failing = new Set<number>()) {
  const sent: Sent[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    sent.push({
      url,
      method: String(init.method),
      headers: Object.fromEntries(new Headers(init.headers as ConstructorParameters<typeof Headers>[0])),
      headersObject: init.headers,
      body: String(init.body),
      signal: init.signal,
    });
    if (failing.has(sent.length)) return answers.failure();
    const body = JSON.parse(String(init.body)) as { stream?: boolean };
    return body.stream ? answers.stream() : answers.json();
  };
  return { sent, fetch: fetch as unknown as typeof globalThis.fetch };
}

/** The fields of a request that must match the plain SDK's. */
export const wire = (s: Sent) => ({ url: s.url, method: s.method, headers: s.headers, body: s.body });

/** A logger that keeps the SDK's debug lines, as JSON, and drops the rest. */
export function debugLines() {
  const lines: string[] = [];
  const logger = {
    debug: (...args: unknown[]) => lines.push(JSON.stringify(args)),
    info: () => {},
    warn: () => {},
    error: () => {},
  };
  return { lines, logger };
}
