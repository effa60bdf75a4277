import { version } from '../../../package.json';

/** Chirp's version (package.json's), which every app registers as `meta.version`. */
export const APP_VERSION = version;
