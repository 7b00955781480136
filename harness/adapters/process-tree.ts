import { listPids, type ProcStat, readProcStat } from '../platform/procfs.js';

/**
 * A foreground daemon and every process it forked (keepalived's VRRP child, a helper it runs...): what
 * an adapter file's implementation is, as far as freeze and crash go. Found by parent links in /proc,
 * so it works for any implementation without knowing its pid files.
 */
export async function processTree(root: number): Promise<number[]> {
  const stats = (await Promise.all((await listPids()).map((p) => readProcStat(p)))).filter(
    (s): s is ProcStat => s !== undefined,
  );
  const children = new Map<number, number[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  if (!stats.some((s) => s.pid === root)) return [];
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] ?? -1) ?? []));
  return tree;
}
