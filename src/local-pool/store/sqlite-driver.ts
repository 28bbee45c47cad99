// better-sqlite3 is an optional peer dependency: an app that only signs in never builds it. The local pool
// loads it when it starts (startLocalPool awaits loadSqliteDriver), and says how to install it when it is missing.
import type Database from 'better-sqlite3';

type Driver = typeof Database;
let driver: Driver | undefined;

const MISSING =
  'The local pool stores its data with better-sqlite3, which is not installed: run `npm install better-sqlite3` ' +
  '(authchart lists it as an optional peer dependency, so apps that only sign in do not build it).';

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes('better-sqlite3');
}

/** Loads better-sqlite3 once (ESM and CommonJS alike); a clear error when it is not installed. */
export async function loadSqliteDriver(): Promise<Driver> {
  if (driver) return driver;
  try {
    const loaded = (await import('better-sqlite3')) as unknown as { default?: Driver } & Driver;
    driver = loaded.default ?? loaded;
  } catch (error) {
    throw isMissing(error) ? new Error(MISSING) : error;
  }
  return driver;
}

/** The driver loadSqliteDriver loaded; CommonJS callers (the CJS build, tests) may skip that step. */
export function sqliteDriver(): Driver {
  if (driver) return driver;
  if (typeof require !== 'function') throw new Error('the SQLite driver is not loaded yet: await loadSqliteDriver() first');
  try {
    driver = require('better-sqlite3') as Driver;
  } catch (error) {
    throw isMissing(error) ? new Error(MISSING) : error;
  }
  return driver;
}
