// Home and History: Sync now with live progress (/api/sync/sales, /api/runs/<id>), the runs of
// every workflow with their counts (/api/runs), the records that could not be synced with Retry
// (static/runs.js) and Retry all orders (/api/ledger/failed, /api/sync/sales/retry), the daily
// chart (/api/stats/daily) and Preview (static/preview.js).
const TRIGGERS = { manual: 'Sync now', retry: 'Retry', hourly: 'Hourly', schedule: 'Hourly',
  webhook: 'As orders happen', support: 'Support', cli: 'Command line' };
const STATUS_TONE = { succeeded: 'success', completed: 'success', finished: 'success',
  failed: 'critical', running: 'info', queued: 'info', partial: 'warning', posted: 'success' };
// "Sent": orders posted and items created in QuickBooks, stock levels set in Shopify.
const RUN_COLUMNS = ['Sent', 'Updated', 'Skipped', 'Failed'];
let watching = null;

function badge(status) {
  return el('span', { className: 'badge badge--' + (STATUS_TONE[status] || 'neutral'),
    text: titleCase(status) });
}

// A stock update the guard held before writing anything reads "Held", not "Failed".
function runBadge(run) {
  return run.held ? el('span', { className: 'badge badge--warning', text: 'Held' }) : badge(run.status);
}

function syncButtons(disabled) {
  document.querySelectorAll('[data-action="sync-now"], [data-action="retry-all"], [data-action="retry-record"]')
    .forEach((b) => { b.disabled = disabled; });
}

function showProgress(run) {
  const block = document.getElementById('run-progress');
  if (!block) return;
  syncButtons(ACTIVE.includes(run.status));
  setProgress(block, run);
}



// Records still waiting after any run: a run that succeeded on what it read says nothing about
// the records an earlier run could not sync, so the page says how many still need attention.
let failedCounts = {}; // workflow → its records still failing
let latestRuns = null;
function stillFailing(workflow = 'sales') {
  const count = failedCounts[workflow] || 0;
  const what = workflow === 'inventory' ? 'stock level' : FAILED_WORDS[workflow].slice(0, -1);
  return count ? ` ${count} ${what}${count === 1 ? '' : 's'} still need${count === 1 ? 's' : ''} attention.` : '';
}

function showLastSync(runs) {
  const line = document.getElementById('last-sync');
  if (!line) return;
  const last = runs.find((r) => r.workflow === 'sales' && !ACTIVE.includes(r.status));
  line.textContent = last
    ? `Last sync ${formatDate(last.finished_at || last.queued_at)}: ${titleCase(last.status).toLowerCase()} — ${describeRun(last)}.${stillFailing()}`
    : 'No sync has run yet.';
}

async function watchRun(runId) {
  watching = runId;
  let run;
  try {
    run = await api('/api/runs/' + runId);
  } catch (error) {
    toast(describeError(error), true);
    syncButtons(false);
    return;
  }
  showProgress(run);
  if (ACTIVE.includes(run.status)) {
    setTimeout(() => watchRun(runId), 1000);
    return;
  }
  watching = null;
  loadChart();
  await loadFailed();
  toast(run.status === 'failed' ? 'Sync stopped: ' + (run.error || 'see History')
    : (run.workflow === 'sales' ? 'Sync' : WORKFLOW_NAMES[run.workflow] + ' sync') + ' finished: ' +
      describeRun(run) + '.' + stillFailing(run.workflow), run.status === 'failed' || failedCounts[run.workflow] > 0);
  loadRuns();
}

async function startRun(request) {
  syncButtons(true);
  try {
    const run = await request();
    showProgress(run);
    watchRun(run.id);
  } catch (error) {
    syncButtons(false);
    toast(describeError(error), true);
  }
}

