/**
 * The ticket-triage golden set: seeded synthetic support tickets labelled by the rubric in
 * datasets/tickets-golden/RUBRIC.md, plus hand-written hard cases with a note each.
 *
 *   node tasks/ticket-triage/generate-dataset.ts          # writes datasets/tickets-golden/{data.jsonl,manifest.json}
 *   node tasks/ticket-triage/generate-dataset.ts --check  # exits 1 when the files differ from what it makes
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../../src/core/random.ts';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '../../datasets/tickets-golden');

type Category = 'billing' | 'bug' | 'account' | 'feature-request' | 'outage';
type Priority = 'P1' | 'P2' | 'P3' | 'P4';
type Tier = 'free' | 'pro' | 'enterprise';

/** What a customer writes about, per category: a subject, a problem sentence and what they need. */
const TOPICS: Record<Category, Array<{ subject: string; problem: string; need: string }>> = {
  billing: [
    { subject: 'Charged twice this month', problem: 'My card was charged twice for the same invoice this month.', need: 'a refund of the duplicate charge' },
    { subject: 'Invoice shows the wrong plan', problem: 'The invoice lists the Pro plan but we downgraded to Free last month.', need: 'a corrected invoice' },
    { subject: 'Refund for unused seats', problem: 'We removed ten seats but the charge on our card did not change.', need: 'a refund for the unused seats' },
    { subject: 'VAT missing on invoice', problem: 'Our invoice is missing the VAT number, so finance cannot book the payment.', need: 'an invoice with our VAT number' },
  ],
  bug: [
    { subject: 'Export to CSV crashes', problem: 'Clicking export crashes the page with an error every time since the last release.', need: 'a fix for the export error' },
    { subject: 'Dashboard chart is wrong', problem: 'The weekly chart shows an error in the totals; the numbers do not add up.', need: 'correct totals in the chart' },
    { subject: 'Search returns nothing', problem: 'Search returns no results for items that exist; it looks like a bug after the update.', need: 'working search' },
    { subject: 'Mobile app freezes', problem: 'The mobile app freezes and crashes when I attach a photo.', need: 'a fix for the crash' },
  ],
  account: [
    { subject: 'Cannot reset my password', problem: 'The password reset email never arrives, so I cannot log in to my account.', need: 'access to my account' },
    { subject: 'Change account owner', problem: 'Our account owner left the company and we need to transfer ownership.', need: 'the owner changed to me' },
    { subject: 'Two-factor login lost', problem: 'I lost my phone and cannot pass the two-factor login for my account.', need: 'my login restored' },
    { subject: 'Merge duplicate accounts', problem: 'I have two accounts with different emails and want one login.', need: 'the accounts merged' },
  ],
  'feature-request': [
    { subject: 'Dark mode please', problem: 'It would be great to have a dark mode option in the settings.', need: 'a dark mode feature' },
    { subject: 'API for reports', problem: 'We would like an API endpoint to pull reports into our own tools; a suggestion for the roadmap.', need: 'a reports API' },
    { subject: 'Bulk edit tags', problem: 'Could you add a way to edit tags on many items at once? It would save us time.', need: 'bulk tag editing' },
    { subject: 'Calendar integration', problem: 'A suggestion: integrate with our calendar so deadlines show up there.', need: 'a calendar integration' },
  ],
  outage: [
    { subject: 'Site is down', problem: 'The whole site is down for our team; every page returns a 503 error.', need: 'the service back up' },
    { subject: 'Nobody can log in', problem: 'Since this morning nobody in the company can reach the service; it times out for everyone.', need: 'the service restored' },
    { subject: 'Data not syncing anywhere', problem: 'Sync is down for all our users and nothing has updated for hours.', need: 'sync restored' },
    { subject: 'API returning 500s', problem: 'The API is down: every call returns a 500 for all our integrations.', need: 'the API working again' },
  ],
};

/** Base priority per category (RUBRIC.md): outage P1, bug P2, account P3, billing P3, feature request P4. */
const BASE: Record<Category, number> = { outage: 0, bug: 1, account: 2, billing: 2, 'feature-request': 3 };
const PRIORITIES: Priority[] = ['P1', 'P2', 'P3', 'P4'];
const URGENT = ' This is urgent: it blocks our whole team today.';
const RELAXED = ' No rush, whenever you get a chance.';

interface Row {
  id: string;
  ticket: { subject: string; body: string; customer_tier: Tier };
  gold: { category: Category; priority: Priority; summary: string; note?: string };
  strata: string[];
}

/** Priority by the rubric: the category's base, one step more urgent for enterprise and one for an urgent note, one less for "no rush" (within P1..P4; an outage stays P1). */
function priorityOf(category: Category, tier: Tier, urgent: boolean, relaxed: boolean): Priority {
  let p = BASE[category];
  if (category !== 'outage') {
    if (tier === 'enterprise') p -= 1;
    if (urgent) p -= 1;
    if (relaxed) p += 1;
  }
  return PRIORITIES[Math.max(0, Math.min(3, p))]!;
}

