export * from './apps';
export * from './child';
export * from './haproxy';
export * from './ports';
export * from './stores';
export * from './wait';
export * from './echo';
export * from './http';
