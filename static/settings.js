// The workflow settings and Sync now on the embedded page, built on /api/settings/schema (what
// each setting is: type, choices, label, help text, picker, step), /api/settings (the values),
// /api/lookups, /api/sync/sales and /api/runs. Every request carries a fresh session token
// (app.js `api`). No setting is described here: settings_schema.py declares them all.
const lookups = {};
const labels = {};

async function choicesFor(kind) {
  if (!lookups[kind]) {
    lookups[kind] = api('/api/lookups/' + kind).then((b) => b.choices).catch(() => []);
  }
  return lookups[kind];
}

function select(options, value, { multiple = false, blank = false } = {}) {
  const input = document.createElement('select');
  input.multiple = multiple;
  if (blank) input.add(new Option('—', ''));
  const chosen = (id) => (multiple ? (value || []).includes(id) : id === value);
  options.forEach((c) => input.add(new Option(c.name, c.id, false, chosen(c.id))));
  return input;
}

async function field(section, spec, value) {
  const row = document.createElement('label');
  row.className = 'field';
  row.append(spec.label + ' ');
  let input;
  if (spec.type === 'boolean') {
    input = Object.assign(document.createElement('input'), { type: 'checkbox', checked: value });
  } else if (spec.type === 'choices') {
    input = select(spec.choices, value, { multiple: true });
  } else if (spec.choices) {
    input = select(spec.choices, value, { blank: spec.nullable });
  } else if (spec.picker) {
    input = select(await choicesFor(spec.picker), value, { blank: true });
  } else {
    input = Object.assign(document.createElement('input'), { value: value ?? '' });
    if (spec.type === 'date') input.type = 'date';
    if (spec.max_length) input.maxLength = spec.max_length;
  }
  input.name = section + '.' + spec.name;
  labels[input.name] = spec.label;
  row.append(input);
  if (spec.help) {
    row.append(Object.assign(document.createElement('small'), { className: 'help',
      textContent: spec.help }));
  }
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
  const [schema, settings] = await Promise.all([api('/api/settings/schema'),
    api('/api/settings')]);
  for (const section of schema.sections) {
    const fieldset = document.createElement('fieldset');
    fieldset.append(Object.assign(document.createElement('legend'),
      { textContent: section.title }));
    for (const step of section.steps) {
      fieldset.append(Object.assign(document.createElement('h3'), { textContent: step.title }));
      for (const spec of section.fields.filter((f) => f.step === step.name)) {
        fieldset.append(await field(section.name, spec, settings[section.name][spec.name]));
      }
    }
    if (section.name === 'sync') {
      const terms = { name: 'accept_terms', type: 'boolean', label: 'I accept the terms of use',
        help: 'Needed before syncing every hour or as orders happen.' };
      fieldset.append(await field('sync', terms, settings.sync.terms_accepted_at !== null));
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
    : Object.entries(result.errors).map(([k, v]) => (labels[k] || k) + ' ' + v).join('; ');
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
