import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { crossCheckTopology } from './cross-checks.js';
import { normalizeTopology } from './normalize.js';
import { type TopologyInput, topologySchema } from './schema.js';
import { TopologyError } from './topology-error.js';
import type { Topology } from './types.js';
import { parseYamlSource, positionOf } from './yaml-source.js';
import { issuesFromZod } from './zod-issues.js';

/**
 * Validate a topology object (from YAML or TypeScript) and normalise it. Throws TopologyError whose
 * message has one line per problem: `<source>: hosts.r1.links[0].address: invalid CIDR`.
 */
export function parseTopology(input: unknown, source = '<topology>'): Topology {
  const parsed = topologySchema.safeParse(input);
  if (!parsed.success) throw new TopologyError(source, issuesFromZod(parsed.error.issues));
  const topo = normalizeTopology(parsed.data);
  const issues = crossCheckTopology(topo, parsed.data);
  if (issues.length > 0) throw new TopologyError(source, issues);
  return topo;
}

/** The TypeScript API: same schema and checks as the YAML files. */
export function defineTopology(input: TopologyInput, source = '<typescript>'): Topology {
  return parseTopology(input, source);
}

/** Parse YAML text; issues carry line:column of the offending value. */
export function parseTopologyYaml(text: string, file = '<yaml>'): Topology {
  const src = parseYamlSource(text);
  if (src.syntaxIssues.length > 0) throw new TopologyError(file, src.syntaxIssues);
  try {
    return parseTopology(src.doc.toJS(), file);
  } catch (err) {
    if (!(err instanceof TopologyError)) throw err;
    throw new TopologyError(
      file,
      err.issues.map((i) => ({ ...i, ...positionOf(src, i.path) })),
    );
  }
}

export async function loadTopologyFile(path: string): Promise<Topology> {
  const text = await readFile(path, 'utf8');
  return parseTopologyYaml(text, basename(path));
}
