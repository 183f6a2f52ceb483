/**
 * Features of a prompt that change how the simulated models behave. This is a model of behaviour
 * (instructions that real small models respond to), not a lookup of expected results: personas map
 * these features to failure probabilities (see personas/*.ts and docs/simulator.md).
 */
import { balancedObjects } from './profile.ts';
import { countTokens } from './tokenizer.ts';

export interface PromptFeatures {
  /** The prompt asks for JSON at all. */
  asksJson: boolean;
  /** "JSON only", "only the JSON", "no code fences", "no markdown", "nothing else"... */
  jsonOnly: boolean;
  /** All five recommendation values and all four ratings appear in the prompt. */
  listsAllowedValues: boolean;
  /** The four dimension keys (educational_pedigree ...) are named. */
  namesFields: boolean;
  /** A complete example answer: a JSON object with `recommendation` (a real value) and `analysis`. */
  hasWorkedExample: boolean;
  /** A fill-in template (`"Strong Yes | Yes | ..."`, `<rating>`, `[...]`) the model may copy. */
  hasTemplate: boolean;
  /** Instruction tokens (everything except the profile). */
  instructionTokens: number;
  /** Instructions under 120 tokens. */
  short: boolean;
  /** Qwen3's soft switch `/no_think` appears in a user or system message. */
  noThinkSwitch: boolean;
}

const JSON_ONLY = [
  /\bjson only\b/i,
  /\bonly (?:return |output |respond with |reply with )?(?:the |a |one |valid |raw )*json\b/i,
  /\b(?:return|output|respond with|reply with) (?:only|just) (?:the |a |one |valid |raw )*json/i,
  /\bno (?:code )?fences?\b/i,
  /\b(?:without|no) (?:markdown|code ?blocks?|backticks|```)/i,
  /\bdo not (?:wrap|use|add|include)[^.\n]{0,40}(?:fence|markdown|backtick|```|code block)/i,
  /\b(?:nothing|no (?:other )?text|no prose|no explanation)s? (?:else|before or after|outside|before|after)/i,
  /\braw json\b/i,
];

/** Compute the features of a conversation; `profileText` (the embedded profile) is excluded from the instructions. */
export function promptFeatures(messages: readonly { role: string; content: string }[], profileText: string | null): PromptFeatures {
  const all = messages
    .filter((m) => m.role === 'system' || m.role === 'user')
    .map((m) => m.content)
    .join('\n\n');
  const instructions = profileText ? all.replace(profileText, ' ') : all;
  const ratingsListed = ['Great', 'Good', 'Okay', 'Weak'].every((r) => new RegExp(`\\b${r}\\b`).test(instructions));
  const recsListed = ['Strong Yes', 'Yes', 'Maybe', 'No', 'Strong No'].every((r) => new RegExp(`\\b${r}\\b`).test(instructions));
  let hasWorkedExample = false;
  for (const span of balancedObjects(instructions)) {
    try {
      const v = JSON.parse(span.text) as Record<string, unknown>;
      if (
        v &&
        typeof v === 'object' &&
        typeof v.recommendation === 'string' &&
        ['Strong Yes', 'Yes', 'Maybe', 'No', 'Strong No'].includes(v.recommendation) &&
        v.analysis &&
        typeof v.analysis === 'object'
      ) {
        hasWorkedExample = true;
        break;
      }
    } catch {
      // not JSON: maybe a template
    }
  }
  const instructionTokens = countTokens(instructions);
  return {
    asksJson: /\bjson\b/i.test(instructions),
    jsonOnly: JSON_ONLY.some((re) => re.test(instructions)),
    listsAllowedValues: ratingsListed && recsListed,
    namesFields: ['educational_pedigree', 'company_pedigree', 'trajectory', 'is_software_engineer'].every((k) => instructions.includes(k)),
    hasWorkedExample,
    hasTemplate: /"(?:Strong Yes|Great|Good)"?\s*\|/.test(instructions) || /<(?:rating|recommendation)[^>]*>/i.test(instructions) || /\[(?:your |one of )[^\]]*\]/i.test(instructions),
    instructionTokens,
    short: instructionTokens < 120,
    noThinkSwitch: /\/no_think\b/.test(all),
  };
}
