import { type RequestMethod, RequestMethod as Methods, type Type } from '@nestjs/common';
import {
  CUSTOM_ROUTE_ARGS_METADATA,
  HTTP_CODE_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { z } from 'zod';
import { API_QUERY } from './api-query.decorator';
import { API_RESPONSES, type ResponseNotes } from './api-responses.decorator';
import { API_SUMMARY } from './api-summary.decorator';
import { RETURNS, type RouteAnswer } from './returns.decorator';

/** One route as Nest maps it: method, path, the schemas that validate its input, its documented statuses. */
export interface ApiRoute {
  controller: Type;
  handler: string;
  /** Unique in the app: the handler's name, with the path's words when it serves several paths. */
  operationId: string;
  /** What it does, in a line (`@ApiSummary`). */
  summary?: string;
  method: string;
  /** OpenAPI's form: `/posts/{id}/likes`. */
  path: string;
  pathParams: string[];
  /** Validates the merged query, body and path parameters (the `Input` decorator). */
  input?: z.ZodType;
  /** Validates the query string alone (`@Query({ schema })`). */
  query?: z.ZodType;
  /** Query parameters read outside the input (`@ApiQuery`). */
  extraQuery?: z.ZodObject;
  successStatus: number;
  /** What a success answers (`@Returns`); none for a route that answers no body. */
  answer?: RouteAnswer;
  notes: ResponseNotes;
}

interface RouteArg {
  index: number;
  schema?: unknown;
}

/** Every route of `controllers`, read from the metadata Nest's router maps them by (one per path). */
export function apiRoutes(controllers: Type[]): ApiRoute[] {
  return controllers.flatMap((controller) => {
    const prefixes = paths(Reflect.getMetadata(PATH_METADATA, controller));
    const proto = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(proto).flatMap((handler) => {
      const fn = proto[handler];
      if (handler === 'constructor' || typeof fn !== 'function') return [];
      const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      // A catch-all (`@All`) has no one method for a document to describe.
      if (method === undefined || method === Methods.ALL) return [];
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<
        string,
        RouteArg
      >;
      const notes: ResponseNotes = {
        ...(Reflect.getMetadata(API_RESPONSES, controller) as ResponseNotes | undefined),
        ...(Reflect.getMetadata(API_RESPONSES, fn) as ResponseNotes | undefined),
      };
      const verb = Methods[method];
      const successStatus = successStatusOf(fn, verb);
      const routes = prefixes.flatMap((prefix) =>
        paths(Reflect.getMetadata(PATH_METADATA, fn)).map((route) => openApiPath(prefix, route)),
      );
      return routes.map((path): ApiRoute => ({
        controller,
        handler,
        operationId: routes.length === 1 ? handler : `${handler}${pascalWords(path)}`,
        summary: Reflect.getMetadata(API_SUMMARY, fn) as string | undefined,
        method: verb,
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        input: schemaOf(args, (key) => key.includes(CUSTOM_ROUTE_ARGS_METADATA)),
        query: schemaOf(args, (key) => key.startsWith(`${RouteParamtypes.QUERY}:`)),
        extraQuery: Reflect.getMetadata(API_QUERY, fn) as z.ZodObject | undefined,
        successStatus,
        answer: Reflect.getMetadata(RETURNS, fn) as RouteAnswer | undefined,
        notes,
      }));
    });
  });
}

/** What a handler answers when it succeeds, as Nest sets it: its `@HttpCode`, else 201 for a POST, else 200. */
export const successStatusOf = (handler: object, verb: string): number =>
  (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (verb === 'POST' ? 201 : 200);

/** A path's words run together: `/users/{username}/likes` is `UsersUsernameLikes`. */
const pascalWords = (path: string) =>
  path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('');

function paths(value: unknown): string[] {
  if (value === undefined) return ['/'];
  return Array.isArray(value) ? (value as string[]) : [value as string];
}

/** Nest's `posts/:id/likes` under a controller prefix, as OpenAPI writes it: `/posts/{id}/likes`. */
function openApiPath(prefix: string, route: string): string {
  const joined = [prefix, route]
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment !== '')
    .map((segment) => segment.replace(/^:(\w+)$/, '{$1}'))
    .join('/');
  return `/${joined}`;
}

function schemaOf(args: Record<string, RouteArg>, matches: (key: string) => boolean): z.ZodType | undefined {
  const found = Object.entries(args).find(([key, arg]) => matches(key) && arg.schema !== undefined);
  return found?.[1].schema as z.ZodType | undefined;
}
