export * from './bootstrap';
export * from './error.filter';
export { FastPath } from './fast-path';
export * from './input.decorator';
export * from './seed-quotes';
export * from './integer';
export * from './openapi';
export * from './limits';
export { unsupportedType } from './body-parsers';