async function loadRuns() {
  const table = document.getElementById('runs-table');
  if (!table) return;
  const empty = document.getElementById('runs-empty');
  let runs;
  try {
    runs = (await api('/api/runs')).runs;
  } catch (error) {
    empty.textContent = 'The runs could not be loaded: ' + describeError(error);
    return;
  }
  latestRuns = runs;
  showLastSync(runs);
  const active = runs.find((r) => r.workflow === 'sales' && ACTIVE.includes(r.status));
  if (active && watching === null) watchRun(active.id);
  empty.hidden = runs.length > 0;
  empty.textContent = 'No sync has run yet.';
  table.hidden = runs.length === 0;
  const rows = runs.slice(0, Number(table.dataset.limit)).map((r) => el('tr', {},
    el('td', {}, formatDate(r.started_at || r.queued_at)),
    el('td', {}, WORKFLOW_NAMES[r.workflow] || titleCase(r.workflow)),
    el('td', {}, (TRIGGERS[r.trigger] || titleCase(r.trigger)) + (r.dry_run ? ' (preview)' : '')),
    el('td', {}, runBadge(r), r.error ? el('span', { className: 'subdued block', text: r.error }) : null),
    ['created', 'updated', 'skipped', 'failed'].map((count, i) => el('td', { className: 'num',
      'data-label': RUN_COLUMNS[i] }, String(r.counts[count])))));
  table.tBodies[0].replaceChildren(...rows);
}

// The order's own page (Shopify's order beside its QuickBooks documents), keeping the admin's
// query parameters as every link inside the frame does.
function orderPage(shopifyId) {
  const query = PAGE.links.home.split('?')[1];
  return '/app/orders/' + String(shopifyId).split('/').pop() + (query ? '?' + query : '');
}

// The card's title names what failed: "Orders that need attention", "Orders and products …".
const FAILED_WORDS = { sales: 'orders', products: 'products', inventory: 'stock levels' };
function failedTitle(failed) {
  const seen = Object.keys(FAILED_WORDS).filter((w) => failed.some((f) => f.workflow === w));
  const words = (seen.length ? seen : ['sales']).map((w) => FAILED_WORDS[w]);
  const listed = words.length > 1 ? words.slice(0, -1).join(', ') + ' and ' + words[words.length - 1] : words[0];
  return titleCase(listed) + ' that need attention';
}

async function loadFailed() {
  const list = document.getElementById('failed-list');
  if (!list) return;
  const empty = document.getElementById('failed-empty');
  const retryAll = document.querySelector('[data-action="retry-all"]');
  let failed;
  try {
    failed = (await api('/api/ledger/failed')).failed;
  } catch (error) {
    empty.textContent = 'The failed orders could not be loaded: ' + describeError(error);
    return;
  }
  const orders = failed.filter((f) => f.kind === 'order');
  failedCounts = {};
  failed.forEach((f) => { failedCounts[f.workflow] = (failedCounts[f.workflow] || 0) + 1; });
  document.getElementById('failed-title').textContent = failedTitle(failed);
  empty.hidden = failed.length > 0;
  empty.textContent = 'Every order was posted. Nothing needs your attention.';
  if (retryAll) {
    retryAll.hidden = orders.length === 0;
    retryAll.textContent = `Retry all${orders.length < failed.length ? ' orders' : ''} (${orders.length})`;
  }
  const busy = watching !== null;
  const more = document.getElementById('failed-more');
  const limit = Number(list.dataset.limit) || 500;
  if (more) {
    more.hidden = failed.length <= limit;
    more.firstElementChild.textContent = `See all ${failed.length} that need attention`;
  }
  list.replaceChildren(...failed.slice(0, limit).map((entry) => failedItem(entry, { busy,
    title: entry.kind === 'order' && PAGE.apis.order
      ? el('a', { href: orderPage(entry.shopify_id), text: recordName(entry) }) : null })));
}

// --- posted / failed per day, when the app serves /api/stats/daily ---------------------------

function days(body) {
  const rows = Array.isArray(body) ? body : (body.days || body.daily || body.stats || []);
  return rows.map((d) => ({ date: d.date || d.day, posted: Number(d.posted ?? d.created ?? 0),
    failed: Number(d.failed ?? 0) }));
}

