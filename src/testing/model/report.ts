// Report: how many paths of each kind, and what the deduplicated ones cover.
import { coverageOf } from './coverage.js';
import { generateModel, type GeneratedModel, type ModelPathsOptions } from './paths.js';

export interface ModelReport {
  readonly paths: {
    readonly shortest: number;
    readonly transitions: number;
    readonly loops: number;
    /** Distinct paths, without deduplication. */
    readonly all: number;
    /** Without the paths that are a prefix of another (what coverage is computed on). */
    readonly deduplicated: number;
  };
  readonly stateNodes: { readonly total: number; readonly covered: number; readonly missing: readonly string[] };
  readonly transitions: { readonly total: number; readonly covered: number; readonly missing: readonly string[] };
}

/** Path counts (with and without deduplication) and what the deduplicated paths cover. */
export function modelReport(options: ModelPathsOptions = {}, model: GeneratedModel = generateModel(options)): ModelReport {
  const coverage = coverageOf(model.deduplicated, options.machine);
  return {
    paths: {
      shortest: model.shortest.length,
      transitions: model.transitions.length,
      loops: model.loops.length,
      all: model.all.length,
      deduplicated: model.deduplicated.length,
    },
    stateNodes: { total: coverage.states.all.length, covered: coverage.states.all.length - coverage.states.missing.length, missing: coverage.states.missing },
    transitions: {
      total: coverage.transitions.all.length,
      covered: coverage.transitions.all.length - coverage.transitions.missing.length,
      missing: coverage.transitions.missing.map((t) => t.label),
    },
  };
}

export function formatReport(report: ModelReport): string {
  const { paths, stateNodes, transitions } = report;
  return [
    `paths: ${paths.all} without deduplication (${paths.shortest} shortest, ${paths.transitions} for transitions, ${paths.loops} loops; distinct), ${paths.deduplicated} deduplicated`,
    `state nodes: ${stateNodes.covered}/${stateNodes.total}${stateNodes.missing.length ? `; missing: ${stateNodes.missing.join(', ')}` : ''}`,
    `transitions: ${transitions.covered}/${transitions.total}${transitions.missing.length ? `; missing:\n  ${transitions.missing.join('\n  ')}` : ''}`,
  ].join('\n');
}
