// npm run visualize: the generated diagrams and tables cover the whole machine, and the committed
// copies are up to date. The machine is read through xstate's StateNode API here, independently of
// the generator, so a state, route or event the generator missed fails a test.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createMachine, fromPromise, type AnyStateMachine } from 'xstate';
import { authMachine } from '../machines/auth.machine.js';
import {
  GENERATED_NOTICE,
  OUTPUT_PATHS,
  generate,
  mermaidIds,
  staleFiles,
  toDot,
  toMermaid,
  toStatesMarkdown,
  type GeneratedFile,
} from '../scripts/visualize-lib.js';
import { readChart } from '../src/testing/chart-reader.js';

const repoRoot = resolve(__dirname, '..');

interface Node {
  id: string;
  key: string;
  type: string;
  meta?: unknown;
  parent?: Node;
  states: Record<string, Node>;
  ownEvents: string[];
}

function allNodes(machine: AnyStateMachine): Node[] {
  const nodes: Node[] = [];
  const walk = (node: Node) => {
    nodes.push(node);
    Object.values(node.states).forEach(walk);
  };
  walk(machine.root as unknown as Node);
  return nodes;
}

const routeOf = (node: Node): string | undefined => {
  const meta = node.meta as { route?: string } | undefined;
  return meta?.route;
};

