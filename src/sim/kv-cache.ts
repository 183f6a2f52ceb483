/**
 * The KV cache of one simulated GPU, in 16-token blocks, with vLLM's automatic prefix caching
 * (v1 `KVCacheManager` / `BlockPool`, simplified):
 *
 * - a full block of prompt tokens is identified by a chained hash (its tokens and every token before
 *   it, see `promptBlockHashes` in prefix.ts); once a sequence has computed it, the block is cached
 *   under that hash and any later sequence whose prompt starts with the same blocks shares it instead of
 *   prefilling it again;
 * - a lookup never covers the whole prompt: at least the last prompt token is computed (vLLM needs its
 *   logits), so a hit stops at the last full block before the final token;
 * - blocks no running sequence uses stay cached but count as free; they are evicted least recently
 *   used first when a sequence needs room;
 * - `queries`/`hits` count prompt tokens looked up and found, as vLLM's `prefix_cache_queries` /
 *   `prefix_cache_hits` counters do.
 *
 * With prefix caching off nothing is cached: every block is a sequence's own.
 */

export const BLOCK_SIZE = 16;
export const blocksFor = (tokens: number) => Math.ceil(tokens / BLOCK_SIZE);

/** The blocks one sequence holds. */
export interface SeqBlocks {
  /** Hashes of cached blocks it references (shared with other sequences). */
  shared: string[];
  /** Blocks only it holds (partial blocks, generated tokens, duplicates). */
  own: number;
}

export class KvCache {
  readonly totalBlocks: number;
  readonly prefixCaching: boolean;
  /** Blocks referenced by at least one sequence. */
  private used = 0;
  /** Cached blocks by hash: how many sequences reference each. */
  private readonly refs = new Map<string, number>();
  /** Cached blocks no sequence references, least recently used first. */
  private readonly evictable = new Set<string>();
  /** Prompt tokens looked up in the prefix cache, and those found (vLLM's counters). */
  queries = 0;
  hits = 0;

  constructor(totalBlocks: number, prefixCaching: boolean) {
    this.totalBlocks = totalBlocks;
    this.prefixCaching = prefixCaching;
  }

  /** Blocks in use by running sequences (cached blocks nobody uses are free). */
  get usedBlocks(): number {
    return this.used;
  }

  /** Share of blocks in use, 0..1 (vLLM's `kv_cache_usage_perc`). */
  get usage(): number {
    return Math.min(1, this.used / this.totalBlocks);
  }

  /** Blocks a new allocation can take (free and evictable). */
  get freeBlocks(): number {
    return this.totalBlocks - this.used;
  }

  /**
   * How many leading blocks of a sequence with `tokens` tokens to compute are cached: the longest run of
   * `hashes` found, capped so that at least the last token is computed.
   */
  lookup(hashes: readonly string[], tokens: number): number {
    if (!this.prefixCaching) return 0;
    const max = Math.min(hashes.length, Math.floor((tokens - 1) / BLOCK_SIZE));
    let n = 0;
    while (n < max && this.refs.has(hashes[n]!)) n++;
    return n;
  }

  /** Blocks an admission would take from the free pool: new ones plus hit blocks nobody uses now. */
  cost(hashes: readonly string[], hitBlocks: number, totalBlocks: number): number {
    let idle = 0;
    for (let i = 0; i < hitBlocks; i++) if (this.refs.get(hashes[i]!) === 0) idle++;
    return totalBlocks - hitBlocks + idle;
  }

  /**
   * Give a sequence its blocks: references to the first `hitBlocks` cached blocks of `hashes`, and
   * `ownBlocks` new ones (evicting cached blocks nobody uses, least recently used first). Counts the
   * lookup in `queries`/`hits` when prefix caching is on.
   */
  allocate(hashes: readonly string[], hitBlocks: number, ownBlocks: number, queriedTokens: number): SeqBlocks {
    const seq: SeqBlocks = { shared: [], own: 0 };
    for (let i = 0; i < hitBlocks; i++) {
      const h = hashes[i]!;
      const r = this.refs.get(h)!;
      if (r === 0) {
        this.evictable.delete(h);
        this.used++;
      }
      this.refs.set(h, r + 1);
      seq.shared.push(h);
    }
    if (this.prefixCaching) {
      this.queries += queriedTokens;
      this.hits += hitBlocks * BLOCK_SIZE;
    }
    this.grow(seq, ownBlocks);
    return seq;
  }

  /** Add `n` own blocks to a sequence (may overcommit: the engine then preempts). */
  grow(seq: SeqBlocks, n: number): void {
    if (n <= 0) return;
    this.evictFor(n);
    seq.own += n;
    this.used += n;
  }

  /** Cache a sequence's computed full prompt blocks under their hashes (prefix caching only). */
  register(seq: SeqBlocks, hashes: readonly string[], computedTokens: number): void {
    if (!this.prefixCaching) return;
    const full = Math.min(hashes.length, Math.floor(computedTokens / BLOCK_SIZE));
    const have = new Set(seq.shared);
    for (let i = 0; i < full && seq.own > 0; i++) {
      const h = hashes[i]!;
      if (have.has(h) || this.refs.has(h)) continue; // already shared, or cached by another sequence
      this.refs.set(h, 1);
      seq.shared.push(h);
      seq.own--;
    }
  }

  /** Release all of a sequence's blocks: own ones are freed, cached ones stay cached (evictable). */
  release(seq: SeqBlocks): void {
    this.used -= seq.own;
    seq.own = 0;
    for (const h of seq.shared) {
      const r = this.refs.get(h)! - 1;
      this.refs.set(h, r);
      if (r === 0) {
        this.used--;
        this.evictable.add(h);
      }
    }
    seq.shared = [];
    this.evictFor(0);
  }

  /** Evict idle cached blocks until `n` more blocks fit beside the used and the still cached ones. */
  private evictFor(n: number): void {
    for (const h of this.evictable) {
      if (this.used + this.evictable.size + n <= this.totalBlocks) break;
      this.evictable.delete(h);
      this.refs.delete(h);
    }
  }
}
