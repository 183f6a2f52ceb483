/**
 * A generic persona for any task the simulator has no knowledge of: it reads the answer's shape from
 * the prompt and fills it. Knows nothing of any task; it only follows what the prompt says.
 *
 * - The shape: the first JSON object in the prompt whose string values are either choices written
 *   `"a|b|c"` or free text (any other string), e.g. `{"category": "billing|bug", "summary": "..."}`.
 * - The choice: for each choice field, the value whose rubric line in the prompt (`- value: word, word`)
 *   shares the most words with the rest of the prompt; with no rubric, the value named in the text; else the first.
 * - Quality (0..1): the share of answers that are one bare JSON object with the chosen values; the rest
 *   are prose, fenced JSON, or a value drawn at random, as weaker models do.
 */
import type { Rng } from '../prng.ts';

/** One field of the answer's shape: a path into the object, and its choices (null: free text). */
export interface SkeletonField {
  path: string[];
  choices: string[] | null;
}

/** The first balanced `{...}` in a text that parses as JSON with string leaves, as a list of fields. */
export function findSkeleton(text: string): SkeletonField[] | null {
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0) {
        const fields = fieldsOf(text.slice(start, i + 1));
        if (fields?.some((f) => f.choices)) return fields;
        break;
      }
    }
  }
  return null;
}

function fieldsOf(json: string): SkeletonField[] | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const out: SkeletonField[] = [];
  const walk = (v: unknown, path: string[]): boolean => {
    if (typeof v === 'string') {
      out.push({ path, choices: v.includes('|') ? v.split('|').map((x) => x.trim()).filter(Boolean) : null });
      return true;
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return Object.entries(v).every(([k, x]) => walk(x, [...path, k]));
    return false;
  };
  return walk(value, []) && out.length > 0 ? out : null;
}

const words = (text: string): string[] => text.toLowerCase().match(/[a-z][a-z-]{3,}/g) ?? [];

/** Rubric keywords per choice: the words of a line `- <choice>: ...` (or `<choice> — ...`). */
function rubricOf(text: string, choice: string): string[] {
  const escaped = choice.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const line = new RegExp(`^\\s*[-*]?\\s*\`?${escaped}\`?\\s*[:—–-]\\s*(.+)$`, 'mi').exec(text);
  return line ? words(line[1]!) : [];
}

/** The choice the prompt's rubric (or, without one, the item text) points to. */
function choose(choices: string[], prompt: string, item: string): string {
  const itemWords = new Set(words(item));
  let best = choices[0]!;
  let bestScore = 0;
  for (const c of choices) {
    const rubric = rubricOf(prompt, c);
    const score = rubric.length ? rubric.filter((w) => itemWords.has(w)).length : item.toLowerCase().includes(c.toLowerCase()) ? 1 : 0;
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Answer a prompt that shows a JSON shape, at the given quality.
 * @returns null when the prompt shows no shape to fill.
 */
export function followSchema(messages: readonly { role: string; content: string }[], rng: Rng, quality: number): string | null {
  const prompt = messages.map((m) => m.content).join('\n');
  const fields = findSkeleton(prompt);
  if (!fields) return null;
  // The item is what the prompt says outside its rubric lines and its shape.
  const item = prompt
    .split('\n')
    .filter((l) => !/^\s*[-*]\s*\S+\s*[:—–-]/.test(l) && !l.includes('|'))
    .join('\n');
  const answer: Record<string, unknown> = {};
  for (const f of fields) {
    const value = f.choices
      ? rng.chance(quality) ? choose(f.choices, prompt, item) : rng.pick(f.choices)
      : firstSentence(item);
    let at = answer;
    for (const k of f.path.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    at[f.path[f.path.length - 1]!] = value;
  }
  const json = JSON.stringify(answer);
  if (rng.chance(quality)) return json;
  return rng.chance(0.5) ? '```json\n' + JSON.stringify(answer, null, 2) + '\n```' : `Here is my assessment: ${Object.values(answer).filter((v) => typeof v === 'string').join(', ')}.`;
}

/** A free-text field: the longest sentence of the item, cut to 200 characters. */
function firstSentence(item: string): string {
  const sentences = item.split(/(?<=[.!?])\s+/).map((s) => s.replace(/[{}"\\]/g, ' ').replace(/\s+/g, ' ').trim()).filter((s) => s.length > 20);
  const longest = sentences.sort((a, b) => b.length - a.length)[0] ?? 'No details were given.';
  return longest.slice(0, 200);
}