async function loadChart() {
  const card = document.getElementById('daily-chart');
  if (!card) return;
  // The chart keeps its space while it loads (.chart's aspect ratio): nothing below it moves.
  const body = document.getElementById('chart-body');
  let data;
  try {
    data = days(await api('/api/stats/daily'));
  } catch (error) {
    body.replaceChildren(el('p', { className: 'subdued', text: 'The chart could not be loaded: ' + describeError(error) }));
    return;
  }
  if (!data.length) {
    body.replaceChildren(el('p', { className: 'subdued', text: 'No days to chart yet.' }));
    return;
  }
  // Bars in an SVG stretched to the chart's box; the labels are HTML around it, so they keep
  // their size at any width (SVG text would shrink with the chart on a phone).
  const max = Math.max(1, ...data.map((d) => d.posted + d.failed));
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${data.length * 10} 100`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  const total = data.reduce((a, d) => [a[0] + d.posted, a[1] + d.failed], [0, 0]);
  svg.setAttribute('aria-label', `${total[0]} orders posted and ${total[1]} failed over ${data.length} days`);
  const rect = (x, y, h, cls, title) => {
    const r = document.createElementNS(ns, 'rect');
    Object.entries({ x, y, width: 7, height: h, class: cls }).forEach(([k, v]) => r.setAttribute(k, v));
    const t = document.createElementNS(ns, 'title'); t.textContent = title; r.append(t);
    return r;
  };
  data.forEach((d, i) => {
    const hp = (d.posted / max) * 100; const hf = (d.failed / max) * 100;
    svg.append(rect(i * 10 + 1.5, 100 - hp, hp, 'bar-posted', `${d.date}: ${d.posted} posted`));
    svg.append(rect(i * 10 + 1.5, 100 - hp - hf, hf, 'bar-failed', `${d.date}: ${d.failed} failed`));
  });
  const label = (cls, text) => el('span', { className: 'chart__label chart__label--' + cls, 'aria-hidden': 'true', text });
  body.replaceChildren(svg, label('max', String(max)), label('zero', '0'),
    label('first', data[0].date), label('last', data[data.length - 1].date));
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-action]');
  if (!button) return;
  const action = button.dataset.action;
  if (action === 'sync-now') startRun(() => api('/api/sync/sales', { method: 'POST' }));
  if (action === 'retry-all') startRun(() => api('/api/sync/sales/retry', { method: 'POST', json: { all_failed: true } }));
  if (action === 'retry-record') startRun(() => retryRecord(button));
  if (action === 'preview-sync') {
    const box = document.getElementById('preview-result');
    box.hidden = false;
    runPreview(button, box);
  }
});

// --- History: the latest orders, each opening its own page (/api/orders) --------------------

const DOC_NAMES = { SalesReceipt: 'Sales receipt', Invoice: 'Invoice' };

async function loadOrders() {
  const table = document.getElementById('orders-table');
  if (!table) return;
  const empty = document.getElementById('orders-empty');
  let orders;
  try {
    orders = (await api('/api/orders')).orders;
  } catch (error) {
    empty.textContent = 'The orders could not be loaded: ' + describeError(error);
    return;
  }
  empty.hidden = orders.length > 0;
  empty.textContent = 'No order has been synced yet.';
  table.hidden = orders.length === 0;
  table.tBodies[0].replaceChildren(...orders.map((o) => el('tr', {},
    el('td', {}, el('a', { href: orderPage(o.shopify_order_id), text: o.name || o.shopify_order_id })),
    el('td', {}, badge(o.status), o.reason ? el('span', { className: 'subdued block', text: o.reason }) : null),
    el('td', { text: o.qbo_type ? [DOC_NAMES[o.qbo_type] || o.qbo_type, o.qbo_doc_number].filter(Boolean).join(' ') : '—' }),
    el('td', { className: 'num', 'data-label': 'Shopify total', text: o.shopify_total ?? '—' }),
    el('td', { className: 'num', 'data-label': 'QuickBooks total', text: o.qbo_total ?? '—' }))));
}

document.addEventListener('DOMContentLoaded', async () => {
  loadChart();
  await Promise.allSettled([loadRuns(), loadFailed(), loadOrders()]);
  if (latestRuns) showLastSync(latestRuns); // now that the orders still failing are known
  showLate();
});
