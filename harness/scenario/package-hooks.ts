/**
 * Module resolution hooks (node:module register()) that let a drill file anywhere on disk import this
 * package as `vrrp-lab` with nothing installed next to it. Node looks a bare specifier up in the
 * node_modules folders above the importing file only; NODE_PATH is ignored by ES modules, and Node 20
 * has no import maps. A resolve hook is the supported way: it maps the package's own names to the URLs
 * this installation resolves them to, and leaves every other specifier to Node.
 */

let names: Record<string, string> = {};

export async function initialize(data: { names: Record<string, string> }): Promise<void> {
  names = data.names;
}

type Next = (specifier: string, context: unknown) => Promise<{ url: string }>;

export async function resolve(
  specifier: string,
  context: unknown,
  next: Next,
): Promise<{ url: string; shortCircuit?: boolean }> {
  const url = names[specifier];
  if (url !== undefined) return { url, shortCircuit: true };
  return next(specifier, context);
}
