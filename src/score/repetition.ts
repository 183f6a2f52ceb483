/**
 * Degenerate repetition: the loop a small model falls into at temperature 0 ("The candidate is a
 * good fit. The candidate is a good fit. ..."), usually until max_tokens.
 */

/** Longest repeated unit looked for, in characters. */
const MAX_PERIOD = 600;
/** A loop must cover at least this many characters... */
const MIN_COVER = 150;
/** ...and repeat its unit at least this many times. */
const MIN_COPIES = 3;
/** Characters of the answer's tail scanned. */
const MAX_SCAN = 12_000;

export interface Repetition {
  /** The repeated unit (trimmed, at most 60 characters). */
  unit: string;
  /** Whole copies of the unit in the loop. */
  copies: number;
  /** Characters covered by the loop. */
  cover: number;
}

/**
 * Find a degenerate loop: a stretch where the text repeats itself with a fixed period, at least
 * three copies and 150 characters, whose unit holds words (not a rule of dashes); or one line
 * repeated four or more times making up a third of the lines.
 * @example findRepetition('Good fit. '.repeat(30))?.unit === 'Good fit.'
 */
export function findRepetition(full: string): Repetition | null {
  // Loops run to the end of the answer: the tail is enough, and bounds the cost.
  const text = full.length > MAX_SCAN ? full.slice(-MAX_SCAN) : full;
  const n = text.length;
  let best: Repetition | null = null;
  for (const p of candidatePeriods(text, Math.min(MAX_PERIOD, Math.floor(n / MIN_COPIES)))) {
    let run = 0;
    for (let i = p; i <= n; i++) {
      if (i < n && text.charCodeAt(i) === text.charCodeAt(i - p)) {
        run++;
        continue;
      }
      const cover = run + p;
      const copies = Math.floor(cover / p);
      if (run > 0 && cover >= MIN_COVER && copies >= MIN_COPIES && (best === null || cover > best.cover)) {
        const unit = text.slice(i - p, i);
        if ((unit.match(/\p{L}/gu) ?? []).length >= 2) best = { unit: unit.trim().slice(0, 60), copies, cover };
      }
      run = 0;
    }
  }
  if (best) return best;
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const counts = new Map<string, number>();
  for (const l of lines) if (l.length >= 15) counts.set(l, (counts.get(l) ?? 0) + 1);
  for (const [line, c] of counts) {
    if (c >= 4 && c * 3 >= lines.length) return { unit: line.slice(0, 60), copies: c, cover: line.length * c };
  }
  return null;
}

/** Shingle length for the period pre-pass: shorter than any loop's cover / 3 + something, see below. */
const SHINGLE = 15;

/**
 * The periods worth scanning. A loop of period p with at least three copies covering 150+
 * characters repeats every 15-character window inside it at distance p, so p is a distance
 * between two occurrences of some window that occurs three or more times. Scanning only those
 * periods gives the same answer as scanning all 600, at a fraction of the cost.
 */
function candidatePeriods(text: string, maxPeriod: number): number[] {
  // Windows are keyed by a 32-bit polynomial hash (no substring allocations); a collision can
  // only add a period to scan, never hide one, so the exact scan stays the judge.
  const n = text.length;
  if (n < SHINGLE) return [];
  const B = 31;
  let pow = 1;
  for (let i = 0; i < SHINGLE - 1; i++) pow = Math.imul(pow, B);
  const hashes = new Int32Array(n - SHINGLE + 1);
  let h = 0;
  for (let i = 0; i < n; i++) {
    if (i >= SHINGLE) h = (h - Math.imul(text.charCodeAt(i - SHINGLE), pow)) | 0;
    h = (Math.imul(h, B) + text.charCodeAt(i)) | 0;
    if (i >= SHINGLE - 1) hashes[i - SHINGLE + 1] = h;
  }
  // Count each hash in an open-addressing table (typed arrays: no per-window allocation).
  let size = 1024;
  while (size < hashes.length * 2) size *= 2;
  const mask = size - 1;
  const keys = new Int32Array(size);
  const counts = new Int32Array(size);
  const slotOf = (key: number): number => {
    let s = Math.imul(key, 0x9e3779b1) >>> 0 & mask;
    while (counts[s]! > 0 && keys[s] !== key) s = (s + 1) & mask;
    return s;
  };
  let heavy = false;
  for (let i = 0; i < hashes.length; i++) {
    const s = slotOf(hashes[i]!);
    keys[s] = hashes[i]!;
    if (++counts[s]! >= MIN_COPIES) heavy = true;
  }
  if (!heavy) return [];
  // Positions of the windows seen three or more times, then the distances between them.
  const where = new Map<number, number[]>();
  for (let i = 0; i < hashes.length; i++) {
    if (counts[slotOf(hashes[i]!)]! < MIN_COPIES) continue;
    const list = where.get(hashes[i]!);
    if (list) list.push(i);
    else where.set(hashes[i]!, [i]);
  }
  // A loop of period p with three copies covering 150+ characters holds a window at s, s + p and
  // s + 2p (its cover is at least 2p + 15), so only distances that occur twice in a row are periods.
  const periods = new Set<number>();
  for (const list of where.values()) {
    const at = new Set(list);
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length && list[b]! - list[a]! <= maxPeriod; b++) {
        const d = list[b]! - list[a]!;
        if (at.has(list[b]! + d)) periods.add(d);
      }
    }
  }
  return [...periods].sort((x, y) => x - y);
}
