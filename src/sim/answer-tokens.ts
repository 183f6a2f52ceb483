/**
 * An answer's text as the tokens the engine decodes, and where each goes in the response: `content`,
 * or, when the server runs with `--reasoning-parser qwen3`, the reasoning field (`reasoning_content`
 * up to vLLM 0.11, `reasoning` from 0.12). Without a reasoning parser a thinking model's
 * `<think>...</think>` stays in `content`, as vLLM leaves it.
 */
import { tokenize } from './tokenizer.ts';

export interface AnswerToken {
  text: string;
  /** Where the text goes; `tag` = the `<think>` / `</think>` token itself, which the parser drops. */
  part: 'content' | 'reasoning' | 'tag';
}

const OPEN = '<think>';
const CLOSE = '</think>';

/** The decoded tokens of `full` (before any max_tokens cut). */
export function answerTokens(full: string, reasoningParser: string | null): AnswerToken[] {
  const close = full.indexOf(CLOSE);
  if (reasoningParser === null || !full.startsWith(OPEN) || close < 0) return tokenize(full).map((text) => ({ text, part: 'content' }));
  return [
    { text: OPEN, part: 'tag' },
    ...tokenize(full.slice(OPEN.length, close)).map((text): AnswerToken => ({ text, part: 'reasoning' })),
    { text: CLOSE, part: 'tag' },
    ...tokenize(full.slice(close + CLOSE.length)).map((text): AnswerToken => ({ text, part: 'content' })),
  ];
}

/**
 * A finished (possibly cut) answer's message fields, as vLLM's qwen3 reasoning parser splits them
 * (0.11: only when both tags are present; a cut answer keeps everything in content).
 */
export function messageParts(tokens: readonly AnswerToken[]): { content: string | null; reasoning: string | null } {
  const text = tokens.map((t) => t.text).join('');
  const hasTags = tokens.some((t) => t.part === 'tag' && t.text === CLOSE);
  if (!tokens.some((t) => t.part === 'tag') || !hasTags) return { content: text, reasoning: null };
  const reasoning = tokens.filter((t) => t.part === 'reasoning').map((t) => t.text).join('');
  const content = tokens.filter((t) => t.part === 'content').map((t) => t.text).join('');
  return { content: content || null, reasoning };
}

/** One streamed token's delta, or null when it carries no text (a dropped tag). */
export function tokenDelta(t: AnswerToken, reasoningFields: readonly string[]): Record<string, string> | null {
  if (t.part === 'tag') return null;
  return t.part === 'reasoning' ? Object.fromEntries(reasoningFields.map((f) => [f, t.text])) : { content: t.text };
}

/**
 * `stop` strings as vLLM applies them to the generated text: the answer ends at the earliest one,
 * which is left out (unless `include_stop_str_in_output`) and becomes `stop_reason`.
 */
export function applyStop(full: string, stops: readonly string[], includeStopStr: boolean): { text: string; stopReason: string | null } {
  let best: { at: number; stop: string } | null = null;
  for (const stop of stops) {
    const at = stop === '' ? -1 : full.indexOf(stop);
    if (at >= 0 && (!best || at < best.at)) best = { at, stop };
  }
  if (!best) return { text: full, stopReason: null };
  return { text: full.slice(0, best.at + (includeStopStr ? best.stop.length : 0)), stopReason: best.stop };
}
