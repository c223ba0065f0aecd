// Guided setup (GET /api/setup): the steps in the order a merchant thinks, each done or missing
// what. A step opens to its own settings — the API names them, the settings schema describes
// them — and saves them on its own; connecting QuickBooks, the preview and the terms are actions
// taken here. The first step still to do is open.
let fieldSpecs = {}; // "section.name" → the schema's description of that setting
let values = null; // /api/settings
const STATES = { done: ['Done', 'success'], missing: ['To do', 'attention'], optional: ['Optional', 'neutral'] };

function stateOf(step) {
  if (step.done) return 'done';
  return step.required ? 'missing' : 'optional';
}

async function loadSetup() {
  const [setup, schema, settings] = await Promise.all([api('/api/setup'),
    api('/api/settings/schema'), api('/api/settings')]);
  fieldSpecs = {};
  for (const section of schema.sections) {
    for (const spec of section.fields) fieldSpecs[`${section.name}.${spec.name}`] = spec;
  }
  values = settings;
  return setup;
}

function termsField() {
  if (values.sync.terms_accepted_at) return null;
  return buildField({ name: 'sync.accept_terms', type: 'boolean', label: 'I accept the terms of use',
    help: 'Needed before orders are sent every hour or as they happen.' }, false);
}

function stepFields(step) {
  const fields = step.fields.filter((key) => fieldSpecs[key]).map((key) => {
    const [section, name] = key.split('.');
    return buildField(Object.assign({}, fieldSpecs[key], { name: key }), values[section][name]);
  });
  if (step.action === 'terms') {
    fields.unshift(el('p', {}, el('a', { href: '/terms', target: '_blank', rel: 'noopener',
      text: 'Read the terms of use' }), ' (opens in a new tab).'));
    const accept = termsField();
    fields.push(accept || el('p', { className: 'subdued',
      text: `Accepted on ${formatDate(values.sync.terms_accepted_at)}.` }));
  }
  return fields;
}

function stepAction(step) {
  if (step.action === 'connect') {
    if (step.done) return null;
    return el('div', {}, el('div', { className: 'actions' }, el('button', { type: 'button',
      className: 'button button--primary', 'data-action': 'connect-quickbooks',
      text: 'Connect to QuickBooks' })),
    el('p', { className: 'subdued', id: 'connect-help', hidden: true,
      text: 'QuickBooks sign-in opened in a new tab. Finish there, then come back here: this page updates by itself.' }));
  }
  if (step.action === 'preview') return previewPanel();
  if (step.action === 'page' && PAGE.links[step.page]) {
    // The step is finished on its page (a preview to look through, a confirmation to give).
    return el('div', { className: 'actions' }, el('a', { className: 'button button--primary',
      href: PAGE.links[step.page], text: `Continue on the ${PAGE.titles[step.page]} page` }));
  }
  return null;
}

function stepBody(step) {
  const body = el('div', { className: 'step__body' });
  if (step.missing.length) {
    body.append(el('ul', { className: 'step__missing' }, step.missing.map((m) => el('li', { text: m }))));
  } else if (step.note) body.append(el('p', { className: 'subdued', text: step.note }));
  const action = stepAction(step);
  if (action) body.append(action);
  const fields = stepFields(step);
  const buttons = el('div', { className: 'actions' });
  if (fields.length && fields.some((f) => f.matches('[data-field]'))) {
    const form = el('form', { className: 'step__form', novalidate: true }, fields, buttons);
    form.addEventListener('submit', (event) => { event.preventDefault(); saveStep(step, form); });
    buttons.append(el('button', { type: 'submit', className: 'button button--primary', text: 'Save' }));
    body.append(form);
  } else {
    body.append(...fields, buttons);
  }
  if (step.page && PAGE.links[step.page] && step.action !== 'page') buttons.append(link(step.page, FIX_LABELS[step.page]));
  return body;
}

function renderStep(step, open) {
  const state = stateOf(step);
  const [label, tone] = STATES[state];
  const details = el('details', { className: 'step step--' + state, id: 'step-' + step.id, open },
    el('summary', {},
      el('span', { className: 'step__icon', 'aria-hidden': 'true', text: step.done ? '✓' : '' }),
      el('span', { className: 'step__title', text: step.title }),
      el('span', { className: 'badge badge--' + tone, text: label })),
    stepBody(step));
  return el('li', {}, details);
}

async function renderSetup(openId) {
  const list = document.getElementById('setup-steps');
  const summary = document.getElementById('setup-summary');
  let setup;
  try {
    setup = await loadSetup();
  } catch (error) {
    summary.textContent = 'Setup could not be checked: ' + describeError(error);
    return;
  }
  const steps = setup.steps;
  const done = steps.filter((s) => s.done).length;
  const todo = steps.filter((s) => !s.done && s.required).length;
  summary.textContent = todo ? `${todo} required step${todo === 1 ? '' : 's'} to do · ${done} of ${steps.length} done`
    : `Everything required is done (${done} of ${steps.length} steps).`;
  const bar = document.getElementById('setup-progress');
  const percent = Math.round((done / steps.length) * 100);
  bar.setAttribute('aria-valuenow', String(percent));
  bar.firstElementChild.style.width = percent + '%';
  const hashed = location.hash.startsWith('#step-') ? location.hash.slice(6) : null;
  const current = openId || hashed || (steps.find((s) => !s.done && s.required) || steps.find((s) => !s.done) || {}).id;
  list.replaceChildren(...steps.map((s) => renderStep(s, s.id === current)));
  if (openId || hashed) document.getElementById('step-' + current)?.scrollIntoView({ block: 'nearest' });
}

async function saveStep(step, form) {
  if (!(await saveFields(form))) return;
  toast(`${step.title}: saved`);
  await renderSetup();
}

document.addEventListener('DOMContentLoaded', () => renderSetup());
