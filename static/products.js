// Products page: the products settings (from the settings schema), Preview (a dry run on the
// worker: POST /api/sync/products/preview, then GET …/preview/<run>), Sync products now with live
// progress (/api/sync/products, /api/runs/<id>) and the variants that could not be copied
// (/api/ledger/failed) with Retry (/api/sync/products/retry).
const OUTCOMES = { fail: ['Would fail', 'critical'], create: ['Would be created', 'success'],
  update: ['Would be updated', 'info'], link: ['Matches a QuickBooks product', 'neutral'],
  unchanged: ['Up to date', 'neutral'] };
const TYPE_NAMES = { Inventory: 'Inventory', NonInventory: 'Non-inventory', Service: 'Service' };
const progress = progressBlock('products-progress');

function setBusy(value) {
  document.querySelectorAll('[data-action]').forEach((b) => { b.disabled = value; });
}

function previewRow(line, currency) {
  const [text, tone] = OUTCOMES[line.outcome] || [line.outcome, 'neutral'];
  const detail = line.outcome === 'fail'
    ? [line.reason || '', line.fix ? el('span', { className: 'subdued block' }, el('strong', { text: 'Fix: ' }), line.fix) : null]
    : [line.name || '', el('span', { className: 'subdued block',
      text: [TYPE_NAMES[line.type] || line.type,
        line.price ? [line.price, currency].filter(Boolean).join(' ') : null].filter(Boolean).join(' · ') })];
  return el('tr', {},
    el('th', { scope: 'row', text: line.variant }),
    el('td', { text: line.sku || '—' }),
    el('td', {}, el('span', { className: 'badge badge--' + tone, text })),
    el('td', {}, detail));
}

function showPreview(box, body) {
  if (!body.preview) {
    box.replaceChildren(criticalBanner(body.run.error || 'The preview could not be made. Try again.'));
    return;
  }
  const { totals, variants, truncated } = body.preview;
  const summary = `${plural(totals.create, 'product')} would be created, ${totals.update} updated, ` +
    `${totals.link} matched to products already in QuickBooks; ${totals.fail} would fail.`;
  // One table per outcome, in a disclosure: the failures open, the rest a click away.
  const groups = Object.keys(OUTCOMES).map((outcome) => {
    const lines = variants.filter((line) => line.outcome === outcome);
    if (!lines.length) return null;
    const title = `${OUTCOMES[outcome][0]} (${lines.length})`;
    return el('details', { className: 'preview-group', open: outcome === 'fail' },
      el('summary', { text: title }),
      el('div', { className: 'table-wrap' }, el('table', { className: 'data-table' },
        el('caption', { className: 'visually-hidden', text: title }),
        el('thead', {}, el('tr', {}, ['Variant', 'SKU', 'Outcome', 'In QuickBooks'].map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, lines.map((line) => previewRow(line, body.preview.currency))))));
  });
  box.replaceChildren(
    el('p', { className: 'preview-summary', role: 'status', text: summary }),
    el('p', { className: 'subdued', text: `Previewed ${formatDate(body.run.finished_at)}. Nothing was written to QuickBooks.` +
      (truncated ? ` The first ${variants.length} are listed.` : '') }),
    ...(variants.length ? groups.filter(Boolean) : [el('p', { className: 'subdued', text: 'Every product is in QuickBooks and up to date.' })]));
}

// Start a run (a request answering it), follow it to its end; the finished run, or null.
async function follow(request) {
  setBusy(true);
  try {
    return await followRun(await request(), progress);
  } catch (error) {
    toast(describeError(error), true);
    return null;
  } finally {
    setBusy(false);
  }
}

async function preview() {
  const box = document.getElementById('products-preview');
  const run = await follow(() => api('/api/sync/products/preview', { method: 'POST' }));
  if (run) showPreview(box, await api(`/api/sync/products/preview/${run.id}`));
}

async function sync(request) {
  const run = await follow(request);
  if (!run) return;
  document.getElementById('products-last').textContent = lastRunText(run, 'products sync');
  if (!run.dry_run) document.getElementById('products-preview').replaceChildren(); // now out of date
  toast(run.status === 'failed' ? 'Products sync stopped: ' + (run.error || 'see History')
    : 'Products synced: ' + describeRun(run), run.status === 'failed');
  await loadFailedOf();
}


async function loadRuns() {
  const runs = await runsOf('products');
  const finished = runs.filter((r) => !ACTIVE.includes(r.status));
  document.getElementById('products-last').textContent =
    lastRunText(finished.find((r) => !r.dry_run), 'products sync');
  const previewed = finished.find((r) => r.dry_run);
  if (previewed && previewed === finished[0]) { // a preview made before the last sync is out of date
    const body = await api(`/api/sync/products/preview/${previewed.id}`);
    if (body.preview) showPreview(document.getElementById('products-preview'), body);
  }
  const active = runs.find((r) => ACTIVE.includes(r.status));
  if (active) sync(async () => active);
}

async function renderSettings() {
  const box = document.getElementById('products-settings');
  try {
    const { section, settings } = await loadSection('products');
    box.replaceChildren(sectionForm(section, settings.products));
  } catch (error) {
    box.replaceChildren(criticalBanner('Settings could not be loaded: ' + describeError(error)));
  }
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-action]');
  if (!button) return;
  const action = button.dataset.action;
  if (action === 'preview-products') preview();
  if (action === 'sync-products') sync(() => api('/api/sync/products', { method: 'POST' }));
  if (action === 'retry-kind' || action === 'retry-record') sync(RETRIES.product_variant);
});

document.addEventListener('DOMContentLoaded', async () => {
  document.getElementById('products-progress-slot').replaceWith(progress);
  await Promise.allSettled([renderSettings(), loadRuns().catch((error) => {
    document.getElementById('products-last').textContent = 'The last products sync could not be read: ' + describeError(error);
  }), loadFailedOf()]);
  showLate();
});
