// The workflow settings and Sync now on the embedded page, built on /api/settings, /api/lookups,
// /api/sync/sales and /api/runs. Every request carries a fresh session token (app.js `api`).
const PICKERS = {
  qbo_shipping_item_id: 'items', qbo_discount_item_id: 'items', qbo_default_item_id: 'items',
  qbo_tip_item_id: 'items', qbo_duty_item_id: 'items', qbo_gift_card_item_id: 'items',
  qbo_rounding_item_id: 'items', qbo_class_id: 'classes', qbo_department_id: 'departments',
  qbo_untaxed_tax_code_id: 'tax_codes', qbo_payment_method_id: 'payment_methods',
  qbo_income_account_id: 'accounts?type=Income', qbo_expense_account_id: 'accounts?type=Expense',
  qbo_cogs_account_id: 'accounts?type=Cost of Goods Sold',
  qbo_asset_account_id: 'accounts?type=Other Current Asset',
  qbo_clearing_account_id: 'accounts?type=Other Current Asset',
  shopify_location_id: 'locations',
};
const CHOICES = {
  document_type: ['sales_receipt', 'invoice'], customer_mode: ['original', 'company', 'generic'],
  sku_match_field: ['name', 'sku'], item_type: ['non_inventory', 'inventory'],
};
const STATUSES = ['PAID', 'PENDING', 'AUTHORIZED', 'PARTIALLY_PAID', 'PARTIALLY_REFUNDED',
  'REFUNDED'];
const lookups = {};

function label(name) {
  return name.replace(/^qbo_/, '').replace(/_id$/, '').replace(/_/g, ' ');
}

async function choicesFor(kind) {
  if (!lookups[kind]) {
    lookups[kind] = api('/api/lookups/' + kind).then((b) => b.choices).catch(() => []);
  }
  return lookups[kind];
}

async function field(section, name, value) {
  const row = document.createElement('label');
  row.className = 'field';
  row.append(label(name) + ' ');
  let input;
  if (typeof value === 'boolean') {
    input = Object.assign(document.createElement('input'), { type: 'checkbox', checked: value });
  } else if (name === 'financial_statuses') {
    input = document.createElement('select');
    input.multiple = true;
    STATUSES.forEach((s) => input.add(new Option(s, s, false, value.includes(s))));
  } else if (CHOICES[name] || PICKERS[name]) {
    input = document.createElement('select');
    input.add(new Option('—', ''));
    const options = CHOICES[name] ? CHOICES[name].map((c) => ({ id: c, name: c }))
      : await choicesFor(PICKERS[name]);
    options.forEach((c) => input.add(new Option(c.name, c.id, false, c.id === value)));
  } else {
    input = Object.assign(document.createElement('input'), { value: value ?? '' });
    if (name.endsWith('_date')) input.type = 'date';
  }
  input.name = section + '.' + name;
  row.append(input);
  return row;
}

function read(input) {
  if (input.type === 'checkbox') return input.checked;
  if (input.multiple) return [...input.selectedOptions].map((o) => o.value);
  return input.value === '' ? null : input.value;
}

async function renderSettings() {
  const form = document.getElementById('settings');
  if (!form) return;
  const settings = await api('/api/settings');
  for (const section of ['sales', 'products', 'inventory', 'sync']) {
    const fieldset = document.createElement('fieldset');
    fieldset.append(Object.assign(document.createElement('legend'), { textContent: section }));
    for (const [name, value] of Object.entries(settings[section])) {
      if (name === 'terms_accepted_at' || name === 'terms_version') continue;
      fieldset.append(await field(section, name, value));
    }
    if (section === 'sync') {
      fieldset.append(await field('sync', 'accept_terms', settings.sync.terms_accepted_at !== null));
    }
    form.append(fieldset);
  }
  form.append(Object.assign(document.createElement('button'), { type: 'submit', textContent: 'Save' }));
  form.addEventListener('submit', saveSettings);
}

async function saveSettings(event) {
  event.preventDefault();
  const body = {};
  for (const input of event.target.querySelectorAll('[name]')) {
    const [section, name] = input.name.split('.');
    (body[section] ||= {})[name] = read(input);
  }
  const token = await window.shopify.idToken();
  const response = await fetch('/api/settings', {
    method: 'PUT', body: JSON.stringify(body),
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
  });
  const result = await response.json();
  document.getElementById('message').textContent = response.ok ? 'Settings saved.'
    : Object.entries(result.errors).map(([k, v]) => k + ' ' + v).join('; ');
}

async function watchRun(runId) {
  const status = document.getElementById('sync-status');
  const run = await api('/api/runs/' + runId);
  const { done, total } = run.progress;
  status.textContent = `${run.status}: ${done}${total ? ' / ' + total : ''} orders · ` +
    `${run.counts.created} posted, ${run.counts.skipped} skipped, ${run.counts.failed} failed` +
    (run.error ? ' — ' + run.error : '');
  if (run.status === 'queued' || run.status === 'running') setTimeout(() => watchRun(runId), 1000);
}

document.addEventListener('click', async (event) => {
  const button = event.target.closest('[data-action="sync-now"]');
  if (!button) return;
  const run = await api('/api/sync/sales', { method: 'POST' });
  watchRun(run.id);
});

document.addEventListener('DOMContentLoaded', renderSettings);
