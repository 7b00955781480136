import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { TopologyIssue } from './topology-error.js';

/**
 * A YAML (or JSON, which YAML 1.2 reads too) document with what it takes to point at a place in it:
 * shared by topology files and adapter files, so both report `FILE:LINE:COL` the same way.
 */
export interface YamlSource {
  doc: Document;
  lineCounter: LineCounter;
  /** Syntax errors, each with its position; empty when the text parsed. */
  syntaxIssues: TopologyIssue[];
}

export function parseYamlSource(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const syntaxIssues = doc.errors.map((e) => {
    const pos = e.linePos?.[0];
    return { path: '(yaml)', message: e.message.split('\n')[0] ?? e.message, line: pos?.line, column: pos?.col };
  });
  return { doc, lineCounter, syntaxIssues };
}

/** Map `hosts.r1.links[0].address` back to the YAML node, walking up to the nearest existing one. */
export function positionOf(src: YamlSource, path: string): { line?: number; column?: number } {
  const keys: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) keys.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? ''));
  for (let n = keys.length; n > 0; n--) {
    const node = src.doc.getIn(keys.slice(0, n), true);
    if (isNode(node) && node.range) {
      const p = src.lineCounter.linePos(node.range[0]);
      return { line: p.line, column: p.col };
    }
  }
  return {};
}
