// Builds one bundle entry as an app's bundler would (esbuild: browser, ESM, minified, code splitting, production)
// and measures it: what the page loads at once (the entry chunk and the chunks it imports statically) and what
// it loads later (chunks reached only through import()). Shared by the bundle bench and the size-budget test.
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface Size {
  readonly minified: number;
  readonly gzip: number;
  readonly brotli: number;
}

export interface Measured {
  /** What the page loads before the app runs. */
  readonly initial: Size;
  /** What import() loads when a step needs it (each chunk compressed on its own, as it is served). */
  readonly lazy: Size & { readonly chunks: number };
  /** Files the page loads before the app runs: the entry and the chunks it imports statically. */
  readonly initialChunks: number;
  /** How many of them the entry chunk imports itself: when all do, the page fetches them in one round trip. */
  readonly initialFromEntry: number;
  /** Their code, for checks of what is (not) in the first load. */
  readonly initialCode: string;
  /** Minified bytes in the initial chunks, by package ('authchart' for this package's build, the entry file by name). */
  readonly initialBy: ReadonlyArray<readonly [string, number]>;
  readonly lazyBy: ReadonlyArray<readonly [string, number]>;
  /** Each later chunk: its file name, its size, the packages in it, its code, the later chunks it imports statically. */
  readonly lazyChunks: ReadonlyArray<LazyChunk>;
}

export interface LazyChunk {
  readonly name: string;
  readonly size: Size;
  readonly owners: readonly string[];
  readonly code: string;
  /** File names of the later chunks this one imports statically (they load with it). */
  readonly imports: readonly string[];
}

export interface EntryOptions {
  /** Bare specifiers to resolve elsewhere (the peers' folder, for packages that conflict with the root's). */
  readonly alias?: Readonly<Record<string, string>>;
  /** Packages the app loads anyway and are not counted (React for the React adapter). */
  readonly external?: readonly string[];
}

const zero: Size = { minified: 0, gzip: 0, brotli: 0 };
const add = (a: Size, b: Size): Size => ({ minified: a.minified + b.minified, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });

function sizeOf(bytes: Uint8Array): Size {
  return {
    minified: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
  };
}

/** node_modules/<pkg>/... -> pkg; this package's dist/ -> 'authchart'; anything else by its path. */
function ownerOf(input: string): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (inModules) return inModules[1]!;
  if (/^(dist|src|machines)\//.test(input)) return 'authchart';
  return input;
}

function byOwner(outputs: Metafile['outputs'], names: Iterable<string>): Array<[string, number]> {
  const bytes = new Map<string, number>();
  for (const name of names) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[name]!.inputs)) {
      const owner = ownerOf(input);
      bytes.set(owner, (bytes.get(owner) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
}

/** How an entry is built, as an app's bundler would; `authchart` resolves through the package's exports to dist/. */
export function bundleBuildOptions(root: string, entry: string, options: EntryOptions = {}): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: root,
    // The root's: bench/bundle-entries/tsconfig.json maps `authchart` to the sources for the type checker only.
    tsconfig: resolve(root, 'tsconfig.json'),
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    metafile: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    ...(options.alias ? { alias: { ...options.alias } } : {}),
    ...(options.external ? { external: [...options.external] } : {}),
  };
}

