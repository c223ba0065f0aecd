// Form fields as Polaris draws them: a real <label>, help text and an inline error tied to the
// control with aria-describedby, aria-invalid while in error. Pickers are filled from
// /api/lookups; a failed lookup shows its error by the field and keeps the saved id selectable.
const lookupCache = {};

function lookup(picker) {
  // "accounts?type=Income" → /api/lookups/accounts?type=Income
  if (!lookupCache[picker]) {
    const [kind, query] = picker.split('?');
    const params = new URLSearchParams(query || '');
    const qs = params.toString();
    lookupCache[picker] = api('/api/lookups/' + kind + (qs ? '?' + qs : '')).then((b) => b.choices);
  }
  return lookupCache[picker];
}

function fieldId(name) {
  return 'f-' + name.replace(/[^A-Za-z0-9_-]/g, '-');
}

// One field: {name, label, help, type, choices, picker(s), nullable}; returns its wrapper.
function buildField(spec, value) {
  const id = fieldId(spec.name);
  const helpId = id + '-help';
  const errorId = id + '-error';
  const described = [spec.help ? helpId : null, errorId].filter(Boolean).join(' ');
  const help = spec.help ? el('p', { className: 'help', id: helpId, text: spec.help }) : null;
  const error = el('p', { className: 'field-error', id: errorId, hidden: true });
  let wrapper;
  if (spec.type === 'boolean') {
    const input = el('input', { type: 'checkbox', id, name: spec.name, checked: !!value,
      'aria-describedby': described });
    wrapper = el('div', { className: 'field field--checkbox', 'data-field': spec.name },
      el('div', { className: 'checkbox-row' }, input, el('label', { for: id, text: spec.label })),
      help, error);
  } else if (spec.type === 'choices') {
    const boxes = spec.choices.map((c, i) => el('label', { className: 'checkbox-row' },
      el('input', { type: 'checkbox', name: spec.name, value: c.id, id: id + '-' + i,
        checked: (value || []).includes(c.id) }), ' ' + c.name));
    wrapper = el('fieldset', { className: 'field field--group', 'data-field': spec.name,
      'aria-describedby': described, id },
    el('legend', { text: spec.label }), help, el('div', { className: 'choice-list' }, boxes), error);
  } else {
    let input;
    if (spec.choices) {
      input = el('select', { id, name: spec.name, 'aria-describedby': described });
      if (spec.nullable) input.add(new Option('None', ''));
      spec.choices.forEach((c) => input.add(new Option(c.name, c.id, false, c.id === value)));
    } else if (spec.picker || spec.pickers) {
      input = el('select', { id, name: spec.name, 'aria-describedby': described, 'aria-busy': 'true' });
      input.add(new Option('None', ''));
      if (value) input.add(new Option('Saved choice (loading…)', value, true, true));
      fillPicker(input, spec.pickers || [{ picker: spec.picker }], value, error, spec.suggested);
    } else {
      input = el('input', { id, name: spec.name, value: value ?? '', 'aria-describedby': described,
        type: spec.type === 'date' ? 'date' : (spec.type === 'number' ? 'text' : 'text'),
        inputmode: spec.type === 'number' ? 'decimal' : null, maxLength: spec.max_length || null,
        autocomplete: 'off' });
    }
    wrapper = el('div', { className: 'field', 'data-field': spec.name },
      el('label', { for: id, text: spec.label }), input, help, error);
  }
  return wrapper;
}

async function fillPicker(select, sources, value, error, suggested) {
  // sources: [{picker, group?}] — several lists make option groups (e.g. Bank + Other Current Asset).
  const results = await Promise.allSettled(sources.map((s) => lookup(s.picker)));
  const keep = select.value;
  select.replaceChildren(new Option('None', ''));
  let found = false;
  const failures = [];
  results.forEach((result, i) => {
    if (result.status === 'rejected') { failures.push(result.reason); return; }
    const parent = sources.length > 1 && result.value.length
      ? select.appendChild(el('optgroup', { label: sources[i].group })) : select;
    result.value.forEach((c) => {
      const option = new Option(c.name, c.id, false, String(c.id) === String(keep));
      if (String(c.id) === String(keep)) found = true;
      parent.append(option);
    });
  });
  if (keep && !found) {
    // Never blank a saved value: keep it as an option even when the list cannot show it.
    select.add(new Option(failures.length ? `Saved choice (id ${keep})` : `Saved choice (id ${keep}, not in QuickBooks' active list)`, keep, true, true));
  }
  if (!keep && suggested && [...select.options].some((o) => o.value === String(suggested.id))) {
    select.value = String(suggested.id);
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }
  select.removeAttribute('aria-busy');
  if (failures.length) {
    const reason = failures[0] instanceof ApiError ? describeError(failures[0]) : String(failures[0]);
    showFieldError(select.closest('[data-field]'), "The list couldn't be loaded: " + reason, { lookup: true });
  }
}

