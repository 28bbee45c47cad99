// The chunk that talks to Cognito (cognito-chunk.ts), loaded once with import(). Its only static importers are the
// shared machine and the public port factories: anything else importing cognito-chunk.ts would pull it into the first load.
import { lazyChunk } from './lazy-chunk.js';

export const loadCognitoChunk = lazyChunk(() => import('./cognito-chunk.js'));