/** The first Markdown table after `heading`, as rows of trimmed cells. */
function table(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith('## ') && l.includes(heading));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('## ')) break;
    if (!line.startsWith('|') || /^\|[-| ]+\|$/.test(line)) continue;
    rows.push(line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
  }
  return rows.slice(1); // without the header row
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const unquote = (cell: string) => cell.replace(/`/g, '');
const cellList = (cell: string) => (cell === '—' ? [] : cell.split(', ').map(unquote));

let files: GeneratedFile[];
const file = (path: string) => {
  const found = files.find((f) => f.path === path);
  if (!found) throw new Error(`${path} was not generated`);
  return found.content;
};

beforeAll(async () => {
  files = await generate(authMachine);
});

describe('the generated files cover the machine', () => {
  const nodes = allNodes(authMachine);

  test('the machine has states to show', () => {
    expect(nodes.length).toBeGreaterThan(5);
    expect(nodes.some((n) => routeOf(n) !== undefined)).toBe(true);
  });

  test('every state node is an element of the SVG (id = state id)', () => {
    const svg = file(OUTPUT_PATHS.svg);
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('</svg>');
    const missing = nodes.filter((n) => !svg.includes(`id="${n.id}"`)).map((n) => n.id);
    expect(missing).toEqual([]);
  });

  test('the SVG shows each state key, invoked actor and tag', () => {
    const svg = file(OUTPUT_PATHS.svg);
    for (const node of nodes) {
      const n = node as Node & { invoke: { src: unknown }[]; tags: string[] };
      if (n.parent) expect(svg).toContain(`>${n.key}<`);
      for (const inv of n.invoke) if (typeof inv.src === 'string') expect(svg).toContain(`invoke ${inv.src}`);
      for (const tag of n.tags) expect(svg).toMatch(new RegExp(`tags: [^<]*\\b${tag}\\b`));
    }
  });

  test('every state node is declared in the Mermaid diagram, under its parent', () => {
    const mermaid = file(OUTPUT_PATHS.mermaid);
    expect(mermaid).toContain('stateDiagram-v2');
    const ids = mermaidIds(readChart(authMachine));
    for (const node of nodes) {
      expect(mermaid).toContain(`%% ${node.id}\n`);
      const declaration = new RegExp(`^( *)state "${escapeRegExp(node.key)}" as ${ids.get(node.id)}( \\{)?$`, 'm');
      const match = declaration.exec(mermaid);
      expect(match).not.toBeNull();
      const depth = (node.id.split('.').length - 1) * 2 + 2;
      expect(match![1]!.length).toBe(depth);
    }
    expect(new Set(ids.values()).size).toBe(nodes.length);
  });

  test('every state node has a row in the docs/states.md state table, with its description', () => {
    const markdown = file(OUTPUT_PATHS.states);
    expect(markdown).toContain(GENERATED_NOTICE);
    const rows = table(markdown, 'Every state node');
    expect(rows.map((r) => unquote(r[0]!))).toEqual(nodes.map((n) => n.id));
    for (const node of nodes) {
      const description = (node as Node & { description?: string }).description;
      expect([node.id, typeof description === 'string' && description.length > 0]).toEqual([node.id, true]); // the chart rule: every state says what it is
      expect(markdown).toContain(description!.replace(/\|/g, '\\|'));
    }
  });

  test('the route table has every route in meta, each routed state, and the events each state accepts', () => {
    const rows = table(file(OUTPUT_PATHS.states), 'Next steps');
    const byPath = new Map(rows.map((r) => [unquote(r[1]!).replace(/ \(.*\)$/, ''), r]));
    const routes = new Set(nodes.map(routeOf).filter((r): r is string => r !== undefined));
    expect(new Set(rows.map((r) => unquote(r[2]!)))).toEqual(routes);

    for (const node of nodes) {
      const lineage: Node[] = [];
      for (let n: Node | undefined = node; n; n = n.parent) lineage.push(n);
      const routed = lineage.find((n) => routeOf(n) !== undefined);
      const isAtomic = Object.keys(node.states).length === 0;
      const path = node.id.split('.').slice(1).join('.');
      if (routeOf(node) === undefined && !(routed && isAtomic)) {
        expect(byPath.has(path)).toBe(false);
        continue;
      }
      const row = byPath.get(path);
      expect(row).toBeDefined();
      expect(unquote(row![2]!)).toBe(routeOf(routed!));
      const accepted = new Set(lineage.flatMap((n) => n.ownEvents).filter((e) => !e.startsWith('xstate.')));
      expect(new Set(cellList(row![3]!))).toEqual(accepted);
    }
  });

  test('the machine JSON is the config without functions, states in document order', () => {
    const json = JSON.parse(file(OUTPUT_PATHS.json)) as { id: string; states: Record<string, unknown> };
    expect(json.id).toBe(authMachine.id);
    expect(Object.keys(json.states)).toEqual(Object.keys(authMachine.root.states));
    const keyed = (node: Node, config: { states?: Record<string, unknown> }) => {
      expect(Object.keys(config.states ?? {})).toEqual(Object.keys(node.states));
      for (const [key, child] of Object.entries(node.states)) keyed(child, config.states![key] as { states?: Record<string, unknown> });
    };
    keyed(authMachine.root as unknown as Node, json);
  });

  test('output is deterministic', async () => {
    const again = await generate(authMachine);
    expect(again).toEqual(files);
  });
});

describe('the committed files', () => {
  test('are up to date with the machine (npm run visualize -- --check)', async () => {
    const stale = await staleFiles(files, repoRoot);
    if (stale.length > 0) throw new Error(`Out of date: ${stale.join(', ')}. Run npm run visualize and commit the files.`);
  });

  test('docs/visualizer.md embeds the SVG', async () => {
    const doc = await readFile(join(repoRoot, 'docs/visualizer.md'), 'utf8');
    expect(doc).toContain('](../visualizations/auth.svg)');
  });
});

describe('the generator is generic', () => {
  // A machine with nothing in common with the sign-in chart but the kinds of things it shows.
  const other = createMachine({
    id: 'toy',
    initial: 'idle',
    states: {
      idle: { meta: { route: 'home' }, on: { 'go.now': 'working', 'go.later': { target: 'waiting', guard: { type: 'isLater', params: { when: 'soon' } } } } },
      waiting: { after: { 500: 'working' } },
      working: {
        meta: { route: 'busyPage', signInStep: 'SOME_STEP' },
        tags: ['busy'],
        initial: 'fetching',
        on: { 'go.now': 'working' },
        states: {
          fetching: {
            invoke: { id: 'fetchThing', src: fromPromise(async () => 1), onDone: 'deciding', onError: '#toy.idle' },
          },
          deciding: { always: [{ guard: 'isReady', target: '#toy.idle' }, { target: 'fetching' }], on: { 'go.now': undefined } },
        },
      },
    },
  });
  const chart = readChart(other);

  test('labels: events, guards with literal params, done/error of actors, delays, eventless', () => {
    const dot = toDot(chart);
    for (const label of ['go.now', 'go.later [isLater: soon]', 'done: fetchThing', 'error: fetchThing', 'after: 500ms', 'always [isReady]', 'always [else]']) {
      expect(dot).toContain(`label="${label}"`);
      expect(toMermaid(chart)).toContain(` : ${label}\n`);
    }
    expect(dot).toContain('subgraph "cluster_toy.working"');
    expect(dot).toMatch(/"toy\.working:initial" -> "toy\.working\.fetching"/);
    expect(dot).toContain('tags: busy');
  });

  test('route rows inherit the route (and step) in atomic children; a forbidden event is not accepted', () => {
    const rows = table(toStatesMarkdown(chart), 'Next steps');
    expect(rows.map((r) => [unquote(r[0]!), unquote(r[1]!), unquote(r[2]!), r[3]])).toEqual([
      ['—', 'idle', 'home', '`go.now`, `go.later`'],
      ['SOME_STEP', 'working (busy)', 'busyPage', '`go.now`'],
      ['SOME_STEP', 'working.fetching', 'busyPage', '`go.now`'],
      ['SOME_STEP', 'working.deciding', 'busyPage', '—'],
    ]);
  });
});

describe('npm run visualize -- --check', () => {
  const run = (cwd: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(
        process.execPath,
        [join(repoRoot, 'scripts/run-ts.mjs'), join(repoRoot, 'scripts/visualize.ts'), '--check'],
        { cwd, timeout: 20_000 },
        (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
      );
    });

  test('exits 1 listing each stale file and how to fix it, 0 when all match', async () => {
    // A scratch "repository": the CLI finds its root by machines/auth.machine.ts and compares the files there.
    const dir = await mkdtemp(join(tmpdir(), 'authchart-visualize-'));
    try {
      await mkdir(join(dir, 'machines'));
      await writeFile(join(dir, 'machines/auth.machine.ts'), '');
      for (const f of files) {
        await mkdir(join(dir, dirname(f.path)), { recursive: true });
        await writeFile(join(dir, f.path), f.content);
      }
      const fresh = await run(dir);
      expect(fresh).toMatchObject({ code: 0 });

      await writeFile(join(dir, OUTPUT_PATHS.mermaid), `${file(OUTPUT_PATHS.mermaid)}  %% edited\n`);
      await rm(join(dir, OUTPUT_PATHS.states));
      const stale = await run(dir);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain(OUTPUT_PATHS.mermaid);
      expect(stale.stderr).toContain(OUTPUT_PATHS.states);
      expect(stale.stderr).not.toContain(OUTPUT_PATHS.svg);
      expect(stale.stderr).toContain('npm run visualize');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
