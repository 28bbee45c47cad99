// The generated paths reach every state node and take every transition of the machine (read from its state
// node tree, so a state or transition added to the chart is checked without touching this file).
import { authMachine } from '../../machines/auth.machine.js';
import { AuthError } from '../../src/cognito/errors.js';
import {
  activeInvokes,
  allStateNodes,
  allTransitions,
  coverageOf,
  describeEvent,
  formatReport,
  generateModel,
  modelEvents,
  modelReport,
  outcomesAt,
} from '../../src/testing/model/index.js';
import { parseEvent } from '../../src/testing/synthetic-events.js';

const model = generateModel();

/**
 * Transitions no runtime outcome can take, each with the reason. The test fails if one of them becomes
 * reachable (then delete it here) or disappears from the machine.
 */
const UNREACHABLE: Record<string, string> = {
  'auth.signingIn.routing: always #22':
    'fallback "Cognito answered with no next step": every SignInResult the runtime produces has a step (stepFromResponse throws UnexpectedResponse first)',
  // Targetless, action-less transitions change nothing, so snapshot.can() is false and no path takes them;
  // test/chart/auth.chart.test.ts shows they swallow the event (one request at a time).
  'auth.signingIn.mfa.resending: code.submit #0': 'a code sent while the resend runs is ignored (no-op: no path can take it)',
  'auth.signingIn.mfa.resending: code.resend #0': 'a second resend while one runs is ignored (no-op: no path can take it)',
  'auth.signingIn.firstFactor.resending: code.submit #0': 'a code sent while a first-factor resend runs is ignored (no-op)',
  'auth.signingIn.firstFactor.resending: code.resend #0': 'a second resend while one runs is ignored (no-op)',
  'auth.signingIn.firstFactor.passkey.prompting: factor.select #1': 'a choice that is no other factor is ignored while the prompt is open (no-op)',
  'auth.signingIn.firstFactor.passkey.prompting: passkey.start #0': 'a second passkey.start while the prompt is open is ignored (one prompt at a time; no-op)',
};

describe('coverage of the machine by the generated paths', () => {
  const coverage = coverageOf(model.deduplicated);

  it('reaches every state node', () => {
    if (coverage.states.missing.length > 0) console.log(`state nodes no path reaches:\n  ${coverage.states.missing.join('\n  ')}`);
    expect(coverage.states.missing).toEqual([]);
    expect(coverage.states.all).toHaveLength(allStateNodes().length);
  });

  it('takes every transition (on, always, after, invoke onDone/onError; each guarded branch)', () => {
    const missing = coverage.transitions.missing.filter((t) => !(t.key in UNREACHABLE));
    if (missing.length > 0) console.log(`transitions no path takes:\n  ${missing.map((t) => `${t.key}   ${t.label}`).join('\n  ')}`);
    expect(missing.map((t) => t.label)).toEqual([]);
  });

  it('the unreachable list is exact: each entry exists and is really not taken', () => {
    const keys = allTransitions().map((t) => t.key);
    for (const key of Object.keys(UNREACHABLE)) {
      expect(keys).toContain(key);
      expect(coverage.transitions.missing.map((t) => t.key)).toContain(key);
    }
  });

  it('reports the number of paths with and without deduplication', () => {
    const report = modelReport({}, model);
    console.log(`model-based coverage\n${formatReport(report)}`);
    expect(report.paths.all).toBeLessThanOrEqual(report.paths.shortest + report.paths.transitions + report.paths.loops);
    expect(report.paths.all).toBeGreaterThanOrEqual(report.paths.shortest);
    expect(report.paths.deduplicated).toBeLessThan(report.paths.all);
    expect(report.paths.deduplicated).toBeGreaterThan(0);
    expect(formatReport(report)).toMatch(new RegExp(`${report.paths.all} without deduplication .* ${report.paths.deduplicated} deduplicated`));
    // Deduplication only drops prefixes: what the paths cover does not change.
    expect(coverageOf(model.all).transitions.missing.length).toBe(coverage.transitions.missing.length);
  });
});

/** The state value that names a state node (`['signingIn', 'mfa']` ⇒ `{ signingIn: 'mfa' }`), for snapshot.matches(). */
const valueOf = (path: readonly string[]): unknown => path.reduceRight<unknown>((inner, key) => (inner === undefined ? key : { [key]: inner }), undefined);

describe('the alphabet', () => {
  const states = model.shortest.map((p) => p.state);

  it('only offers events the snapshot can take', () => {
    for (const state of states) for (const event of modelEvents(state)) expect(state.can(event as never)).toBe(true);
  });

  it('offers an outcome of every running actor and every armed timer, read from the state nodes', () => {
    for (const state of states) {
      const events = modelEvents(state).map((e) => parseEvent(e as never));
      for (const site of activeInvokes(state)) {
        expect(events.some((e) => (e.kind === 'done' || e.kind === 'error') && e.invokeId === site.invokeId)).toBe(true);
      }
      const armed = allStateNodes().filter((n) => n.after.length > 0 && state.matches(valueOf(n.path) as never));
      for (const node of armed) expect(events.some((e) => e.kind === 'after' && e.stateId === node.id)).toBe(true);
    }
  });

  it('every MFA_SETUP offer, every stored-session status and every routed error category occurs on some path', () => {
    const outputs = new Set<string>();
    const categories = new Set<string>();
    for (const path of model.all) {
      for (const { event } of path.steps) {
        const parsed = parseEvent(event as never);
        if (parsed.kind === 'done') {
          const o = (parsed.output ?? {}) as { step?: string; allowedMfaTypes?: string[]; status?: string };
          outputs.add(o.status ?? `${o.step}${o.allowedMfaTypes ? `[${o.allowedMfaTypes.join(',')}]` : ''}`);
        }
        if (parsed.kind === 'error') categories.add(parsed.invokeId === 'getTokensFromRefreshToken' && (parsed.error as AuthError).code === 'UnsupportedOperation' ? 'UnsupportedOperation' : (parsed.error as AuthError).category);
      }
    }
    for (const o of ['MFA_SETUP[TOTP,EMAIL]', 'MFA_SETUP[TOTP]', 'MFA_SETUP[EMAIL]', 'MFA_SETUP[SMS]', 'CONFIRM_SIGN_UP', 'RESET_PASSWORD', 'DONE', 'fresh', 'stale', 'none', 'resumable', 'interrupted']) {
      expect(outputs).toContain(o);
    }
    for (const c of ['credentials', 'challenge', 'throttle', 'network', 'session', 'token', 'configuration', 'protocol', 'UnsupportedOperation']) expect(categories).toContain(c);
  });

  it('every event of the alphabet (each payload variant, each actor outcome, each timer) occurs on some path', () => {
    const onPaths = new Set(model.all.flatMap((p) => p.steps.slice(1).map((s) => describeEvent(s.event))));
    const offered = new Set(states.flatMap((s) => modelEvents(s).map(describeEvent)));
    expect([...offered].filter((e) => !onPaths.has(e))).toEqual([]);
  });

  it('an actor without an outcome catalogue is an error, not a silent gap', () => {
    const [site] = activeInvokes(model.shortest[0]!.state);
    expect(() => outcomesAt({ ...site!, src: 'someNewActor' })).toThrow(/no outcome catalogue for actor "someNewActor"/);
  });

  it('the machine the paths are generated from is the chart', () => {
    expect(model.shortest[0]!.state.machine).toBe(authMachine);
  });
});
