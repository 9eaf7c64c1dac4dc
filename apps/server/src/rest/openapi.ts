import { appRouter } from '@tollgate/api';
import { z } from 'zod';
import type { RestRoute } from './route';

type Procedures = Record<string, { _def: { inputs: unknown[]; type: string } }>;

const ERROR = {
  type: 'object',
  required: ['error', 'code'],
  properties: { error: { type: 'string' }, code: { type: 'string' } },
  additionalProperties: true,
};

function inputSchema(procedure: string | undefined): Record<string, unknown> | null {
  if (!procedure) return null;
  const proc = (appRouter._def.procedures as unknown as Procedures)[procedure];
  const parser = proc?._def.inputs[0];
  if (!(parser instanceof z.ZodType)) return null;
  const schema = z.toJSONSchema(parser, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete schema.$schema;
  // Optional wrappers (`.optional()` inputs) come out as anyOf [object, not-present]: keep the object.
  const variants = schema.anyOf as Record<string, unknown>[] | undefined;
  return variants?.find((v) => v.type === 'object') ?? schema;
}

/** The OpenAPI 3.1 document of the REST adapter, generated from the procedures' zod input schemas. */
export function buildOpenApi(routes: readonly RestRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `${route.path.replace(/:(\w+)/g, '{$1}')}/`;
    const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
    const schema = inputSchema(route.procedure);
    const properties = (schema?.properties ?? {}) as Record<string, unknown>;
    const required = new Set((schema?.required as string[] | undefined) ?? []);
    const inBody = route.method === 'POST' || route.method === 'PUT';
    const operation: Record<string, unknown> = {
      operationId: route.procedure ?? `${route.method.toLowerCase()}${route.path}`,
      summary: route.summary ?? route.procedure,
      security: [{ bearer: [] }],
      parameters: [
        ...params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...(inBody
          ? []
          : Object.entries(properties)
              .filter(([name]) => !params.includes(name))
              .map(([name, s]) => ({ name, in: 'query', required: required.has(name), schema: s }))),
      ],
      ...(inBody && schema && { requestBody: { required: true, content: { 'application/json': { schema } } } }),
      responses: {
        [String(route.status ?? 200)]: {
          description: 'OK',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        '400': { description: 'Invalid input', content: { 'application/json': { schema: ERROR } } },
        '401': { description: 'No or bad credential', content: { 'application/json': { schema: ERROR } } },
        '403': { description: 'Wrong role', content: { 'application/json': { schema: ERROR } } },
        '429': { description: 'Spend limit or auth-failure limit', content: { 'application/json': { schema: ERROR } } },
      },
    };
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tollgate REST API',
      version: '1.0.0',
      description: 'Legacy /api/v1 surface of the Tollgate AI gateway. The typed API is tRPC at /trpc.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
