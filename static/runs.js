// What the workflow pages share: a run followed to its end with a live progress bar
// (GET /api/runs/<id>), each workflow's name, and the records that could not be synced
// (/api/ledger/failed), each with the link to its fix and the retry of its kind.
const ACTIVE = ['queued', 'running'];
const WORKFLOW_NAMES = { sales: 'Orders', products: 'Products', inventory: 'Stock' };
const NOUNS = { sales: 'orders', products: 'products', inventory: 'SKUs' };
const READING = { sales: 'reading orders from Shopify…', products: 'reading products from Shopify…',
  inventory: 'reading QuickBooks and Shopify stock…' };
// What a failed record of each kind is called, and the retry that sends it again.
const KIND_NAMES = { order: 'Order', refund: 'Refund', cancellation: 'Cancellation', payout: 'Payout',
  product_variant: 'Product', inventory_level: 'Stock of' };
const RETRIES = {
  order: (entry) => api('/api/sync/sales/retry', { method: 'POST', json: { order_ids: [entry.shopify_id] } }),
  product_variant: () => api('/api/sync/products/retry', { method: 'POST' }),
  inventory_level: () => api('/api/inventory/sync', { method: 'POST', json: { full: true } }),
};

function titleCase(text) {
  return (text || '').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

function plural(count, word) {
  return `${Number(count).toLocaleString()} ${word}${count === 1 ? '' : 's'}`;
}

// A progress block (label and bar), hidden until a run goes.
function progressBlock(id) {
  return el('div', { className: 'progress-block', id, hidden: true },
    el('p', { id: id + '-label', 'aria-live': 'polite' }),
    el('div', { className: 'progress', role: 'progressbar', 'aria-labelledby': id + '-label',
      'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0' },
    el('div', { className: 'progress__fill' })));
}

// Show a run's phase and done/total in a progress block; hidden once it ended.
function setProgress(block, run) {
  block.hidden = !ACTIVE.includes(run.status);
  const { done, total } = run.progress;
  const noun = NOUNS[run.workflow] || 'records';
  const percent = total ? Math.min(100, Math.round((done / total) * 100)) : 0;
  const bar = block.querySelector('[role="progressbar"]');
  bar.setAttribute('aria-valuenow', String(percent));
  bar.setAttribute('aria-valuetext', total ? `${done} of ${total} ${noun}` : 'Starting');
  bar.classList.toggle('progress--indeterminate', !total);
  bar.firstElementChild.style.width = percent + '%';
  const verb = run.dry_run ? 'Previewing: ' : 'Syncing: ';
  const phase = run.phase ? titleCase(run.phase) + ': ' : (run.status === 'queued' ? 'Waiting to start: ' : verb);
  block.querySelector('p').textContent = phase +
    (total ? `${done} of ${total} ${noun}` : READING[run.workflow] || 'starting…');
}

// Poll a run until it ends, showing its progress; the finished run.
async function followRun(run, block) {
  while (ACTIVE.includes(run.status)) {
    if (block) setProgress(block, run);
    await new Promise((resolve) => setTimeout(resolve, 700));
    run = await api(`/api/runs/${run.id}`);
  }
  if (block) setProgress(block, run);
  return run;
}

// The runs of a workflow (newest first), from /api/runs.
async function runsOf(workflow) {
  return (await api('/api/runs')).runs.filter((r) => r.workflow === workflow);
}

function recordName(entry) {
  const name = entry.name || entry.shopify_id;
  return entry.kind === 'order' ? name : `${KIND_NAMES[entry.kind] || titleCase(entry.kind)} ${name}`;
}

// One failed record: its name (a link, `title`), reason and fix, the link to the page that
// fixes its cause (none when that is this page) and Retry when its kind has one.
function failedItem(entry, { title = null, busy = false } = {}) {
  const name = recordName(entry);
  const { page, hash } = fixPage(entry);
  const retry = RETRIES[entry.kind] ? el('button', { type: 'button', className: 'button',
    'data-action': 'retry-record', 'data-kind': entry.kind, 'data-id': entry.shopify_id,
    'aria-label': 'Retry ' + name, text: 'Retry', disabled: busy }) : null;
  return el('li', { className: 'resource' },
    el('div', { className: 'resource__main' },
      el('h3', { className: 'resource__title' }, title || name),
      el('p', {}, el('span', { className: 'visually-hidden', text: 'Reason: ' }), entry.reason || 'No reason was recorded.'),
      entry.fix ? el('p', { className: 'subdued' }, el('strong', { text: 'Fix: ' }), entry.fix) : null,
      el('p', { className: 'subdued', text: entry.attempts // a record refused before any write was tried has none
        ? `${plural(entry.attempts, 'attempt')} · last ${formatDate(entry.updated_at)}` : `Since ${formatDate(entry.updated_at)}` })),
    el('div', { className: 'resource__actions' },
      page !== PAGE.page ? link(page, FIX_LABELS[page], hash) : null, retry));
}

// The retry of a record's kind, for the button failedItem drew.
function retryRecord(button) {
  return RETRIES[button.dataset.kind]({ shopify_id: button.dataset.id });
}

// A run's counts in its workflow's words (a stock run counts the SKUs it set as updated).
function describeRun(run) {
  const c = run.counts;
  if (run.workflow === 'inventory') {
    return run.dry_run ? `preview: ${c.updated} would be set, ${c.skipped} left alone`
      : `${c.updated} set, ${c.skipped} left alone, ${c.failed} failed`;
  }
  const [done, would] = run.workflow === 'products' ? ['created', 'would be created'] : ['posted', 'would post'];
  if (run.dry_run) return `preview: ${c.created} ${would}, ${c.skipped} skipped, ${c.failed} would fail`;
  return `${c.created} ${done}, ${c.updated} updated, ${c.skipped} skipped, ${c.failed} failed`;
}

// "Last products sync Nov 30, 6:50 PM: succeeded — 12 created, …" (or that none ran yet).
function lastRunText(run, what) {
  if (!run) return `No ${what} has run yet.`;
  return `Last ${what} ${formatDate(run.finished_at || run.queued_at)}: ${titleCase(run.status).toLowerCase()} — ` +
    describeRun(run) + (run.error ? `. ${run.error}` : '.');
}

function criticalBanner(text) {
  return el('div', { className: 'banner banner--critical', role: 'alert' }, el('p', { text }));
}

// The failed records of the card's kind (templates/_kind_failed_card.html), with Retry all.
async function loadFailedOf() {
  const card = document.getElementById('failed-card');
  const empty = document.getElementById('failed-empty');
  let failed;
  try {
    failed = (await api('/api/ledger/failed')).failed.filter((f) => f.kind === card.dataset.kind);
  } catch (error) {
    empty.textContent = 'The list could not be loaded: ' + describeError(error);
    return;
  }
  empty.hidden = failed.length > 0;
  empty.textContent = card.dataset.none;
  const retryAll = card.querySelector('[data-action="retry-kind"]');
  retryAll.hidden = failed.length === 0;
  retryAll.textContent = `Retry all (${failed.length})`;
  document.getElementById('failed-list').replaceChildren(...failed.map((entry) => failedItem(entry)));
}
