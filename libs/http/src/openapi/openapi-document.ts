import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type {
  ZodOpenApiObject,
  ZodOpenApiOperationObject,
  ZodOpenApiResponseObject,
  ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { errorBody } from '../error.filter';
import { HEADER_LIMIT_KIB, PARAM_TOO_LONG } from '../limits';
import type { ApiRoute } from './api-route';

/** What a document says about its app as a whole. */
export interface OpenApiInfo {
  title: string;
  description: string;
  /** The stores a 503 names (`redis unavailable`). */
  stores: string[];
  /**
   * Where the app asks for a bearer token, what that token is (a description, never the token): the
   * routes that can answer 401 require it, those that answer a wrong one with 403 take it optionally.
   * Without it no route asks for one.
   */
  bearer?: string;
}

const TOKEN = 'token';

const WITHOUT_BODY = new Set(['GET', 'HEAD', 'DELETE']);
const BODY_TYPES = ['application/json', 'application/x-www-form-urlencoded'] as const;

/** The OpenAPI 3.1 document of `routes`, every schema in it rendered from the zod schema that validates. */
export async function openApiDocument(info: OpenApiInfo, routes: ApiRoute[]): Promise<object> {
  const paths: NonNullable<ZodOpenApiObject['paths']> = {};
  const ids = new Set<string>();
  for (const route of routes) {
    // Clients name their methods by it (openapi-generator, Orval): two routes cannot share one.
    if (ids.has(route.operationId)) {
      throw new Error(`${route.controller.name}.${route.handler}: operationId ${route.operationId} is taken`);
    }
    ids.add(route.operationId);
    paths[route.path] = {
      ...paths[route.path],
      [route.method.toLowerCase()]: operation(route, info),
    };
  }
  // Loaded here, not at boot: it is needed once, when the document is first asked for.
  const { createDocument } = await import('zod-openapi');
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: info.title,
      description: info.description,
      version: '1',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    // Relative: the document is served by the API it describes, through HAProxy or by one instance.
    servers: [{ url: '/', description: 'Where this document is served from' }],
    paths,
    ...(info.bearer && {
      components: {
        securitySchemes: { [TOKEN]: { type: 'http', scheme: 'bearer', description: info.bearer } },
      },
    }),
  });
}

function operation(route: ApiRoute, info: OpenApiInfo): ZodOpenApiOperationObject {
  const schema = route.input ?? route.query;
  const fields = schema && objectOf(schema);
  const inPath = fields?.pick(keys(route.pathParams)).required();
  const rest = fields && requiredAsInJsonSchema(fields.omit(keys(route.pathParams)));
  const asQuery = route.query !== undefined || WITHOUT_BODY.has(route.method);
  const body = route.input && !asQuery ? (fields ? rest : route.input) : undefined;
  if (schema && !fields && !body) {
    throw new Error(`${route.controller.name}.${route.handler}: only an object schema can be documented`);
  }
  const inputQuery = asQuery && rest && Object.keys(rest.shape).length > 0 ? rest : undefined;
  const extra = route.extraQuery;
  const query = extra ? (inputQuery?.extend(extra.shape) ?? extra) : inputQuery;
  return {
    operationId: route.operationId,
    ...(route.summary && { summary: route.summary }),
    tags: [route.controller.name.replace(/Controller$/, '')],
    security: security(route, info),
    requestParams: {
      ...(inPath && route.pathParams.length > 0 && { path: inPath }),
      ...(query && { query }),
    },
    ...(body && {
      requestBody: {
        description: 'A JSON object or a form; the same fields are also read from the query string.',
        content: Object.fromEntries(BODY_TYPES.map((type) => [type, { schema: body }])),
      },
    }),
    responses: responses(route, schema !== undefined || extra !== undefined, info.stores),
  };
}

function responses(route: ApiRoute, validated: boolean, stores: string[]): ZodOpenApiResponsesObject {
  const answers: Record<string, ZodOpenApiResponseObject> = {
    [route.successStatus]: success(route, STATUS_CODES[route.successStatus]!),
  };
  const notes: Record<number, string | null | undefined> = {
    ...(validated && {
      400: 'Bad input: the message names every bad field; nothing changed.',
      413: 'The body is larger than 64 KiB.',
      415: 'The body is neither JSON nor a form.',
    }),
    ...(route.pathParams.length > 0 && {
      414: `${PARAM_TOO_LONG}.`,
    }),
    431: `The request headers are larger than ${HEADER_LIMIT_KIB} KiB (through HAProxy, whose buffer is smaller, a 400).`,
    ...(stores.length > 0 && { 503: `A store is down: the message names it (${stores.join(', ')}).` }),
    ...route.notes,
  };
  for (const [status, description] of Object.entries(notes)) {
    if (!description) continue;
    answers[status] =
      Number(status) < 400
        ? success(route, description)
        : { description, content: { 'application/json': { schema: errorBody } } };
  }
  return answers;
}

/** The token a route asks for: required where it can answer 401, optional where a wrong one is a 403. */
function security(route: ApiRoute, info: OpenApiInfo): Record<string, string[]>[] {
  if (!info.bearer) return [];
  if (route.notes[401]) return [{ [TOKEN]: [] }];
  if (route.notes[403]) return [{}, { [TOKEN]: [] }];
  return [];
}

/** A 2xx answer: the route's body under each media type it is served as. */
function success(route: ApiRoute, description: string): ZodOpenApiResponseObject {
  if (!route.answer) return { description };
  const content = Object.entries(route.answer).map(([type, schema]) => [type, { schema }] as const);
  return { description, content: Object.fromEntries(content) };
}

/**
 * `object` with the fields zod's JSON Schema requires marked required: zod-openapi takes a
 * `z.preprocess` field for an optional parameter, since the preprocess step accepts `undefined`.
 */
function requiredAsInJsonSchema(object: z.ZodObject): z.ZodObject {
  const { required = [] } = z.toJSONSchema(object, { io: 'input', unrepresentable: 'any' });
  return object.required(keys(required));
}

/** A zod `pick`/`omit`/`required` mask of `names`. */
const keys = (names: string[]) =>
  Object.fromEntries(names.map((name) => [name, true])) as Record<string, true> & Record<number, never>;

/**
 * The object a route's input is read as, under the wrappers that do not change its fields
 * (`z.preprocess`, `.transform`, `.optional()`, refinements); `undefined` when it is no object.
 */
function objectOf(schema: z.ZodType): z.ZodObject | undefined {
  const def = schema._zod.def as z.core.$ZodTypeDef & {
    in?: z.ZodType;
    out?: z.ZodType;
    innerType?: z.ZodType;
  };
  if (def.type === 'object') return schema as z.ZodObject;
  // A pipe reads what its first step reads, unless that step is z.preprocess's transform.
  if (def.type === 'pipe') return objectOf(def.in!._zod.def.type === 'transform' ? def.out! : def.in!);
  if (def.type === 'optional' && def.innerType) return objectOf(def.innerType);
  return undefined;
}
