// The stock preview (GET /api/inventory/preview) as the Stock page shows it: the totals against
// the guard's limits, the changes per SKU (Shopify now, QuickBooks, the change; zeroes
// highlighted), the SKUs found on one side only, and those never changed (Shopify does not track
// them, or their SKU is not unique).
const ONE_SIDED = { qbo_only: 'In QuickBooks only', shopify_only: 'In Shopify only' };
const NEVER_CHANGED = { not_tracked: 'Not tracked by Shopify', duplicate: 'SKU used more than once' };

function percent(share) {
  return `${Math.round(Number(share) * 100)} %`;
}

function signed(change) {
  return change > 0 ? `+${change}` : `−${Math.abs(change)}`;
}

function num(text, label) {
  return el('td', { className: 'num', 'data-label': label, text: text ?? '—' });
}

// "12 changes of 40 tracked products (30 %, your limit 50 %)", the share over its limit marked.
function totalItem(count, what, tracked, limit) {
  const share = tracked ? count / tracked : 0;
  const over = share > Number(limit);
  return el('li', {}, el('strong', { text: `${count.toLocaleString()} ${what}` }),
    ` of ${plural(tracked, 'tracked product')} (${percent(share)}, your limit ${percent(limit)})`,
    over ? [' ', el('span', { className: 'badge badge--critical', text: 'Over the limit' })] : null);
}

function changeRow(row) {
  const zero = row.new_quantity === 0;
  return el('tr', { className: zero ? 'row--zero' : null },
    el('th', { scope: 'row', text: row.sku }),
    el('td', {}, row.product || '—', row.note ? el('span', { className: 'subdued block', text: row.note }) : null),
    num(row.shopify_now ?? 0, 'Shopify now'),
    num(row.qbo_value, 'QuickBooks'),
    el('td', { className: 'num', 'data-label': 'Change' }, `${signed(row.change)} → ${row.new_quantity}`,
      zero ? el('span', { className: 'badge badge--critical', text: 'Set to zero' }) : null));
}

function sideRow(row, names) {
  return el('tr', {},
    el('th', { scope: 'row', text: row.sku }),
    el('td', {}, row.product || '—'),
    el('td', {}, el('span', { className: 'badge', text: names[row.outcome] }),
      el('span', { className: 'subdued block', text: row.note || '' })),
    num(row.outcome === 'qbo_only' ? row.qbo_value : row.shopify_now, 'Quantity'));
}

function stockTable(caption, headings, rows) {
  return el('div', { className: 'table-wrap' }, el('table', { className: 'data-table' },
    el('caption', { className: 'visually-hidden', text: caption }),
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', { scope: 'col', className: h.num ? 'num' : null, text: h.text || h })))),
    el('tbody', {}, rows)));
}

function group(title, rows, names, open) {
  if (!rows.length) return null;
  return el('details', { className: 'preview-group', open },
    el('summary', { text: `${title} (${rows.length})` }),
    stockTable(title, ['SKU', 'Product', 'Why', { text: 'Quantity', num: true }], rows.map((r) => sideRow(r, names))));
}

// The preview's answer in `box`; `limits` are the inventory settings (the guard's shares).
function showStockPreview(box, answer, limits) {
  if (answer.state === 'failed') {
    box.replaceChildren(criticalBanner('The preview could not be made: ' + (answer.error || 'try again.')));
    return;
  }
  const { totals, rows } = answer;
  const changes = rows.filter((r) => r.outcome === 'change');
  box.replaceChildren(...[
    el('ul', { className: 'totals-line', 'aria-label': 'Totals' },
      totalItem(totals.change, totals.change === 1 ? 'change' : 'changes', totals.tracked, limits.max_change_share),
      totalItem(totals.zeroes, 'set to zero', totals.tracked, limits.max_zero_share)),
    answer.hold ? el('div', { className: 'banner', role: 'note' }, el('p', {
      text: 'Over your limits: setting these levels would be held for you to confirm before anything is written.' })) : null,
    el('p', { className: 'subdued', role: 'status', text: `Previewed ${formatDate(answer.finished_at)}: ` +
      `${plural(totals.change, 'change')}, ${totals.zeroes} set to zero. Nothing was written to Shopify.` +
      (answer.truncated ? ` The first ${rows.length} SKUs are listed.` : '') }),
    changes.length
      ? stockTable('Stock changes per SKU', ['SKU', 'Product', { text: 'Shopify now', num: true },
        { text: 'QuickBooks', num: true }, { text: 'Change', num: true }], changes.map(changeRow))
      : el('p', { text: 'Shopify already holds QuickBooks\' quantities: nothing would change.' }),
    group('On one side only: never set', rows.filter((r) => ONE_SIDED[r.outcome]), ONE_SIDED, !changes.length),
    group('Never changed', rows.filter((r) => NEVER_CHANGED[r.outcome]), NEVER_CHANGED, false),
  ].filter(Boolean));
}
