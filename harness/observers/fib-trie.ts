/**
 * Parse /proc/<pid>/net/fib_trie for the IPv4 addresses that are local to the namespace.
 *
 * An address configured on an interface shows up as a leaf "|-- A.B.C.D" followed by "/32 host LOCAL".
 * The same trie is printed under "Main:" and "Local:" when the tables are merged (no policy rules), so the
 * result is a set. Only /32 counts: "127.0.0.0 /8 host LOCAL" is the loopback route, not an address.
 */
export function parseFibTrieLocal(text: string): Set<string> {
  const local = new Set<string>();
  let leaf: string | undefined;
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (l.startsWith('|-- ')) {
      leaf = l.slice(4);
    } else if (l.startsWith('+-- ') || l.endsWith(':')) {
      leaf = undefined;
    } else if (leaf !== undefined && l === '/32 host LOCAL') {
      local.add(leaf);
    }
  }
  return local;
}
