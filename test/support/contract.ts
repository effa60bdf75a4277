import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenAPIV3_1 } from 'openapi-types';
import type { Answer } from './http';

type Operation = OpenAPIV3_1.OperationObject;

/** One operation of a document: its method, its path template and a matcher for concrete paths. */
interface DocumentedRoute {
  route: string;
  method: string;
  template: string;
  pattern: RegExp;
  /** Static segments: where two templates match, the one with more of them is the route. */
  specificity: number;
  operation: Operation;
}

/**
 * Checks live answers against an app's own OpenAPI document: the status must be one the route lists,
 * and the body must match that status's schema for the answer's media type.
 */
export class Contract {
  /** The operations (`GET /polls/{polls_id}`) that have given a documented 2xx answer. */
  readonly answered = new Set<string>();
  private readonly validators = new Map<object, ValidateFunction>();
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });

  private constructor(
    /** The document, dereferenced: every schema in place of its `$ref`. */
    readonly document: OpenAPIV3_1.Document,
    private readonly routes: DocumentedRoute[],
  ) {
    addFormats(this.ajv);
  }

  /** The contract of `document` (dereferenced here; the caller's copy is left alone). */
  static async of(document: object): Promise<Contract> {
    const resolved = (await SwaggerParser.dereference(
      structuredClone(document) as never,
    )) as unknown as OpenAPIV3_1.Document;
    const routes = Object.entries(resolved.paths ?? {}).flatMap(([template, item]) =>
      Object.entries(item ?? {}).map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
        specificity: template.split('/').filter((s) => s && !s.startsWith('{')).length,
        operation: operation as Operation,
      })),
    );
    return new Contract(resolved, routes);
  }

  /** Every operation the document lists (`GET /polls/{polls_id}`). */
  get operations(): string[] {
    return this.routes.map((r) => r.route);
  }

  /** What is wrong with `answer` to `method path` by the document; empty when it keeps the contract. */
  problems(method: string, path: string, answer: Answer<unknown>): string[] {
    const at = `${method} ${path} → ${answer.status}`;
    const bare = path.split('?')[0];
    const route = this.routes
      .filter((r) => r.method === method && r.pattern.test(bare))
      .sort((a, b) => b.specificity - a.specificity)[0];
    if (!route) return [`${at}: no such operation in the document`];
    const response = route.operation.responses?.[answer.status] as OpenAPIV3_1.ResponseObject | undefined;
    if (!response) return [`${at}: status not documented for ${route.route}`];
    const type = answer.headers.get('content-type')?.split(';')[0].trim();
    const hasBody = answer.body !== undefined && answer.body !== '';
    if (!hasBody) {
      if (response.content) return [`${at}: no body, but the document promises one`];
      if (answer.status < 300) this.answered.add(route.route); // a 204, as documented
      return [];
    }
    if (!type) return [`${at}: a body without a content type`];
    const media = response.content?.[type];
    if (!media?.schema)
      return [
        `${at}: ${type} is not a documented answer (${Object.keys(response.content ?? {}).join(', ') || 'none'})`,
      ];
    // A text answer (a page, a stylesheet, an image) is checked for its type only.
    if (type !== 'application/json') {
      if (answer.status < 300) this.answered.add(route.route);
      return [];
    }
    const validate = this.validator(media.schema);
    if (!validate(answer.body)) {
      return [`${at}: body breaks the schema: ${this.ajv.errorsText(validate.errors)}`];
    }
    if (answer.status < 300) this.answered.add(route.route);
    return [];
  }

  private validator(schema: object): ValidateFunction {
    let validate = this.validators.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.validators.set(schema, validate);
    }
    return validate;
  }
}
