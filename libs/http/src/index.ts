export * from './bootstrap';
export * from './error.filter';
export * from './input.decorator';
export * from './seed-quotes';
export * from './integer';
export * from './openapi';
export * from './limits';
export { unsupportedType } from './body-parsers';
