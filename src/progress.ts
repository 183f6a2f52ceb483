/**
 * Progress on long work: a bar with rate and ETA on a TTY; plain lines (at most every few
 * seconds) otherwise; JSON lines in CI; nothing when quiet. Always on stderr, so stdout
 * stays machine-readable.
 */
export type ProgressMode = 'bar' | 'lines' | 'json' | 'quiet';

export interface Progress {
  start(label: string, total: number): void;
  tick(info: { cached: boolean; error: boolean; retries: number }): void;
  end(): void;
  /** A line of information that must not tangle with the bar. */
  log(line: string): void;
}

export function chooseProgressMode(opts: { quiet: boolean; ci: boolean; isTTY: boolean }): ProgressMode {
  if (opts.quiet) return 'quiet';
  if (opts.ci) return 'json';
  return opts.isTTY ? 'bar' : 'lines';
}

function fmtDuration(s: number): string {
  if (!Number.isFinite(s)) return '--';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function createProgress(mode: ProgressMode, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  let label = '';
  let total = 0;
  let done = 0;
  let cached = 0;
  let errors = 0;
  let retries = 0;
  let t0 = 0;
  let lastDraw = 0;
  const interval = mode === 'bar' ? 100 : 5000;

  const draw = (final = false) => {
    const elapsed = (now() - t0) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    // With batched serving the first answers come after a whole request's latency: a rate from a
    // handful of them says nothing about the rest, so the ETA waits for 10 answers (or 5% of the group).
    const eta = rate > 0 && done >= Math.min(10, Math.max(1, Math.ceil(total * 0.05))) ? (total - done) / rate : Infinity;
    if (mode === 'bar') {
      const width = 24;
      const filled = total ? Math.round((done / total) * width) : width;
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      const extra = [cached ? `${cached} cached` : '', errors ? `${errors} errors` : '', retries ? `${retries} retries` : ''].filter(Boolean).join(', ');
      stream.write(`\r\x1b[2K${label} ${bar} ${done}/${total} ${rate.toFixed(1)}/s ETA ${final ? '0s' : Number.isFinite(eta) ? fmtDuration(eta) : '…'}${extra ? ` (${extra})` : ''}`);
      if (final) stream.write('\n');
    } else if (mode === 'lines') {
      stream.write(`${label}: ${done}/${total} done, ${rate.toFixed(1)} req/s, ${cached} cached, ${errors} errors, ${retries} retries, ETA ${final ? '0s' : Number.isFinite(eta) ? fmtDuration(eta) : '…'}\n`);
    } else if (mode === 'json') {
      stream.write(JSON.stringify({ event: final ? 'group-done' : 'progress', group: label, done, total, cached, errors, retries, rate: Number(rate.toFixed(2)), eta_s: Number.isFinite(eta) ? Math.round(eta) : null }) + '\n');
    }
  };

  return {
    start(l, t) {
      label = l;
      total = t;
      done = cached = errors = retries = 0;
      t0 = lastDraw = now();
      if (mode === 'bar') draw();
    },
    tick(info) {
      done++;
      if (info.cached) cached++;
      if (info.error) errors++;
      retries += info.retries;
      if (mode !== 'quiet' && now() - lastDraw >= interval) {
        lastDraw = now();
        draw();
      }
    },
    end() {
      if (mode !== 'quiet') draw(true);
    },
    log(line) {
      if (mode === 'quiet') return;
      if (mode === 'bar') stream.write('\r\x1b[2K');
      stream.write(line + '\n');
    },
  };
}
