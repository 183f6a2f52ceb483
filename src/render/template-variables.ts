import Handlebars from 'handlebars';

type Node = { type: string; [k: string]: unknown };

/**
 * The data paths a template reads (e.g. `candidate.name`), sorted and unique. Helper names,
 * `this`, `@data` variables and paths relative to a block's context (inside `#each`) are
 * reported as written, prefixed by the block's path, e.g. `candidate.experience[].title`.
 */
export function templateVariables(text: string): string[] {
  const found = new Set<string>();
  const visit = (node: unknown, scope: string | null): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    switch (n.type) {
      case 'Program':
        for (const s of (n.body as Node[]) ?? []) visit(s, scope);
        return;
      case 'MustacheStatement':
      case 'SubExpression':
      case 'BlockStatement':
      case 'DecoratorBlock': {
        const path = n.path as Node;
        const params = (n.params as Node[]) ?? [];
        const isHelperCall = params.length > 0 || n.type === 'BlockStatement';
        if (!isHelperCall) visit(path, scope);
        for (const p of params) visit(p, scope);
        for (const pair of ((n.hash as { pairs?: Array<{ value: Node }> } | undefined)?.pairs ?? [])) visit(pair.value, scope);
        if (n.type === 'BlockStatement') {
          const helper = (path as { original?: string }).original;
          const first = params[0] as { type?: string; original?: string } | undefined;
          const inner = (helper === 'each' || helper === 'with') && first?.type === 'PathExpression' ? qualify(first.original!, scope) + (helper === 'each' ? '[]' : '') : scope;
          visit(n.program, inner);
          visit(n.inverse, scope);
        }
        return;
      }
      case 'PathExpression': {
        const original = n.original as string;
        if ((n as { data?: boolean }).data || original === 'this' || original === '.') return;
        found.add(qualify(original, scope));
        return;
      }
      default:
        return;
    }
  };
  visit(Handlebars.parse(text), null);
  return [...found].sort();
}

function qualify(path: string, scope: string | null): string {
  const clean = path.replace(/^this\./, '').replace(/^\.\//, '');
  if (path.startsWith('../')) return clean.replace(/^(\.\.\/)+/, '');
  return scope ? `${scope}.${clean}` : clean;
}
