// The live statechart, readable: the phase the chart is in is expanded (what each active state is
// for, what can happen next and where it leads), the other phases are one line each (open any of
// them), and the whole generated chart is one click away, with the active states highlighted.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useSelector } from '@xstate/react';
import type { Auth, AuthView } from '../index.js';
import chartSvg from '../../visualizations/auth.svg';

type StateNode = Auth['actor']['logic']['root'];
type Transition = NonNullable<ReturnType<StateNode['transitions']['get']>>[number];

/** Ids of the active state nodes (the SVG's element ids), from a state value. */
export function activeIds(value: unknown, prefix = 'auth'): string[] {
  if (typeof value === 'string') return [prefix, `${prefix}.${value}`];
  if (!value || typeof value !== 'object') return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, child]) => activeIds(child, `${prefix}.${key}`))];
}

/** "signingIn.mfa.totpCode" for "auth.signingIn.mfa.totpCode". */
const shortId = (id: string) => id.replace(/^auth\./, '');

/** The event a transition waits for, in words: delays, finished and failed calls, eventless steps. */
function eventWords(eventType: string, node: StateNode): string {
  if (eventType.startsWith('xstate.after.')) return `after ${eventType.slice('xstate.after.'.length).replace(`.${node.id}`, '')}`;
  if (eventType.startsWith('xstate.done.actor.')) return `${eventType.slice('xstate.done.actor.'.length)} answers`;
  if (eventType.startsWith('xstate.error.actor.')) return `${eventType.slice('xstate.error.actor.'.length)} fails`;
  if (eventType.startsWith('xstate.done.state.')) return 'when it is done';
  if (eventType === '') return 'at once';
  return eventType;
}

function guardWords(guard: unknown): string | null {
  if (!guard) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') return guard.type;
  return 'a condition';
}

function TransitionList({ node }: { node: StateNode }): ReactNode {
  const rows: Array<{ event: string; transition: Transition }> = [];
  for (const [eventType, transitions] of node.transitions) for (const transition of transitions) rows.push({ event: eventWords(eventType, node), transition });
  for (const transition of node.always ?? []) rows.push({ event: 'at once', transition });
  if (rows.length === 0) return null;
  return (
    <ul className="transitions" aria-label={`transitions of ${node.key}`}>
      {rows.map(({ event, transition }, i) => {
        const guard = guardWords(transition.guard);
        const targets = transition.target?.map((t) => shortId(t.id)).join(', ');
        return (
          <li key={i}>
            <code className="event">{event}</code>
            {guard && <span className="guard"> if {guard}</span>}
            <span aria-hidden="true"> → </span>
            {targets ? (
              <>
                <span className="visually-hidden"> goes to </span>
                <code className="target">{targets}</code>
              </>
            ) : (
              <span className="muted"> stays here</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** A state on the active path: what it is for, where it can go, and its children (the active ones expanded). */
function ActiveState({ node, active }: { node: StateNode; active: ReadonlySet<string> }): ReactNode {
  const children = Object.values(node.states) as StateNode[];
  return (
    <div className="state active-state" data-state={node.id}>
      <div className="state-name">
        <strong>{node.key}</strong>
        {node.type === 'parallel' && <span className="muted"> (regions at the same time)</span>}
      </div>
      {node.description && <p className="description">{node.description}</p>}
      <TransitionList node={node} />
      {children.length > 0 && (
        <>
          {node.type !== 'parallel' && (
            <ul className="siblings" aria-label={`states of ${node.key}`}>
              {children.map((child) => (
                <li key={child.id} className={active.has(child.id) ? 'current' : undefined} aria-current={active.has(child.id) ? 'step' : undefined}>
                  {child.key}
                </li>
              ))}
            </ul>
          )}
          {children
            .filter((child) => active.has(child.id))
            .map((child) => (
              <ActiveState key={child.id} node={child} active={active} />
            ))}
        </>
      )}
    </div>
  );
}

/** A phase the chart is not in: one line; open it to read what it is for and where it can go. */
function OtherPhase({ node }: { node: StateNode }): ReactNode {
  const children = Object.keys(node.states);
  return (
    <details className="phase">
      <summary>
        {node.key}
        {children.length > 0 && <span className="muted"> · {children.length} states</span>}
      </summary>
      {node.description && <p className="description">{node.description}</p>}
      <TransitionList node={node} />
      {children.length > 0 && <p className="muted">States: {children.join(', ')}</p>}
    </details>
  );
}

export function Chart({ auth, view }: { auth: Auth; view: AuthView }): ReactNode {
  const value = useSelector(auth.actor, (s) => s.value);
  const tags = useSelector(auth.actor, (s) => [...s.tags].sort().join(', '));
  const ids = activeIds(value);
  const active = new Set(ids);
  const root = auth.actor.logic.root;
  const deepest = ids.reduce((best, id) => (id.split('.').length > best.split('.').length ? id : best), '');
  const [wholeOpen, setWholeOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const svg = box.current;
    if (!svg) return;
    svg.querySelectorAll('.active').forEach((el) => el.classList.remove('active'));
    let deepestEl: Element | null = null;
    for (const id of ids) {
      const el = svg.querySelector(`[id="${id}"]`);
      el?.classList.add('active');
      deepestEl = el ?? deepestEl;
    }
    // Scroll the chart (not the page) so the current state is in view.
    if (deepestEl && wholeOpen) {
      const target = deepestEl.getBoundingClientRect();
      const frame = svg.getBoundingClientRect();
      svg.scrollBy({ left: target.left - frame.left - frame.width / 2 + target.width / 2, top: target.top - frame.top - frame.height / 2 + target.height / 2 });
    }
  }, [ids.join('|'), wholeOpen]);
  return (
    <section aria-labelledby="chart-title" className="statechart">
      <h2 id="chart-title">Live statechart</h2>
      <p className="state-line">
        <span className="muted">Now in </span>
        <code data-testid="state-value">{deepest}</code>
        {tags && <span className="badge">{tags}</span>}
      </p>
      <dl className="facts">
        <div>
          <dt>Amplify’s next step</dt>
          <dd>
            <code data-testid="sign-in-step">{view.signInStep ?? '—'}</code>
          </dd>
        </div>
        <div>
          <dt>Last error</dt>
          <dd>
            <code data-testid="error-code">{view.error ? `${view.error.code}${view.error.field ? ` (field ${view.error.field})` : ''}` : '—'}</code>
          </dd>
        </div>
      </dl>
      <div className="phases">
        {(Object.values(root.states) as StateNode[]).map((node) =>
          active.has(node.id) ? <ActiveState key={node.id} node={node} active={active} /> : <OtherPhase key={node.id} node={node} />,
        )}
        <TransitionList node={root} />
      </div>
      <details className="whole-chart" onToggle={(e) => setWholeOpen((e.currentTarget as HTMLDetailsElement).open)}>
        <summary>Show the whole chart</summary>
        <div className="chart" ref={box} tabIndex={0} role="region" aria-label="the whole statechart (scrolls)" dangerouslySetInnerHTML={{ __html: chartSvg }} />
      </details>
    </section>
  );
}
