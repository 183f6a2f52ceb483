/**
 * Block hashes of a chat prompt for automatic prefix caching (kv-cache.ts): the prompt's token pieces
 * in the order the chat template lays them out (template preamble, then each message's role header and
 * content), cut into 16-token blocks; each block's hash covers its tokens and, through the previous
 * block's hash, every token before it, as vLLM's `hash_block_tokens` does. Two prompts share their
 * leading blocks' hashes exactly as far as their tokens agree block by block.
 */
import { createHash } from 'node:crypto';
import { BLOCK_SIZE } from './kv-cache.ts';
import { tokenize, type ChatTemplateCost } from './tokenizer.ts';

/** Hashes of the full 16-token blocks of a prompt (a trailing partial block has none). */
export function promptBlockHashes(modelId: string, messages: readonly { role: string; content: string }[], template: ChatTemplateCost): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < template.base; i++) pieces.push(`\u0000t${i}`);
  for (const m of messages) {
    for (let i = 0; i < template.perMessage; i++) pieces.push(`\u0000${m.role}${i}`);
    for (const p of tokenize(m.content)) pieces.push(p);
  }
  const hashes: string[] = [];
  let parent = modelId;
  for (let start = 0; start + BLOCK_SIZE <= pieces.length; start += BLOCK_SIZE) {
    const h = createHash('sha256');
    h.update(parent);
    for (let i = start; i < start + BLOCK_SIZE; i++) h.update(`\u0001${pieces[i]}`);
    parent = h.digest('base64');
    hashes.push(parent);
  }
  return hashes;
}
