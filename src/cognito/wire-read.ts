// What every wire mapping (wire-sign-in.ts, wire-later.ts) uses: which call-context members an operation takes, and
// readers of Cognito's JSON. A module of its own, so the later mapping's chunk shares only these with the sign-in's.
import type { CallContextMember } from './call-context.js';
import type { WireObject } from './wire.js';

export const METADATA: readonly CallContextMember[] = ['ClientMetadata'];
export const METADATA_AND_CONTEXT: readonly CallContextMember[] = ['ClientMetadata', 'UserContextData'];

// ---------- readers: tolerant of members an emulator omits ----------

export const isObject = (value: unknown): value is WireObject => typeof value === 'object' && value !== null && !Array.isArray(value);
export const field = (value: unknown, name: string): unknown => (isObject(value) ? value[name] : undefined);
export const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const texts = (value: unknown): string[] => list(value).filter((v): v is string => typeof v === 'string');
/** `{ [key]: value }` when there is a value, else nothing (exactOptionalPropertyTypes). */
export const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined || value === '' ? {} : ({ [key]: value } as { [P in K]: V }));

/** Operations that answer `{}`. */
export function nothing(): void {}
