/**
 * Finding the candidate profile in a prompt, as a model would "read" it: the first balanced `{...}`
 * in the user message(s) that parses as JSON and has the shape of a CandidateProfile.
 */
import { CandidateProfile } from '../tasks/candidate-screening/records.ts';

/** Every balanced `{...}` span in a text, in order of its opening brace (strings and escapes respected). */
export function balancedObjects(text: string): { start: number; end: number; text: string }[] {
  const out: { start: number; end: number; text: string }[] = [];
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          out.push({ start, end: i + 1, text: text.slice(start, i + 1) });
          break;
        }
      }
    }
    if (out.length > 200) break;
  }
  return out;
}

/** The candidate profile embedded in the user messages, and the exact text it came from; null if none. */
export function findProfile(messages: readonly { role: string; content: string }[]): { profile: CandidateProfile; text: string } | null {
  for (const m of messages) {
    if (m.role !== 'user') continue;
    for (const span of balancedObjects(m.content)) {
      let value: unknown;
      try {
        value = JSON.parse(span.text);
      } catch {
        continue;
      }
      const parsed = CandidateProfile.safeParse(value);
      if (parsed.success) return { profile: parsed.data, text: span.text };
    }
  }
  return null;
}
