/** Prompt templates: messages with `{{variables}}`, rendered strictly (every variable given, none unknown). */
export interface PromptMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type PromptVariables = Readonly<Record<string, string | number | boolean>>;

const VARIABLE = /\{\{\s*([A-Za-z_][\w.-]{0,63})\s*\}\}/g;

/** The variables a template uses, in first-use order. */
export function variablesOf(messages: readonly PromptMessage[]): string[] {
  const seen = new Set<string>();
  for (const m of messages) for (const match of m.content.matchAll(VARIABLE)) seen.add(match[1] as string);
  return [...seen];
}

/** Missing or unknown variables, named so the caller can fix the request. */
export class PromptVariablesError extends Error {
  constructor(
    readonly missing: string[],
    readonly unknown: string[],
  ) {
    const parts = [
      missing.length > 0 && `missing variables: ${missing.join(', ')}`,
      unknown.length > 0 && `unknown variables: ${unknown.join(', ')}`,
    ].filter(Boolean);
    super(parts.join('; '));
    this.name = 'PromptVariablesError';
  }
}

export function render(messages: readonly PromptMessage[], variables: PromptVariables): PromptMessage[] {
  const used = variablesOf(messages);
  const missing = used.filter((v) => !Object.hasOwn(variables, v));
  const unknown = Object.keys(variables).filter((v) => !used.includes(v));
  if (missing.length > 0 || unknown.length > 0) throw new PromptVariablesError(missing, unknown);
  // One pass per message, so a value that itself looks like {{x}} is never expanded again.
  return messages.map((m) => ({
    role: m.role,
    content: m.content.replace(VARIABLE, (_, name: string) => String(variables[name])),
  }));
}
