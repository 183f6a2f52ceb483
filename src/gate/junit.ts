import type { GateVerdict } from '../core/gate-records.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number | null, d = 4) => (x === null ? 'n/a' : x.toFixed(d));

/** JUnit XML: one test case per gate; a failed gate is a failure, an inconclusive one is skipped (or a failure when the policy says so). */
export function junitXml(suite: string, verdicts: GateVerdict[], inconclusiveFails: boolean): string {
  const failures = verdicts.filter((v) => v.verdict === 'fail' || (v.verdict === 'inconclusive' && inconclusiveFails)).length;
  const cases = verdicts.map((v) => {
    const detail = `observed ${num(v.observed)} (interval ${v.ci ? `${num(v.ci.lo)}..${num(v.ci.hi)}` : 'n/a'}), threshold ${v.threshold}, baseline ${num(v.baseline)}, difference ${num(v.difference)}, p ${num(v.p_value)}, n ${v.n}${v.reference ? `, vs ${v.reference}` : ''}, MDE ${num(v.mde)}${v.needed_n !== null ? ` (margin below it: n >= ${v.needed_n} needed)` : ''}: ${v.note}`;
    const body =
      v.verdict === 'fail' || (v.verdict === 'inconclusive' && inconclusiveFails)
        ? `<failure message="${esc(`${v.verdict}: ${v.metric}`)}">${esc(detail)}</failure>`
        : v.verdict === 'inconclusive'
          ? `<skipped message="${esc(`inconclusive: ${detail}`)}"/>`
          : `<system-out>${esc(detail)}</system-out>`;
    return `  <testcase classname="${esc(`${suite}.${v.model}.${v.prompt_version}`)}" name="${esc(`${v.kind} ${v.metric}`)}">${body}</testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${esc(suite)}" tests="${verdicts.length}" failures="${failures}">\n${cases.join('\n')}\n</testsuite>\n`;
}
