import type { RequestHandler } from 'express';
import { z } from 'zod';
import { defineOperation, type Operation, type SchemaSource } from './openapi-registry.js';
import { namedSchemas } from './openapi-schemas.js';
import { attemptOperations } from './routes/attempts.js';
import { deliveryOperations } from './routes/delivery.js';
import { destinationOperations } from './routes/destinations.js';
import { eventOperations } from './routes/events.js';
import { metaOperations } from './routes/meta.js';
import { metricsOperations } from './routes/metrics.js';
import { tenantAccessOperations } from './routes/tenant-access.js';
import { tenantListOperations } from './routes/tenant-list.js';
import { tenantOperations } from './routes/tenants.js';
import { timelineOperations } from './routes/timeline.js';

type Json = Record<string, unknown>;

export const openapiOperation = defineOperation({
  method: 'get', path: '/openapi.json', operationId: 'getOpenApiDocument', tag: 'Meta', public: true,
  summary: 'This OpenAPI document',
  description: 'Generated at start-up from the schemas the routes validate with.',
  responses: { 200: { description: 'OpenAPI 3.1 document.', schema: z.record(z.string(), z.unknown()) } },
});

/** Every operation the API serves, in the order the document lists them. */
export const operations: readonly Operation[] = [
  ...Object.values(metaOperations), openapiOperation, ...Object.values(tenantListOperations), ...Object.values(tenantOperations),
  ...Object.values(tenantAccessOperations),
  ...Object.values(destinationOperations), ...Object.values(deliveryOperations), ...Object.values(eventOperations),
  ...Object.values(attemptOperations), ...Object.values(timelineOperations), ...Object.values(metricsOperations),
];

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ref('APIErrorResponse') } } });

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const id = namedSchemas.get(schema)?.id;
  if (id) return ref(id);
  // Transforms (string → Date, query lists) are described by what the caller sends, not what the handler gets.
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  return json;
}

const resolve = (source: SchemaSource, destinationTypes: readonly string[]) =>
  typeof source === 'function' ? source(destinationTypes) : source;

function parameters(operation: Operation, destinationTypes: readonly string[]): Json[] {
  const pathShape = operation.params?.shape ?? {};
  const inPath = [...operation.path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => ({
    name, in: 'path', required: true,
    schema: pathShape[name] ? jsonSchema(pathShape[name] as z.ZodType, 'input') : { type: 'string' },
  }));
  if (!operation.query) return inPath;
  const query = jsonSchema(resolve(operation.query, destinationTypes), 'input') as { properties?: Record<string, Json>; required?: string[] };
  const inQuery = Object.entries(query.properties ?? {}).map(([name, schema]) => ({
    name, in: 'query', required: query.required?.includes(name) ?? false, schema,
    // Time ranges are `time[gte]=…`: one object spread over bracketed keys.
    ...(schema.type === 'object' ? { style: 'deepObject', explode: true } : {}),
  }));
  return [...inPath, ...inQuery];
}

function responses(operation: Operation): Json {
  const out: Json = {};
  for (const [status, spec] of Object.entries(operation.responses)) {
    out[status] = spec.textContentType
      ? { description: spec.description, content: { [spec.textContentType]: { schema: { type: 'string' } } } }
      : spec.schema
      ? { description: spec.description, content: { 'application/json': { schema: jsonSchema(spec.schema, 'output') } } }
      : errorResponse(spec.description);
  }
  if (!operation.public) out['401'] ??= errorResponse('Missing or invalid bearer token.');
  out['500'] ??= errorResponse('Unexpected failure, without detail.');
  out['503'] ??= errorResponse('A dependency is unavailable, or too many deliveries are starting; retry after the Retry-After header.');
  return out;
}

function describeOperation(operation: Operation, destinationTypes: readonly string[]): Json {
  const params = parameters(operation, destinationTypes);
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [operation.tag],
    ...(operation.public ? { security: [] } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(operation.body
      ? { requestBody: { required: operation.bodyRequired ?? true, content: { 'application/json': { schema: jsonSchema(operation.body, 'input') } } } }
      : {}),
    responses: responses(operation),
  };
}

/** The OpenAPI 3.1 document of `operations` (JSON Schema 2020-12, which OpenAPI 3.1 uses as is). */
export function buildOpenApiDocument(options: { readonly destinationTypes: readonly string[] }): Json {
  const paths: Record<string, Json> = {};
  for (const operation of operations) {
    const item = (paths[operation.path] ??= operation.atRoot ? { servers: [{ url: '/' }] } : {});
    item[operation.method] = describeOperation(operation, options.destinationTypes);
  }
  const components = z.toJSONSchema(namedSchemas, { io: 'output', uri: (id) => `#/components/schemas/${id}` });
  const schemas = Object.fromEntries(Object.entries(components.schemas).map(([id, { $schema: _, $id: _id, ...schema }]) => [id, schema]));
  return {
    openapi: '3.1.0',
    info: { title: 'Herald API', version: 'v1', description: 'Event delivery on Temporal, API-compatible with Hookdeck Outpost.' },
    servers: [{ url: '/api/v1' }],
    security: [{ AdminApiKey: [] }, { TenantJwt: [] }],
    paths,
    components: {
      securitySchemes: {
        AdminApiKey: { type: 'http', scheme: 'bearer', description: 'The API_KEY of the deployment.' },
        TenantJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A 24 h tenant token from GET /tenants/{tenant_id}/token.' },
      },
      schemas,
    },
  };
}

/** Serves the document, built once: it depends only on code and the registered destination types. */
export function serveOpenApiDocument(options: Parameters<typeof buildOpenApiDocument>[0]): RequestHandler {
  const document = buildOpenApiDocument(options);
  return (_req, res) => void res.json(document);
}
