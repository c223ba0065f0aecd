// Taxes & payments: every Shopify tax seen on the shop's orders with its QuickBooks tax code
// (pre-filled with the app's suggestion when the API gives one), and every payment gateway seen
// with the account its money is deposited to (Bank or Other Current Asset accounts) and its
// payment method. Read from and saved to /api/settings (tax_mappings, gateway_mappings).
const DEPOSIT_ACCOUNTS = [
  { picker: 'accounts?type=Bank', group: 'Bank accounts' },
  { picker: 'accounts?type=Other Current Asset', group: 'Other current assets' },
];
let document_ = null;

function suggestionOf(tax) {
  // Accept the suggestion as the API names it: {suggestion: {qbo_tax_code_id, name}} or flat.
  const s = tax.suggestion || tax.suggested || null;
  const id = (s && (s.qbo_tax_code_id || s.tax_code_id || s.id)) || tax.suggested_qbo_tax_code_id;
  return id ? { id, name: (s && (s.name || s.tax_code_name)) || null } : null;
}

// "VAT 20%" stays as titled; "State tax" at 0.0725 reads "State tax 7.25 %".
function taxLabel(tax) {
  const rate = Number(tax.rate);
  const title = tax.title || '';
  const percent = tax.rate !== null && tax.rate !== undefined && tax.rate !== '' &&
    Number.isFinite(rate) && !/%/.test(title)
    ? ` ${Number((rate * 100).toFixed(3))} %` : '';
  const where = [tax.region_code, tax.country_code].filter(Boolean).join(', ');
  return `${title}${percent}${where ? ' (' + where + ')' : ''}`;
}

function renderTaxes() {
  const body = document.getElementById('taxes-body');
  if (!body) return; // a US company: QuickBooks works out the tax, nothing is mapped
  const taxes = document_.tax_mappings;
  if (!taxes.length) {
    body.replaceChildren(el('p', { className: 'subdued',
      text: 'No taxes seen yet. They appear here once a sync has read orders that charge tax.' }));
    return;
  }
  body.replaceChildren(...taxes.map((tax, i) => {
    const suggestion = tax.qbo_tax_code_id ? null : suggestionOf(tax);
    return buildField({ name: `tax_mappings[${i}].qbo_tax_code_id`, label: taxLabel(tax),
      help: suggestion ? `Suggested${suggestion.name ? ': ' + suggestion.name : ''}. Save to use it.`
        : 'The QuickBooks tax code this tax is recorded with.',
      picker: 'tax_codes', suggested: suggestion }, tax.qbo_tax_code_id);
  }));
}

function renderGateways() {
  const body = document.getElementById('gateways-body');
  const gateways = document_.gateway_mappings;
  if (!gateways.length) {
    body.replaceChildren(el('p', { className: 'subdued',
      text: 'No payment gateways seen yet. They appear here once a sync has read paid orders.' }));
    return;
  }
  body.replaceChildren(...gateways.map((gateway, i) => el('fieldset', { className: 'group' },
    el('legend', { text: gatewayLabel(gateway.gateway) }),
    el('div', { className: 'field-row' },
      buildField({ name: `gateway_mappings[${i}].qbo_clearing_account_id`, label: 'Deposit to',
        help: 'Empty: Undeposited Funds, or the default chosen in Settings.',
        pickers: DEPOSIT_ACCOUNTS }, gateway.qbo_clearing_account_id),
      buildField({ name: `gateway_mappings[${i}].qbo_payment_method_id`, label: 'Payment method',
        help: 'Empty: the default chosen in Settings.',
        picker: 'payment_methods' }, gateway.qbo_payment_method_id)))));
}

async function load() {
  try {
    document_ = await api('/api/settings');
  } catch (error) {
    for (const id of ['taxes-body', 'gateways-body']) {
      document.getElementById(id)?.replaceChildren(el('div', { className: 'banner banner--critical', role: 'alert' },
        el('p', { text: 'Could not be loaded: ' + describeError(error) })));
    }
    return;
  }
  renderTaxes();
  renderGateways();
}

function readMappings(form) {
  const value = (name) => {
    const wrapper = [...form.querySelectorAll('[data-field]')].find((w) => w.dataset.field === name);
    return wrapper ? readField(wrapper) : undefined;
  };
  const taxes = document.getElementById('taxes-body') ? document_.tax_mappings : [];
  return {
    tax_mappings: taxes.map((tax, i) => ({ id: tax.id,
      qbo_tax_code_id: value(`tax_mappings[${i}].qbo_tax_code_id`) })),
    gateway_mappings: document_.gateway_mappings.map((g, i) => ({ gateway: g.gateway,
      qbo_clearing_account_id: value(`gateway_mappings[${i}].qbo_clearing_account_id`),
      qbo_payment_method_id: value(`gateway_mappings[${i}].qbo_payment_method_id`) })),
  };
}

async function save(event) {
  if (event) event.preventDefault();
  const form = document.getElementById('mappings');
  clearFieldErrors(form);
  let errors = {};
  try {
    const result = await api('/api/settings', { method: 'PUT', json: readMappings(form) });
    errors = result.errors || {};
  } catch (error) {
    errors = (error.body && error.body.errors) || {};
    if (!Object.keys(errors).length) { toast(describeError(error), true); return; }
  }
  let first = null;
  for (const [key, message] of Object.entries(errors)) {
    const wrapper = [...form.querySelectorAll('[data-field]')].find((w) => w.dataset.field === key);
    if (wrapper) {
      showFieldError(wrapper, `${wrapper.querySelector('label').textContent} ${message}`);
      first = first || wrapper;
    } else toast(`${key} ${message}`, true);
  }
  if (Object.keys(errors).length) {
    toast('Some choices need fixing', true);
    if (first) first.querySelector('select').focus();
    return;
  }
  window.shopify.saveBar.hide('mappings-save-bar');
  toast('Taxes and payments saved');
}

document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('mappings');
  form.addEventListener('submit', save);
  watchChanges(form, 'mappings-save-bar');
  document.getElementById('save-bar-save').addEventListener('click', () => save());
  document.getElementById('save-bar-discard').addEventListener('click', () => {
    window.shopify.saveBar.hide('mappings-save-bar');
    clearFieldErrors(form);
    load();
  });
  load().finally(showLate);
});
