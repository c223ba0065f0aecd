// One order (/app/orders/<id>): Shopify's order beside the QuickBooks documents posted for it
// (/api/orders/<id>), whether their totals match, and for an order that could not be posted its
// reason, what to do and Retry (/api/sync/sales/retry, progress from /api/runs/<id>).
const ORDER_ID = document.getElementById('order-view').dataset.order;
const RUNNING = ['queued', 'running'];
const SALES = ['SalesReceipt', 'Invoice'];
const DOCUMENTS = { SalesReceipt: 'Sales receipt', Invoice: 'Invoice', Payment: 'Payment',
  RefundReceipt: 'Refund receipt', CreditMemo: 'Credit memo' };
const STATUSES = { posted: ['Posted', 'success'], failed: ['Not posted', 'critical'],
  skipped: ['Skipped', 'neutral'], pending: ['Waiting', 'info'], in_progress: ['Posting', 'info'] };

function money(amount, currency) {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(Number(amount));
  } catch (e) {
    return `${amount} ${currency || ''}`.trim();
  }
}

function words(text) {
  return String(text || '').replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase());
}

function statusBadge(status) {
  const [label, tone] = STATUSES[status] || [words(status), 'neutral'];
  return el('span', { className: 'badge badge--' + tone, text: label });
}

// [label, amount, isTotal] rows as a definition list, amounts right-aligned.
function totals(rows, currency, className = '') {
  return el('dl', { className: ('totals ' + className).trim() }, rows.flatMap(([label, amount, total]) => [
    el('dt', { className: total ? 'totals__total' : undefined, text: label }),
    el('dd', { className: total ? 'totals__total' : undefined, text: money(amount, currency) })]));
}

function linesTable(caption, head, rows) {
  return el('div', { className: 'table-wrap' }, el('table', { className: 'lines' },
    el('caption', { className: 'visually-hidden', text: caption }),
    el('thead', {}, el('tr', {}, head.map((h, i) => el('th', { scope: 'col', className: i ? 'num' : undefined, text: h })))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c, i) => el('td', { className: i ? 'num' : undefined, text: c })))))));
}

// Put these children in `node`, leaving out the absent ones (null: nothing to show).
function fill(node, ...children) {
  node.replaceChildren(...children.filter((c) => c !== null && c !== undefined));
}

function errorBanner(side, what) {
  return el('div', { className: 'banner banner--critical', role: 'alert' },
    el('p', {}, el('strong', { text: `${what} could not be read. ` }), side.error),
    side.fix ? el('p', { text: side.fix }) : null);
}

function showShopify(view) {
  const body = document.getElementById('shopify-body');
  const s = view.shopify;
  if (s.error) {
    // What the ledger recorded stays on screen: a failed lookup never blanks a saved value.
    const recorded = view.ledger.find((r) => r.shopify_total !== null);
    fill(body, errorBanner(s, 'Shopify'), recorded
      ? totals([['Total recorded when posted', recorded.shopify_total, true]], '', 'totals--grand') : null);
    return;
  }
  const rows = s.line_items.map((l) => [l.name + (l.sku ? ` (${l.sku})` : ''), String(l.quantity),
    money(l.unit_price, s.currency), money(l.total, s.currency)]);
  fill(body,
    el('p', { className: 'subdued', text: `${formatDate(s.date)} · ${words(s.financial_status)}` }),
    linesTable('Items in Shopify', ['Item', 'Qty', 'Price', 'Amount'], rows),
    s.more_line_items ? el('p', { className: 'subdued', text: 'More items are on the order in Shopify.' }) : null,
    totals([['Discounts', Number(s.discounts) ? '-' + s.discounts : s.discounts], ['Subtotal after discounts', s.subtotal],
      ['Shipping', s.shipping], ['Tax', s.tax]], s.currency),
    totals([['Total', s.total, true]], s.currency, 'totals--grand'));
}

function documentBlock(doc) {
  const name = `${DOCUMENTS[doc.type] || doc.type} ${doc.doc_number || doc.id}`;
  if (doc.error) return el('div', { className: 'document' }, el('h3', { text: name }), errorBanner(doc, name));
  const currency = doc.currency || '';
  const rows = doc.lines.map((l) => [l.description, l.quantity || '', money(l.amount, currency)]);
  // A sale's total is the card's foot; a payment or refund shows its amount here.
  const sums = SALES.includes(doc.type) ? [['Tax', doc.tax], ['Balance due', doc.type === 'Invoice' ? doc.balance : null]]
    : [['Amount', doc.total]];
  return el('div', { className: 'document' },
    el('div', { className: 'document__header' }, el('h3', { text: name }),
      doc.qbo_url ? el('a', { href: doc.qbo_url, target: '_blank', rel: 'noopener',
        text: 'Open in QuickBooks', 'aria-label': `Open ${name} in QuickBooks (new tab)` }) : null),
    el('p', { className: 'subdued', text: 'Dated ' + new Date(doc.txn_date + 'T00:00:00').toLocaleDateString(undefined,
      { year: 'numeric', month: 'short', day: 'numeric' }) }),
    linesTable(`Lines of ${name}`, ['Line', 'Qty', 'Amount'], rows),
    totals(sums.filter(([, v]) => v !== null && v !== undefined), currency));
}

