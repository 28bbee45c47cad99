// Describing paths: one line per path, unique enough to name a test.
import type { AuthErrorData } from '../../cognito/errors.js';
import { parseEvent } from '../synthetic-events.js';
import { labelOf } from './alphabet.js';
import type { ModelEvent, ModelPath, ModelSnapshot } from './types.js';

/** A state value as `a.b.c`. */
export function stateName(snapshot: ModelSnapshot): string {
  const flatten = (value: unknown): string =>
    typeof value === 'string' ? value : Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}.${flatten(v)}`).join('|');
  return flatten(snapshot.value);
}

export function describeEvent(event: ModelEvent): string {
  const parsed = parseEvent(event as never);
  const label = labelOf(event);
  switch (parsed.kind) {
    case 'done':
      return `${parsed.invokeId}→${label ?? describeOutput(parsed.output)}`;
    case 'error':
      return `${parsed.invokeId}✗${label ?? (parsed.error as AuthErrorData | undefined)?.code ?? 'error'}`;
    case 'after':
      return `after ${parsed.delay}`;
    case 'user':
      return label ? `${event.type}(${label})` : event.type;
  }
}

function describeOutput(output: unknown): string {
  const o = output as { step?: string; status?: string; allowedMfaTypes?: string[] } | undefined;
  if (o?.step) return o.allowedMfaTypes ? `${o.step}[${o.allowedMfaTypes.join(',')}]` : o.step;
  return o?.status ?? 'ok';
}

/** `<end state>{error}: event › event › ...` — one line, unique enough to name a test. */
export function describePath(path: ModelPath): string {
  const error = path.state.context.error ? ` (${path.state.context.error.code})` : '';
  const events = path.steps.slice(1).map((s) => describeEvent(s.event));
  const scenario = path.scenario ? `[${path.scenario}] ` : '';
  return `${scenario}${stateName(path.state)}${error}: ${events.length ? events.join(' › ') : '(start)'}`;
}
