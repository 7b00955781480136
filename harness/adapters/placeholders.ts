import type { AdapterHost } from './types.js';

/**
 * Placeholders an adapter file may use in `start`, `state` and `env`: `{config}` (the rendered
 * configuration), `{dir}` (the host's private directory), `{ifname}` (its VRRP interface), `{host}`
 * (its name in the topology). Any other `{name}` is a mistake in the file, reported when it loads;
 * `${name}` belongs to a shell or a script and is left as it is.
 */
export const PLACEHOLDERS = ['config', 'dir', 'ifname', 'host'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string>;

/** `${NAME}` is left alone: it is the shell's (or a JavaScript template's), not ours. */
const PATTERN = /(?<!\$)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names in braces that are not placeholders (`{cfg}` for `{config}`), in order of appearance. */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PATTERN)]
    .map((m) => m[1] ?? '')
    .filter((n) => !(PLACEHOLDERS as readonly string[]).includes(n));
}

export function expandPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(PATTERN, (whole, name: string) =>
    (PLACEHOLDERS as readonly string[]).includes(name) ? values[name as Placeholder] : whole,
  );
}

export function placeholderValues(
  host: Pick<AdapterHost, 'dir' | 'ifname' | 'name'>,
  config: string,
): PlaceholderValues {
  return { config, dir: host.dir, ifname: host.ifname, host: host.name };
}
