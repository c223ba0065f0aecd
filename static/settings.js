// Settings page, rendered from /api/settings/schema (labels, help, choices, pickers and steps
// of every setting, declared once in settings_schema.py) with the values of /api/settings.
// The sales and sync sections are shown here; the products and inventory settings are on the
// Products and Stock pages. Errors from a save appear on their fields; what the merchant typed
// is kept.
const SHOWN_SECTIONS = ['sales', 'sync'];
let saved = null;

function stepCard(section, step, fields, values) {
  const titleId = `step-${section.name}-${step.name}-title`;
  return el('section', { className: 'card', id: `step-${section.name}-${step.name}`,
    'aria-labelledby': titleId },
  el('h2', { id: titleId, text: step.title }),
  fields.map((spec) => buildField(Object.assign({}, spec, { name: section.name + '.' + spec.name }),
    values[spec.name])));
}

function termsField(values) {
  if (values.terms_accepted_at) {
    return el('p', { className: 'subdued',
      text: `Terms of use accepted on ${formatDate(values.terms_accepted_at)}.` });
  }
  return buildField({ name: 'sync.accept_terms', type: 'boolean', label: 'I accept the terms of use',
    help: 'Needed before orders are sent every hour or as they happen.' }, false);
}

async function renderSettings() {
  const body = document.getElementById('settings-body');
  let schema;
  try {
    [schema, saved] = await Promise.all([api('/api/settings/schema'), api('/api/settings')]);
  } catch (error) {
    body.replaceChildren(el('div', { className: 'banner banner--critical', role: 'alert' },
      el('p', { text: 'Settings could not be loaded: ' + describeError(error) })));
    return;
  }
  const cards = [];
  for (const section of schema.sections.filter((s) => SHOWN_SECTIONS.includes(s.name))) {
    for (const step of section.steps) {
      const fields = section.fields.filter((f) => f.step === step.name);
      // A US company's sales tax is QuickBooks' own (automated sales tax): no code to choose.
      if (!fields.length || (section.name === 'sales' && step.name === 'taxes' && !PAGE.maps_taxes)) continue;
      const card = stepCard(section, step, fields, saved[section.name]);
      if (section.name === 'sync') card.append(termsField(saved.sync));
      cards.push(card);
    }
  }
  body.replaceChildren(...cards);
  if (location.hash) document.querySelector(location.hash)?.scrollIntoView();
}

function fieldWrapper(form, key) {
  return [...form.querySelectorAll('[data-field]')].find((w) => w.dataset.field === key);
}

async function saveSettings(event) {
  if (event) event.preventDefault();
  const form = document.getElementById('settings');
  clearFieldErrors(form);
  let result;
  try {
    result = await api('/api/settings', { method: 'PUT', json: formDocument(form) });
  } catch (error) {
    const errors = (error.body && error.body.errors) || {};
    if (error.body && error.body.settings) saved = error.body.settings; // the valid fields were kept
    showErrors(form, errors, error);
    return;
  }
  const errors = result.errors || {}; // a partial save names the fields it could not keep
  if (Object.keys(errors).length) {
    showErrors(form, errors);
    return;
  }
  saved = result.settings || result;
  window.shopify.saveBar.hide('settings-save-bar');
  toast('Settings saved');
  if (saved.sync && saved.sync.terms_accepted_at && form.querySelector('[data-field="sync.accept_terms"]')) {
    renderSettings();
  }
}

function showErrors(form, errors, error) {
  let first = null;
  const unplaced = [];
  for (const [key, message] of Object.entries(errors)) {
    const wrapper = fieldWrapper(form, key);
    const label = wrapper ? wrapper.querySelector('label, legend').textContent : key;
    if (wrapper) {
      showFieldError(wrapper, `${label} ${message}`);
      first = first || wrapper;
    } else {
      unplaced.push(`${key} ${message}`);
    }
  }
  const count = Object.keys(errors).length;
  if (error) toast(describeError(error), true);
  else if (count) toast(`${count} setting${count === 1 ? '' : 's'} not saved`, true);
  if (unplaced.length) toast(unplaced.join('; '), true);
  if (first) first.querySelector('input, select').focus();
}

document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('settings');
  form.addEventListener('submit', saveSettings);
  watchChanges(form, 'settings-save-bar');
  document.getElementById('save-bar-save').addEventListener('click', () => saveSettings());
  document.getElementById('save-bar-discard').addEventListener('click', () => {
    window.shopify.saveBar.hide('settings-save-bar');
    clearFieldErrors(form);
    renderSettings();
  });
  renderSettings();
});
