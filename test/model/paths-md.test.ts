// visualizations/paths.md (npm run visualize): one line per shortest model path, and up to date.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { authMachine } from '../../machines/auth.machine.js';
import { OUTPUT_PATHS, toPathsMarkdown } from '../../scripts/visualize-lib.js';
import { describePath, shortestPaths } from '../../src/testing/index.js';

it('lists every shortest path, one numbered line each, as committed', async () => {
  const markdown = toPathsMarkdown(authMachine);
  const lines = markdown.split('\n').filter((l) => /^\d+\. /.test(l));
  const paths = shortestPaths();
  expect(lines).toHaveLength(paths.length);
  expect(lines[0]).toBe(`1. ${describePath(paths[0]!)}`);
  expect(markdown).toContain(`${paths.length} paths`);
  expect(await readFile(join(resolve(__dirname, '../..'), OUTPUT_PATHS.paths), 'utf8')).toBe(markdown);
});
