import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import { crossCheckTopology } from './cross-checks.js';
import { normalizeTopology } from './normalize.js';
import { type TopologyInput, topologySchema } from './schema.js';
import { TopologyError, type TopologyIssue } from './topology-error.js';
import type { Topology } from './types.js';
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    const issues: TopologyIssue[] = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      return { path: '(yaml)', message: e.message.split('\n')[0] ?? e.message, line: pos?.line, column: pos?.col };
    });
    throw new TopologyError(file, issues);
  }
  try {
    return parseTopology(doc.toJS(), file);
  } catch (err) {
    if (!(err instanceof TopologyError)) throw err;
    throw new TopologyError(
      file,
      err.issues.map((i) => ({ ...i, ...positionOf(doc, i.path, lineCounter) })),
    );
  }
}

export async function loadTopologyFile(path: string): Promise<Topology> {
  const text = await readFile(path, 'utf8');
  return parseTopologyYaml(text, basename(path));
}

/** Map `hosts.r1.links[0].address` back to the YAML node, walking up to the nearest existing one. */
function positionOf(doc: Document, path: string, lc: LineCounter): { line?: number; column?: number } {
  const keys: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) keys.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? ''));
  for (let n = keys.length; n > 0; n--) {
    const node = doc.getIn(keys.slice(0, n), true);
    if (isNode(node) && node.range) {
      const p = lc.linePos(node.range[0]);
      return { line: p.line, column: p.col };
    }
  }
  return {};
}
