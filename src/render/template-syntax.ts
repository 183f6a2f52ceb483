/**
 * Where a Handlebars template's blocks go wrong, for an error a person can act on: Handlebars reports
 * an unclosed `{{#each}}` at the end of the file ("Parse error on line 40 … got 'EOF'"), not where the
 * block opened. This scanner pairs block openers and closers by line; it only explains errors that
 * Handlebars has already raised, so its approximations never refuse a template Handlebars accepts.
 */
export interface TemplateProblem {
  line: number | undefined;
  message: string;
  /** The block or helper name at fault, if any. */
  field?: string;
}

interface Open {
  name: string;
  line: number;
  sigil: string;
}

/** Mustaches in order (comments and escaped `\{{` skipped), with their line. */
function* mustaches(text: string): Generator<{ body: string; line: number }> {
  const re = /\\\{\{|\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}|\{\{\{\{?([\s\S]*?)\}\}\}\}?|\{\{([\s\S]*?)\}\}/g;
  let line = 1;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    for (let i = last; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = m.index;
    const body = m[2];
    if (body !== undefined) yield { body: body.replace(/^~/, '').replace(/~$/, '').trim(), line };
  }
}

/** The first block mistake: a closer that matches no opener, a closer for another block, or a block never closed. */
export function blockProblem(text: string): TemplateProblem | null {
  const stack: Open[] = [];
  for (const { body, line } of mustaches(text)) {
    const open = /^([#^])\s*[>*]?\s*([\w.@-]+)/.exec(body);
    if (open) {
      stack.push({ sigil: open[1]!, name: open[2]!, line });
      continue;
    }
    const close = /^\/\s*([\w.@-]+)/.exec(body);
    if (!close) continue;
    const name = close[1]!;
    const top = stack.pop();
    if (!top) return { line, field: name, message: `\`{{/${name}}}\` on line ${line} closes no open block` };
    if (top.name !== name) {
      return {
        line: top.line,
        field: top.name,
        message: `\`{{${top.sigil}${top.name}}}\` opened on line ${top.line} is closed by \`{{/${name}}}\` on line ${line}; close it with \`{{/${top.name}}}\``,
      };
    }
  }
  const top = stack.pop();
  if (top) return { line: top.line, field: top.name, message: `\`{{${top.sigil}${top.name}}}\` opened on line ${top.line} is never closed; add \`{{/${top.name}}}\`` };
  return null;
}

/** A Handlebars compile error as one line and the line it names: "Expecting 'CLOSE', got 'INVALID'" rather than a caret drawing. */
export function handlebarsProblem(message: string): TemplateProblem {
  const parse = /^Parse error on line (\d+):[\s\S]*\n(Expecting [^\n]*|Unexpected [^\n]*)$/.exec(message);
  if (parse && /got 'INVERSE'$/.test(parse[2]!)) return { line: Number(parse[1]), message: '`{{else}}` outside a block: it belongs between `{{#if …}}` (or `{{#each …}}`) and its closing tag', field: 'else' };
  if (parse) return { line: Number(parse[1]), message: `Handlebars parse error: ${parse[2]}` };
  const at = /- (\d+):\d+$/.exec(message.split('\n')[0]!);
  const helper = /unknown helper ([\w.-]+)/i.exec(message);
  return { line: at ? Number(at[1]) : /line (\d+)/i.exec(message) ? Number(/line (\d+)/i.exec(message)![1]) : undefined, message: message.split('\n')[0]!, field: helper?.[1] };
}