function generated(n: number): Row[] {
  const next = mulberry32(20261206);
  const cats = Object.keys(TOPICS) as Category[];
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const category = cats[i % cats.length]!;
    const topic = TOPICS[category][Math.floor(next() * TOPICS[category].length)]!;
    const tier: Tier = (['free', 'pro', 'enterprise'] as const)[Math.floor(next() * 3)]!;
    const urgent = category !== 'outage' && category !== 'feature-request' && next() < 0.25;
    const relaxed = !urgent && category !== 'outage' && next() < 0.25;
    const body = `${topic.problem}${urgent ? URGENT : ''}${relaxed ? RELAXED : ''} We are on the ${tier} plan.`;
    rows.push({
      id: `tkt-${String(i + 1).padStart(4, '0')}`,
      ticket: { subject: topic.subject, body, customer_tier: tier },
      gold: { category, priority: priorityOf(category, tier, urgent, relaxed), summary: `Customer on the ${tier} plan needs ${topic.need}.` },
      strata: [tier, ...(urgent ? ['urgent'] : []), ...(relaxed ? ['no-rush'] : [])],
    });
  }
  return rows;
}

/** Hand-written hard cases: mixed signals, each with why the label is what it is. */
const HARD: Array<Omit<Row, 'id' | 'strata'>> = [
  { ticket: { subject: 'Billing page is down', body: 'The billing page returns a 503 error for everyone, so nobody can pay the invoice. We are on the pro plan.', customer_tier: 'pro' }, gold: { category: 'outage', priority: 'P1', summary: 'Customer on the pro plan needs the billing page back up.', note: 'A billing word, but the page is down for everyone: an outage.' } },
  { ticket: { subject: 'Feature broken or missing?', body: 'The export button you announced is not there; is it a bug or not released yet? No rush. We are on the free plan.', customer_tier: 'free' }, gold: { category: 'feature-request', priority: 'P4', summary: 'Customer on the free plan needs the announced export feature.', note: 'The feature is not released: a request, not a bug.' } },
  { ticket: { subject: 'Locked out before the board meeting', body: 'I cannot log in to my account and our board meeting is in an hour. This is urgent: it blocks our whole team today. We are on the enterprise plan.', customer_tier: 'enterprise' }, gold: { category: 'account', priority: 'P1', summary: 'Customer on the enterprise plan needs access to the account now.', note: 'Account, two steps up: enterprise and urgent (capped at P1).' } },
  { ticket: { subject: 'Refund because of the outage', body: 'The service was down for two days last week; we want a refund of that part of the invoice. We are on the pro plan.', customer_tier: 'pro' }, gold: { category: 'billing', priority: 'P3', summary: 'Customer on the pro plan needs a refund for the downtime.', note: 'The outage is over; what they need is a refund.' } },
  { ticket: { subject: 'Slow dashboard', body: 'The dashboard takes a minute to load for me only, not for my colleagues. We are on the free plan.', customer_tier: 'free' }, gold: { category: 'bug', priority: 'P2', summary: 'Customer on the free plan needs the dashboard to load normally.', note: 'One user affected: a bug, not an outage.' } },
  { ticket: { subject: 'Suggestion after the crash', body: 'After the app crashed I lost my draft; please add autosave. No rush. We are on the pro plan.', customer_tier: 'pro' }, gold: { category: 'feature-request', priority: 'P4', summary: 'Customer on the pro plan needs an autosave feature.', note: 'What they ask for is autosave, a new feature.' } },
  { ticket: { subject: 'Wrong owner charged', body: 'The invoice went to the old account owner card instead of ours. We are on the enterprise plan.', customer_tier: 'enterprise' }, gold: { category: 'billing', priority: 'P2', summary: 'Customer on the enterprise plan needs the invoice charged to the right card.', note: 'Billing, one step up for enterprise.' } },
  { ticket: { subject: 'Everything is fine, thanks', body: 'Just saying the new release is great and we would love a dark mode someday. We are on the free plan.', customer_tier: 'free' }, gold: { category: 'feature-request', priority: 'P4', summary: 'Customer on the free plan would like a dark mode.', note: 'Praise plus a wish: a feature request at the lowest priority.' } },
];

export function buildRows(): Row[] {
  const rows = generated(140);
  HARD.forEach((h, i) => rows.push({ id: `tkt-hard-${String(i + 1).padStart(2, '0')}`, ...h, strata: [h.ticket.customer_tier, 'hard'] }));
  return rows;
}

function main(): void {
  const data = buildRows().map((r) => JSON.stringify(r)).join('\n') + '\n';
  const sha = createHash('sha256').update(data).digest('hex');
  const manifest = {
    name: 'tickets-golden',
    version: '1.0.0',
    file: 'data.jsonl',
    rows: data.trim().split('\n').length,
    sha256: sha,
    released: '2026-12-06',
    provenance: 'Synthetic: 140 tickets from the seeded generator tasks/ticket-triage/generate-dataset.ts implementing RUBRIC.md, 8 hand-written hard cases with a note each.',
    description: 'Support tickets labelled with a category, a priority and a one-sentence summary.',
  };
  const manifestText = JSON.stringify(manifest, null, 2) + '\n';
  if (process.argv.includes('--check')) {
    const same = readFileSync(join(OUT, 'data.jsonl'), 'utf8') === data && readFileSync(join(OUT, 'manifest.json'), 'utf8') === manifestText;
    process.stdout.write(same ? 'tickets-golden is what the generator makes\n' : 'tickets-golden differs from what the generator makes\n');
    process.exitCode = same ? 0 : 1;
    return;
  }
  writeFileSync(join(OUT, 'data.jsonl'), data);
  writeFileSync(join(OUT, 'manifest.json'), manifestText);
  process.stdout.write(`wrote ${manifest.rows} rows to datasets/tickets-golden/\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
