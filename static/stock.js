// Stock page: Preview stock levels (POST /api/inventory/preview, a dry run on the worker; then
// GET /api/inventory/preview), the confirmation that turns the stock push on (opening stock is
// in QuickBooks; POST /api/inventory/approve, then inventory.enabled with PUT /api/settings), Set
// stock now with live progress (POST /api/inventory/sync, /api/runs/<id>), the location and the
// guard's limits (from the settings schema) and the SKUs that failed, with Retry. The update the
// guard held is the banner at the top (static/held.js).
// The switch is shown here once on (to turn it off); it is turned on by Approve and turn on.
const SETTINGS_SHOWN = ['enabled', 'shopify_location_id', 'max_zero_share', 'max_change_share'];
const stockProgress = progressBlock('stock-progress');
let inventory = null; // the section of the settings schema
let settings = null; // /api/settings
let latest = null; // the latest preview's answer

function setBusy(value) {
  document.querySelectorAll('#stock-card [data-action], #failed-card [data-action]')
    .forEach((b) => { b.disabled = value; });
}

function showSetStock() {
  document.querySelector('[data-action="set-stock"]').hidden = !settings.inventory.enabled;
}

async function followStock(request) {
  setBusy(true);
  try {
    return await followRun(await request(), stockProgress);
  } catch (error) {
    const errors = (error.body && error.body.errors) || {};
    if (errors['inventory.shopify_location_id']) { // no location yet: say so by its picker
      showFieldErrors(document.querySelector('#stock-settings form'), errors);
    } else toast(describeError(error), true);
    return null;
  } finally {
    setBusy(false);
  }
}

async function previewStock() {
  const run = await followStock(() => api('/api/inventory/preview', { method: 'POST' }));
  if (!run) return;
  await loadPreview();
  if (!settings.inventory.enabled) renderTurnOn(); // the confirmation comes with a preview
}

async function loadPreview() {
  latest = await api('/api/inventory/preview');
  if (latest.state !== 'none') showStockPreview(document.getElementById('stock-preview'), latest, settings.inventory);
}

async function setStock(request) {
  const run = await followStock(request);
  if (!run) return;
  if (run.status === 'failed' && (await api('/api/inventory/held')).held) {
    reloadWithToken(); // the guard held it: the page opens again with its banner
    return;
  }
  document.getElementById('stock-last').textContent = lastRunText(run, 'stock update');
  toast(run.status === 'failed' ? 'Stock update stopped: ' + (run.error || 'see History')
    : 'Stock set: ' + describeRun(run), run.status === 'failed');
  await loadFailedOf();
}

// Turn on: the confirmation (a setting of the schema) and Approve and turn on, whose refusal
// (no preview yet, opening stock not confirmed) is shown by it.
function turnOnForm() {
  const spec = inventory.fields.find((f) => f.name === 'opening_stock_confirmed');
  const confirmField = buildField(Object.assign({}, spec, { name: 'inventory.opening_stock_confirmed' }),
    settings.inventory.opening_stock_confirmed);
  const button = el('button', { type: 'submit', className: 'button button--primary', text: 'Approve and turn on',
    'aria-describedby': 'turn-on-error' });
  const slot = el('div', { className: 'field', 'data-field': 'inventory.enabled' },
    el('div', { className: 'actions' }, button), el('p', { className: 'field-error', id: 'turn-on-error', hidden: true }));
  const form = el('form', { className: 'step__form', novalidate: true },
    el('p', { text: 'Look through the preview above. When QuickBooks holds your opening stock, approve it: ' +
      'Shopify\'s stock then follows QuickBooks with every automatic sync and when you press Set stock now.' }),
    confirmField, slot);
  form.addEventListener('submit', (event) => { event.preventDefault(); approveAndTurnOn(form, slot, confirmField); });
  return form;
}

async function approveAndTurnOn(form, slot, confirmField) {
  clearFieldErrors(form);
  if (!latest || latest.state !== 'succeeded') {
    showFieldError(slot, 'Preview stock levels first, and look through them.');
    return;
  }
  if (!confirmField.querySelector('input').checked) {
    showFieldError(confirmField, 'Confirm that opening stock is entered in QuickBooks: otherwise Shopify stock would be set to zero.');
    return;
  }
  try {
    await api('/api/inventory/approve', { method: 'POST', json: { run_id: latest.run_id } });
  } catch (error) {
    showFieldError(slot, describeError(error));
    return;
  }
  const saved = await saveFields(form, { inventory: { enabled: true } });
  if (!saved) return;
  settings = saved;
  toast('Stock from QuickBooks turned on');
  renderSettings();
}

function renderTurnOn() {
  const body = document.getElementById('stock-turn-on-body');
  const on = settings.inventory.enabled;
  const previewed = latest && latest.state === 'succeeded';
  body.replaceChildren(on
    ? el('p', { text: 'Shopify\'s stock follows QuickBooks: with every automatic sync and when you press Set stock now.' +
      (latest && latest.approved_at ? ` Preview approved ${formatDate(latest.approved_at)}.` : '') })
    : previewed ? turnOnForm()
      : el('p', { text: 'Choose the Shopify location below, then preview stock levels: once you have looked ' +
        'through them, you approve them and turn this on here.' }));
  showSetStock();
}

function renderSettings() {
  document.getElementById('stock-settings').replaceChildren(sectionForm(inventory, settings.inventory,
    { only: SETTINGS_SHOWN.slice(settings.inventory.enabled ? 0 : 1),
      onSaved: (saved) => { settings = saved; renderSettings(); } }));
  renderTurnOn();
}


async function loadRuns() {
  const runs = await runsOf('inventory');
  const last = runs.find((r) => !r.dry_run && !ACTIVE.includes(r.status));
  const held = document.querySelector('#held-banner:not([data-confirmed])');
  document.getElementById('stock-last').textContent = held && last && String(last.id) === held.dataset.run
    ? `Last stock update ${formatDate(last.finished_at)}: held before writing anything (see above).`
    : lastRunText(last, 'stock update');
  const active = runs.find((r) => ACTIVE.includes(r.status));
  if (active && !document.querySelector('#held-banner[data-confirmed]')) {
    if (active.dry_run) followStock(async () => active).then(loadPreview);
    else setStock(async () => active);
  }
}

async function load() {
  try {
    const loaded = await loadSection('inventory');
    [inventory, settings] = [loaded.section, loaded.settings];
    await loadPreview();
  } catch (error) {
    document.getElementById('stock-last').textContent = 'The stock settings could not be loaded: ' + describeError(error);
    return;
  }
  renderSettings();
  await Promise.allSettled([loadRuns(), loadFailedOf()]);
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-action]');
  if (!button) return;
  const action = button.dataset.action;
  if (action === 'preview-stock') previewStock();
  if (action === 'set-stock') setStock(() => api('/api/inventory/sync', { method: 'POST' }));
  if (action === 'retry-kind' || action === 'retry-record') setStock(RETRIES.inventory_level);
});

document.addEventListener('stock-run-finished', () => { loadPreview(); loadFailedOf(); loadRuns(); });

document.addEventListener('DOMContentLoaded', async () => {
  document.getElementById('stock-progress-slot').replaceWith(stockProgress);
  await load();
  showLate();
});