function showQuickBooks(view) {
  const body = document.getElementById('quickbooks-body');
  const q = view.quickbooks;
  const currency = view.shopify.currency || '';
  if (q.error) {
    const recorded = view.ledger.find((r) => r.qbo_total !== null);
    fill(body, errorBanner(q, 'QuickBooks'), recorded
      ? totals([['Total recorded when posted', recorded.qbo_total, true]], currency, 'totals--grand') : null);
    return;
  }
  if (!q.documents.length) {
    body.replaceChildren(el('p', { className: 'subdued', text: 'Nothing is in QuickBooks for this order yet.' }));
    return;
  }
  fill(body, ...q.documents.map(documentBlock),
    q.total !== undefined ? totals([['Total', q.total, true]], currency, 'totals--grand') : null);
}

function showSummary(view) {
  const name = view.name || 'Order ' + view.shopify_order_id;
  document.querySelector('.page-title').textContent = 'Order ' + name;
  const bar = document.querySelector('ui-title-bar');
  if (bar) bar.setAttribute('title', 'Order ' + name);
  const currency = view.shopify.currency || '';
  const badge = document.getElementById('totals-badge');
  fill(badge, view.reconciles === null ? null
    : el('span', { className: 'badge badge--' + (view.reconciles ? 'success' : 'critical'),
      text: view.reconciles ? 'Totals match' : 'Totals differ by ' + money(view.difference.replace('-', ''), currency) }));
  const row = view.ledger[0];
  document.getElementById('order-facts').replaceChildren(...(row ? [statusBadge(row.status), ' ',
    row.posted_at ? `Posted ${formatDate(row.posted_at)}` : `Last tried ${formatDate(row.updated_at)}`,
    ` · ${row.attempts} attempt${row.attempts === 1 ? '' : 's'}`] : ['Ledgerbridge has not handled this order yet.']));
  document.getElementById('order-failures').replaceChildren(...view.ledger.filter((r) => r.reason).map(failure));
}

// The link to where the failure's fix is made (the same as Home's), when the fix names a page.
function fixLink(row) {
  if (!row.fix_page) return null;
  const { page, hash } = fixPage({ reason: row.reason, fix: row.fix });
  return link(page, FIX_LABELS[page], hash);
}

function failure(row) {
  const failed = row.status === 'failed';
  return el('div', { className: 'banner' + (failed ? ' banner--critical' : ''), role: failed ? 'alert' : 'note' },
    el('p', {}, el('strong', { text: failed ? 'Why it was not posted: ' : 'Note: ' }), row.reason),
    row.fix ? el('p', {}, el('strong', { text: 'What to do: ' }), row.fix) : null,
    failed ? el('div', { className: 'actions' },
      fixLink(row),
      el('button', { type: 'button', className: 'button button--primary', 'data-action': 'retry-this-order',
        text: 'Retry' })) : null);
}

async function load() {
  const loading = document.getElementById('order-loading');
  let view;
  try {
    view = await api('/api/orders/' + encodeURIComponent(ORDER_ID));
  } catch (error) {
    loading.className = 'banner banner--critical';
    loading.setAttribute('role', 'alert');
    loading.textContent = 'The order could not be loaded: ' + describeError(error);
    return;
  }
  showSummary(view);
  showShopify(view);
  showQuickBooks(view);
  loading.remove();
  showLate();
}

const pause = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

async function retry(button) {
  button.disabled = true;
  button.textContent = 'Retrying…';
  try {
    let run = await api('/api/sync/sales/retry', { method: 'POST', json: { order_ids: [ORDER_ID] } });
    while (RUNNING.includes(run.status)) {
      await pause(1000);
      run = await api('/api/runs/' + run.id);
    }
    toast(run.status === 'failed' ? 'Retry stopped: ' + (run.error || 'see History') : 'Retry finished',
      run.status === 'failed');
    await load();
  } catch (error) {
    toast(describeError(error), true);
    button.disabled = false;
    button.textContent = 'Retry';
  }
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-action="retry-this-order"]');
  if (button) retry(button);
});

document.addEventListener('DOMContentLoaded', load);
