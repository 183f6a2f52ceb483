/**
 * A deterministic stand-in for a BPE tokenizer (no vocabulary files, no model download).
 *
 * Text is cut into pieces by one regular expression: an optional leading space plus up to 9 ASCII
 * letters, an optional space plus up to 3 digits, a newline run with the indentation after it, a run
 * of spaces/tabs, or an optional space plus up to 3 other characters (punctuation, quotes, braces,
 * non-ASCII code points), roughly like BPE merges `": "` or `},`. English prose comes out near 4 characters per token and pretty-printed JSON near 3, close to
 * the Llama 3 / Gemma 3 / Qwen 3 tokenizers. The same pieces are used for prompt counts, completion
 * counts, `max_model_len` checks, `max_tokens` truncation and streaming deltas, so they always agree.
 */

const PIECE = /[ ]?[A-Za-z]{1,9}|[ ]?\d{1,3}|\r?\n[\r\n]*[ \t]*|[ \t]+|[ ]?[^\sA-Za-z\d]{1,3}|[^]/gu;

/** Split text into token pieces; joining them gives the text back. */
export function tokenize(text: string): string[] {
  return text.match(PIECE) ?? [];
}

/** Number of tokens in a text. */
export function countTokens(text: string): number {
  let n = 0;
  PIECE.lastIndex = 0;
  while (PIECE.exec(text) !== null) n++;
  return n;
}

/** The first `max` tokens of a text and how many tokens that is. */
export function truncateTokens(text: string, max: number): { text: string; tokens: number; truncated: boolean } {
  const pieces = tokenize(text);
  if (pieces.length <= max) return { text, tokens: pieces.length, truncated: false };
  return { text: pieces.slice(0, Math.max(0, max)).join(''), tokens: Math.max(0, max), truncated: true };
}

/** Chat-template cost of a conversation, per model family (role headers, BOS, generation prompt). */
export interface ChatTemplateCost {
  /** Tokens added once (BOS, default system preamble, generation prompt). */
  base: number;
  /** Tokens added around every message (role header and end-of-turn markers). */
  perMessage: number;
}

/** Prompt tokens of a conversation: its messages' tokens plus the chat template's. */
export function countPromptTokens(messages: readonly { role: string; content: string }[], template: ChatTemplateCost): number {
  let n = template.base;
  for (const m of messages) n += template.perMessage + countTokens(m.content);
  return n;
}