function showFieldError(wrapper, message, { lookup = false } = {}) {
  if (!wrapper) return;
  const error = wrapper.querySelector('.field-error');
  error.replaceChildren(el('span', { className: 'visually-hidden', text: 'Error: ' }), message);
  error.hidden = false;
  error.dataset.lookup = lookup ? '1' : '';
  wrapper.classList.add('field--invalid');
  wrapper.querySelectorAll('input, select').forEach((i) => i.setAttribute('aria-invalid', 'true'));
}

function clearFieldErrors(root) {
  root.querySelectorAll('.field-error:not([data-lookup="1"])').forEach((error) => {
    error.hidden = true;
    error.textContent = '';
    const wrapper = error.closest('[data-field]');
    wrapper.classList.remove('field--invalid');
    wrapper.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  });
}

function readField(wrapper) {
  const inputs = [...wrapper.querySelectorAll('input, select')];
  if (wrapper.classList.contains('field--group')) return inputs.filter((i) => i.checked).map((i) => i.value);
  const input = inputs[0];
  if (!input) return undefined; // an error slot without a control (an action's refusal)
  if (input.type === 'checkbox') return input.checked;
  return input.value === '' ? null : input.value;
}

// Tracks edits: the save bar shows while the form differs from what was saved.
function watchChanges(form, saveBarId) {
  const show = () => window.shopify.saveBar.show(saveBarId);
  form.addEventListener('input', show);
  form.addEventListener('change', (event) => { if (event.isTrusted) show(); });
}

// The settings document of a form's fields: {section: {name: value}} (only the fields shown).
function formDocument(form) {
  const body = {};
  for (const wrapper of form.querySelectorAll('[data-field]')) {
    const [section, name] = wrapper.dataset.field.split('.');
    (body[section] ||= {})[name] = readField(wrapper);
  }
  return body;
}

// Each refused field's error beside it ("<label> <message>"), the first focused; the errors no
// field on the form shows are toasted. True when there were none.
function showFieldErrors(form, errors) {
  let first = null;
  for (const [key, message] of Object.entries(errors)) {
    const wrapper = [...form.querySelectorAll('[data-field]')].find((w) => w.dataset.field === key);
    if (wrapper) {
      const label = wrapper.querySelector('label, legend');
      showFieldError(wrapper, label ? `${label.textContent} ${message}` : message);
      first = first || wrapper;
    } else toast(`${key} ${message}`, true);
  }
  if (first) first.querySelector('input, select, button').focus();
  return !Object.keys(errors).length;
}

// Save a form's fields (PUT /api/settings: only those fields change). The stored settings when
// every field was saved; null when one was refused (its error shown by it) or the save failed.
async function saveFields(form, extra = {}) {
  clearFieldErrors(form);
  const button = form.querySelector('button[type="submit"]');
  if (button) button.disabled = true;
  try {
    const body = formDocument(form);
    for (const [section, values] of Object.entries(extra)) body[section] = Object.assign(body[section] || {}, values);
    const result = await api('/api/settings', { method: 'PUT', json: body });
    return showFieldErrors(form, result.errors || {}) ? (result.settings || result) : null;
  } catch (error) {
    const errors = (error.body && error.body.errors) || {};
    if (Object.keys(errors).length) showFieldErrors(form, errors);
    else toast(describeError(error), true);
    return null;
  } finally {
    if (button) button.disabled = false;
  }
}

// A form of one schema section's fields (`only`: which of them, in the schema's order), saved
// on its own; `onSaved(settings)` after a save that kept every field.
function sectionForm(section, values, { only = null, onSaved = null } = {}) {
  const specs = section.fields.filter((f) => !only || only.includes(f.name));
  const form = el('form', { className: 'step__form', novalidate: true },
    specs.map((spec) => buildField(Object.assign({}, spec, { name: `${section.name}.${spec.name}` }), values[spec.name])),
    el('div', { className: 'actions' }, el('button', { type: 'submit', className: 'button button--primary', text: 'Save' })));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const saved = await saveFields(form);
    if (!saved) return;
    toast('Settings saved');
    if (onSaved) onSaved(saved);
  });
  return form;
}

// The schema's section `name` and the stored settings.
async function loadSection(name) {
  const [schema, settings] = await Promise.all([api('/api/settings/schema'), api('/api/settings')]);
  return { section: schema.sections.find((s) => s.name === name), settings };
}
