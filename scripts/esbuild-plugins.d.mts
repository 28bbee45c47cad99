// Types of esbuild-plugins.mjs, for TypeScript files that bundle with it (test/e2e/tabs.e2e.test.ts).
import type { Plugin } from 'esbuild';

export const tssrp6aWebCrypto: Plugin;
