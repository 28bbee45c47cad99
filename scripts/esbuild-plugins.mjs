// esbuild plugins shared by scripts/build.mjs and scripts/run-ts.mjs.
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// tssrp6a is bundled, with its crossEnvCrypto (which require()s "crypto" outside browsers) replaced by WebCrypto.
export const tssrp6aWebCrypto = {
  name: 'tssrp6a-webcrypto',
  setup(b) {
    b.onResolve({ filter: /^tssrp6a$/ }, () => ({ path: resolve(root, 'node_modules/tssrp6a/dist/esm/index.js') }));
    b.onResolve({ filter: /crossEnvCrypto(\.js)?$/ }, (args) =>
      args.importer.includes(`${sep}tssrp6a${sep}`) ? { path: resolve(root, 'src/cognito/tssrp6a-webcrypto.ts') } : undefined,
    );
  },
};

/**
 * Browser builds of the chart without its state descriptions (about 2.6 KB of an app's gzip): the descriptions
 * are for visualizers and docs, which read the full chart ('authchart/machine', the Node entry, the sources).
 * Each `description` property of the createMachine() literal is blanked where it stands (same lines and columns,
 * so source maps stay right); a chart whose descriptions cannot all be found fails the build instead.
 */
export function chartWithoutDescriptions(ts) {
  return {
    name: 'chart-without-descriptions',
    setup(b) {
      b.onLoad({ filter: /[\\/]machines[\\/]auth\.machine\.ts$/ }, async ({ path }) => {
        const { readFile } = await import('node:fs/promises');
        const source = await readFile(path, 'utf8');
        return { contents: blankDescriptions(ts, source, path), loader: 'ts' };
      });
    },
  };
}

function blankDescriptions(ts, source, path) {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const spans = [];
  let left = 0;
  const visitConfig = (node) => {
    if (ts.isPropertyAssignment(node) && node.name.getText(file) === 'description') {
      if (!isText(ts, node.initializer)) return void (left += 1);
      let end = node.getEnd();
      if (source[end] === ',') end += 1;
      spans.push([node.getStart(file), end]);
      return;
    }
    ts.forEachChild(node, visitConfig);
  };
  const findCreateMachine = (node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'createMachine') {
      node.arguments.forEach(visitConfig);
      return;
    }
    ts.forEachChild(node, findCreateMachine);
  };
  findCreateMachine(file);
  let out = source;
  for (const [start, end] of spans.reverse()) out = out.slice(0, start) + out.slice(start, end).replace(/[^\n]/g, ' ') + out.slice(end);
  if (spans.length === 0 || left !== 0) throw new Error(`${path}: ${spans.length} descriptions blanked, ${left} left that are not plain text`);
  return out;
}

const isText = (ts, node) =>
  ts.isStringLiteral(node) ||
  ts.isNoSubstitutionTemplateLiteral(node) ||
  (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken && isText(ts, node.left) && isText(ts, node.right)) ||
  (ts.isParenthesizedExpression(node) && isText(ts, node.expression));
