// Guided setup: the steps in order, each done or missing, with a link to where it is fixed.
// From GET /api/setup when the app serves it; otherwise worked out here from /api/status,
// /api/settings and the settings schema's steps.
const STEP_PAGES = { quickbooks: 'home', connect: 'home', connection: 'home', taxes: 'taxes',
  tax_mappings: 'taxes', gateways: 'taxes', gateway_mappings: 'taxes', history: 'history' };

function pageFor(step) {
  if (step.page && PAGE.links[step.page]) return step.page;
  return STEP_PAGES[step.name] || 'settings';
}

async function serverSteps() {
  const body = await api('/api/setup');
  return (body.steps || []).map((s) => ({
    name: s.name, title: s.title || s.label || s.name, page: pageFor(s),
    hash: s.step ? `#step-sales-${s.step}` : (s.anchor || ''),
    state: s.done ? 'done' : 'missing',
    detail: s.done ? (s.detail || '') : [].concat(s.missing || s.detail || []).join(' '),
  }));
}

async function localSteps() {
  const [status, settings, schema] = await Promise.all([api('/api/status'), api('/api/settings'),
    api('/api/settings/schema')]);
  const qbo = status.quickbooks;
  const steps = [{ name: 'quickbooks', title: 'Connect QuickBooks Online', page: 'home',
    state: qbo && qbo.status === 'connected' ? 'done' : 'missing',
    detail: qbo && qbo.status === 'connected' ? `Connected to ${qbo.company_name || 'your company'}.`
      : (qbo && qbo.reason) || 'Ledgerbridge needs a QuickBooks company to post to.' }];
  const sales = schema.sections.find((s) => s.name === 'sales');
  for (const step of sales.steps) {
    steps.push({ name: step.name, title: step.title, page: 'settings', hash: `#step-sales-${step.name}`,
      state: 'review', detail: 'Check these settings suit your books.' });
  }
  const unmappedTaxes = settings.tax_mappings.filter((t) => !t.qbo_tax_code_id).length;
  steps.push({ name: 'taxes', title: 'Match Shopify taxes to QuickBooks tax codes', page: 'taxes',
    state: settings.tax_mappings.length === 0 ? 'review' : (unmappedTaxes ? 'missing' : 'done'),
    detail: settings.tax_mappings.length === 0 ? 'No taxes seen on your orders yet.'
      : (unmappedTaxes ? `${unmappedTaxes} of ${settings.tax_mappings.length} taxes have no tax code.` : 'Every tax has a tax code.') });
  const unmappedGateways = settings.gateway_mappings.filter((g) => !g.qbo_clearing_account_id).length;
  steps.push({ name: 'gateways', title: 'Choose where each payment gateway deposits', page: 'taxes',
    state: settings.gateway_mappings.length === 0 || unmappedGateways ? 'review' : 'done',
    detail: settings.gateway_mappings.length === 0 ? 'No payment gateways seen on your orders yet.'
      : (unmappedGateways ? `${unmappedGateways} gateway${unmappedGateways === 1 ? '' : 's'} use the default deposit account.` : 'Every gateway has a deposit account.') });
  steps.push({ name: 'terms', title: 'Accept the terms of use', page: 'settings', hash: '#step-sync-schedule',
    state: settings.sync.terms_accepted_at ? 'done' : 'missing',
    detail: settings.sync.terms_accepted_at ? 'Accepted.' : 'Needed before orders are sent every hour or as they happen.' });
  steps.push({ name: 'enabled', title: 'Turn on sending orders', page: 'settings', hash: '#step-sales-orders',
    state: settings.sales.enabled ? 'done' : 'missing',
    detail: settings.sales.enabled ? 'Orders are sent to QuickBooks.' : 'Nothing is sent until you turn this on.' });
  return steps;
}

const STATE_LABEL = { done: 'Done', missing: 'To do', review: 'Review' };
const STATE_TONE = { done: 'success', missing: 'attention', review: 'neutral' };

async function renderSetup() {
  const list = document.getElementById('setup-steps');
  const summary = document.getElementById('setup-summary');
  let steps;
  try {
    steps = PAGE.apis.setup ? await serverSteps() : await localSteps();
  } catch (error) {
    summary.textContent = 'Setup could not be checked: ' + describeError(error);
    return;
  }
  const done = steps.filter((s) => s.state === 'done').length;
  const todo = steps.filter((s) => s.state === 'missing').length;
  summary.textContent = todo ? `${todo} step${todo === 1 ? '' : 's'} to do · ${done} done`
    : `Everything required is done (${done} steps).`;
  list.replaceChildren(...steps.map((s) => el('li', { className: 'step step--' + s.state },
    el('span', { className: 'step__icon', 'aria-hidden': 'true', text: s.state === 'done' ? '✓' : '' }),
    el('div', { className: 'step__main' },
      el('h3', { className: 'step__title' }, s.title, ' ',
        el('span', { className: 'badge badge--' + STATE_TONE[s.state], text: STATE_LABEL[s.state] })),
      s.detail ? el('p', { className: 'subdued', text: s.detail }) : null),
    el('div', { className: 'step__action' },
      Object.assign(link(s.page, s.state === 'done' ? 'View' : 'Fix', s.hash || ''),
        { ariaLabel: (s.state === 'done' ? 'View: ' : 'Fix: ') + s.title })))));
}

document.addEventListener('DOMContentLoaded', renderSetup);