/** Builds `entry` (a path from the repository root) and measures its chunks. Nothing is written to disk. */
export async function measureEntry(root: string, entry: string, options: EntryOptions = {}): Promise<Measured> {
  const outdir = resolve(root, 'dist/bench/bundles');
  const result = await build({ ...bundleBuildOptions(root, entry, options), write: false, outdir });
  const outputs = result.metafile.outputs;
  const files = new Map(result.outputFiles.map((file) => [file.path, file.contents]));
  const keyOf = (name: string) => resolve(root, name);
  // Chunks that import() reaches have an entryPoint too: the page's own is the one built from `entry`.
  const entryName = Object.keys(outputs).find((name) => outputs[name]!.entryPoint === entry)!;

  // Initial: the entry and everything it imports statically, transitively.
  const initial = new Set<string>();
  const visit = (name: string) => {
    if (initial.has(name)) return;
    initial.add(name);
    for (const imported of outputs[name]!.imports) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(entryName);
  const lazy = Object.keys(outputs).filter((name) => name.endsWith('.js') && !initial.has(name));

  const total = (names: Iterable<string>) => [...names].reduce((sum, name) => add(sum, sizeOf(files.get(keyOf(name))!)), zero);
  const baseName = (name: string) => name.slice(name.lastIndexOf('/') + 1);
  const lazyChunks = lazy.map((name): LazyChunk => {
    const bytes = files.get(keyOf(name))!;
    const imports = outputs[name]!.imports.filter((i) => i.kind === 'import-statement' && !i.external && !initial.has(i.path)).map((i) => baseName(i.path));
    return { name: baseName(name), size: sizeOf(bytes), owners: byOwner(outputs, [name]).map(([owner]) => owner), code: new TextDecoder().decode(bytes), imports };
  });
  return {
    lazyChunks,
    initial: total(initial),
    initialChunks: initial.size,
    initialFromEntry: 1 + outputs[entryName]!.imports.filter((i) => i.kind === 'import-statement' && !i.external).length,
    initialCode: [...initial].map((name) => new TextDecoder().decode(files.get(keyOf(name))!)).join('\n'),
    lazy: { ...total(lazy), chunks: lazy.length },
    initialBy: byOwner(outputs, initial),
    lazyBy: byOwner(outputs, lazy),
  };
}

/** Bytes as KB with one decimal (1 KB = 1024 bytes, as the figures). */
export const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

export interface BundleEntry {
  readonly file: string;
  readonly label: string;
  readonly kind: 'authchart' | 'peer' | 'baseline';
  /** 'fetch': the lean transport or the app's own port, which never load the SDK's chunks (a bundler still emits them). */
  readonly transport?: 'sdk' | 'fetch';
  readonly options?: EntryOptions;
}

/** The entries the bundle bench builds, in the order of its table (paths from the repository root). */
export const BUNDLE_ENTRIES: readonly BundleEntry[] = [
  { file: 'bench/bundle-entries/lean.ts', label: 'authchart, a complete app on the lean transport (every route, every command)', kind: 'authchart', transport: 'fetch' },
  { file: 'bench/bundle-entries/core.ts', label: "authchart core: createAuth (the app's own port) + selectView + commands", kind: 'authchart', transport: 'fetch' },
  { file: 'bench/bundle-entries/sdk.ts', label: 'authchart on the SDK transport: createAuth + selectView + commands + a sign-in', kind: 'authchart' },
  {
    file: 'bench/bundle-entries/react.ts',
    label: 'authchart/react on the lean transport (React and React DOM not counted)',
    kind: 'authchart',
    transport: 'fetch',
    options: { external: ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime'] },
  },
  { file: 'bench/bundle-entries/machine.ts', label: 'authchart/machine: the chart alone, with its descriptions', kind: 'authchart' },
  { file: 'bench/bundle-entries/peer-amplify.ts', label: 'Amplify JS v6: Amplify.configure + signIn + confirmSignIn', kind: 'peer' },
  { file: 'bench/bundle-entries/peer-amplify-signin.ts', label: 'Amplify JS v6: signIn + confirmSignIn only', kind: 'peer' },
  { file: 'bench/bundle-entries/peer-identity-js.ts', label: 'amazon-cognito-identity-js: pool, user, SRP sign-in with MFA', kind: 'peer' },
  {
    file: 'bench/bundle-entries/peer-amplify-ui.ts',
    label: 'Amplify UI authenticator machine stack (@aws-amplify/ui on xstate 4)',
    kind: 'peer',
    options: { alias: { '@aws-amplify/ui': './bench/peers/node_modules/@aws-amplify/ui', xstate: './bench/peers/node_modules/xstate' } },
  },
  { file: 'bench/bundle-entries/aws-sdk.ts', label: "AWS SDK v3 Cognito client with the SDK transport's commands, nothing else", kind: 'baseline' },
];

/** The goals: the lean app's first load, and what the SDK transport adds to the SDK. */
export const BUDGET = { leanInitialGzip: 40 * 1024, sdkOverSdkGzip: 35 * 1024 } as const;

/** Everything an entry can load (first chunks and every lazy one), gzip. */
export const totalGzip = (m: Measured): number => m.initial.gzip + m.lazy.gzip;

const SDK_PACKAGES = /^(@aws-sdk\/|@smithy\/|@aws-crypto\/|bowser$|tslib$|\(esbuild runtime\)$)/;
/** The 3072-bit group's prime as srp-math.ts writes it: the chunk a USER_SRP_AUTH sign-in loads. */
export const SRP_PRIME = /FFFFFFFFFFFFFFFFC90FDAA22168C234/i;
/** The library build's chunk of src/runtime/cognito-chunk.ts (esbuild names a chunk after its entry). */
const COGNITO_CHUNK = /^cognito-chunk-/;

/**
 * What a password sign-in (USER_SRP_AUTH, the default) loads: the first load; the chunk that talks to Cognito
 * (src/runtime/cognito-chunk.ts, fetched when createAuth starts); the SRP chunk; on the SDK transport the AWS SDK's
 * chunks; and the later chunks those import statically. Not the chunks of steps only some users reach (sign-up and the
 * account, TOTP setup, passkeys, the hosted UI).
 */
export function signInGzip(m: Measured, transport: 'sdk' | 'fetch' = 'sdk'): number {
  const sdk = (owners: readonly string[]) => transport === 'sdk' && owners.length > 0 && owners.every((owner) => SDK_PACKAGES.test(owner));
  const byName = new Map(m.lazyChunks.map((chunk) => [chunk.name, chunk]));
  const needed = new Set<LazyChunk>();
  const add = (chunk: LazyChunk) => {
    if (needed.has(chunk)) return;
    needed.add(chunk);
    for (const name of chunk.imports) add(byName.get(name)!);
  };
  for (const chunk of m.lazyChunks) if (sdk(chunk.owners) || SRP_PRIME.test(chunk.code) || COGNITO_CHUNK.test(chunk.name)) add(chunk);
  return m.initial.gzip + [...needed].reduce((sum, chunk) => sum + chunk.size.gzip, 0);
}
