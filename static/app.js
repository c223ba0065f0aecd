// Shared behaviour of the embedded pages: every API call carries a fresh App Bridge session
// token; toasts, links between pages and the QuickBooks connection live here.
const PAGE = JSON.parse(document.getElementById('page-data').textContent);

class ApiError extends Error {
  constructor(status, body) {
    super(body.message || body.error || 'Request failed (' + status + ')');
    this.status = status;
    this.body = body;
  }
}

async function api(path, options = {}) {
  const token = await window.shopify.idToken();
  const headers = Object.assign({ Authorization: 'Bearer ' + token }, options.headers || {});
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    options = Object.assign({}, options, { body: JSON.stringify(options.json) });
  }
  const response = await fetch(path, Object.assign({}, options, { headers }));
  let body = {};
  try { body = await response.json(); } catch (e) { body = {}; }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

// A message with its fix, as the API's error envelope gives them.
function describeError(error) {
  const fix = error.body && error.body.fix;
  return fix ? error.message + ' ' + fix : error.message;
}

function toast(message, isError = false) {
  window.shopify.toast.show(message, { isError, duration: isError ? 8000 : 4000 });
}

// el('p', { className: 'x', text: 'hi' }, child, ...)
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'className') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

function link(page, text, hash = '') {
  return el('a', { href: PAGE.links[page] + hash, text });
}

// Show the content a page's script filled from the API ([data-late], hidden until then) in one go,
// so nothing already on screen is pushed down by it.
function showLate() {
  document.querySelectorAll('[data-late]').forEach((node) => { node.hidden = false; });
}

// A payment gateway in the merchant's words: "Shopify Payments", not "shopify_payments".
const GATEWAY_NAMES = { gift_card: 'Gift card', shopify_payments: 'Shopify Payments',
  paypal: 'PayPal', manual: 'Manual' };

function gatewayLabel(id) {
  const key = String(id || '').trim();
  return GATEWAY_NAMES[key.toLowerCase().replace(/[\s-]+/g, '_')] ||
    key.replace(/[_-]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}

// Where the cause of a failure is fixed, from its reason and fix: the page, and the card on it.
const FIX_LABELS = { home: 'Check the connection', taxes: 'Open Taxes & payments', settings: 'Open Settings',
  products: 'Open Products', stock: 'Open Stock' };
const FIX_TOPICS = [
  [/reconnect|connection|authori[sz]/, 'home', ''],
  [/tax code|tax rate|\btax\b|vat|gst/, 'taxes', ''],
  [/gateway|deposit|clearing|payment method/, 'taxes', ''],
  [/gift card|shipping|discount|tip|dut(y|ies)|rounding/, 'settings', '#step-sales-lines'],
  [/item|income account|inventory|sku/, 'settings', '#step-sales-items'],
  [/customer/, 'settings', '#step-sales-customers'],
  [/closed|closing date|book/, 'settings', '#step-sales-documents'],
];

// A product or stock record is fixed on its workflow's page (its list says what to change in
// Shopify or QuickBooks), unless the cause is the connection or the item settings.
const KIND_PAGES = { product_variant: 'products', inventory_level: 'stock' };
const KIND_TOPICS = [FIX_TOPICS[0], [/income account|expense account|asset account|start date/, 'settings', '#step-sales-items']];

function fixPage(entry) {
  if (entry.fix_page && PAGE.links[entry.fix_page]) return { page: entry.fix_page, hash: '' };
  const text = ((entry.reason || '') + ' ' + (entry.fix || '')).toLowerCase();
  const own = KIND_PAGES[entry.kind];
  const topics = own ? KIND_TOPICS : FIX_TOPICS;
  const [, page, hash] = topics.find(([pattern]) => pattern.test(text)) || [null, own || 'settings', ''];
  return { page, hash };
}

function formatDate(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(undefined,
    { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

// Times the server wrote in UTC, shown in the merchant's own time zone.
document.addEventListener('DOMContentLoaded', () => {
  document.querySelectorAll('time[data-local]').forEach((t) => { t.textContent = formatDate(t.dateTime); });
});

// --- QuickBooks connection (Home) ------------------------------------------------------------

async function connectQuickBooks(button) {
  // Intuit's consent cannot be framed and must never replace the admin: it opens in a new tab.
  // The tab is opened during the click (popup blockers allow that), then sent to Intuit.
  const tab = window.open('', '_blank');
  button.disabled = true;
  try {
    const { authorize_url } = await api('/api/quickbooks/connect', { method: 'POST' });
    if (tab) {
      tab.opener = null;
      tab.location.href = authorize_url;
    } else {
      const help = document.getElementById('connect-help');
      help.replaceChildren('Your browser blocked the new tab. ',
        el('a', { href: authorize_url, target: '_blank', rel: 'noopener', text: 'Open QuickBooks sign-in' }),
        ', then come back here: this page updates by itself.');
    }
    document.getElementById('connect-help').hidden = false;
    watchConnection();
  } catch (error) {
    if (tab) tab.close();
    toast(describeError(error), true);
  } finally {
    button.disabled = false;
  }
}

let watchingConnection = false;
function watchConnection() {
  // When the merchant comes back from the QuickBooks tab, show the new connection.
  if (watchingConnection) return;
  watchingConnection = true;
  const check = async () => {
    if (document.visibilityState !== 'visible') return;
    try {
      const status = await api('/api/status');
      if (status.quickbooks && status.quickbooks.status === 'connected') window.location.reload();
    } catch (e) { /* keep waiting */ }
  };
  document.addEventListener('visibilitychange', check);
  window.addEventListener('focus', check);
  setInterval(check, 5000);
}

async function disconnectQuickBooks() {
  const confirm = document.getElementById('confirm-disconnect');
  confirm.disabled = true;
  try {
    await api('/api/quickbooks/disconnect', { method: 'POST' });
    window.shopify.modal.hide('disconnect-modal');
    toast('QuickBooks disconnected');
    window.location.reload();
  } catch (error) {
    window.shopify.modal.hide('disconnect-modal');
    toast(describeError(error), true);
  } finally {
    confirm.disabled = false;
  }
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-action]');
  if (!button) return;
  if (button.dataset.action === 'connect-quickbooks') connectQuickBooks(button);
  if (button.dataset.action === 'disconnect-quickbooks') window.shopify.modal.show('disconnect-modal');
});

document.addEventListener('DOMContentLoaded', () => {
  const confirm = document.getElementById('confirm-disconnect');
  if (confirm) {
    confirm.addEventListener('click', disconnectQuickBooks);
    document.getElementById('cancel-disconnect').addEventListener('click',
      () => window.shopify.modal.hide('disconnect-modal'));
  }
});
