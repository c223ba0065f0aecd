// The preview of the next sync (POST /api/sync/sales/preview, then /api/runs/<id> until it ends,
// then GET /api/sync/sales/preview/<id>): what each of its first orders would become, or why it
// would be skipped or fail, with a link to where the cause is fixed. Nothing is posted.
const OUTCOME_LABELS = { post: 'Would post', fail: 'Would fail', skip: 'Skipped' };
const DOC_LABELS = { sales_receipt: 'Sales receipt', invoice: 'Invoice' };

function previewSummary(found) {
  const scope = found.orders_in_next_sync > found.previewed
    ? `The next sync would read ${found.orders_in_next_sync} orders; the first ${found.previewed} were checked: `
    : `The next sync would read ${found.previewed} order${found.previewed === 1 ? '' : 's'}: `;
  return scope + `${found.would_post} would post, ${found.would_fail} would fail, ${found.would_skip} would be skipped.`;
}

// An order that would post or be skipped (failures are shown by cause: failureGroup).
function previewLine(line) {
  const outcome = el('span', { className: 'badge badge--' + ({ post: 'success', fail: 'critical' }[line.outcome] || 'neutral'),
    text: OUTCOME_LABELS[line.outcome] || line.outcome });
  const main = el('div', { className: 'resource__main' }, el('h3', { className: 'resource__title' }, line.order, ' ', outcome));
  if (line.outcome === 'post') {
    main.append(el('p', { className: 'subdued', text: [DOC_LABELS[line.document_type] || line.document_type,
      line.doc_number ? 'no. ' + line.doc_number : null, `${line.total} ${line.currency}`,
      line.new_items && line.new_items.length ? `creates ${line.new_items.join(', ')}` : null].filter(Boolean).join(' · ') }));
  } else {
    main.append(el('p', { text: line.reason || '' })); // why it is skipped
  }
  return el('li', { className: 'resource' }, main);
}

// Orders failing for one cause, shown once: a cause is its fix (the reasons may differ by amount).
function failureGroups(lines) {
  const groups = new Map();
  for (const line of lines) {
    const key = line.fix || line.reason || '';
    if (!groups.has(key)) groups.set(key, { reason: line.reason, fix: line.fix, orders: [], reasons: new Set() });
    groups.get(key).orders.push(line.order);
    groups.get(key).reasons.add(line.reason);
  }
  return [...groups.values()].sort((a, b) => b.orders.length - a.orders.length);
}

function failureGroup(group) {
  const count = group.orders.length;
  const shown = group.orders.slice(0, 12).join(', ') + (count > 12 ? ` and ${count - 12} more` : '');
  const fix = fixPage(group);
  return el('li', { className: 'resource' },
    el('div', { className: 'resource__main' },
      el('h3', { className: 'resource__title' }, `${count} order${count === 1 ? '' : 's'} `,
        el('span', { className: 'badge badge--critical', text: 'Would fail' })),
      el('p', { text: (group.reasons.size > 1 ? 'For example: ' : '') + (group.reason || '') }),
      group.fix ? el('p', { className: 'subdued' }, el('strong', { text: 'Fix: ' }), group.fix) : null,
      el('p', { className: 'subdued', text: 'Orders: ' + shown })),
    el('div', { className: 'resource__actions' }, link(fix.page, FIX_LABELS[fix.page], fix.hash)));
}

function showPreview(box, body) {
  if (!body.preview) {
    box.replaceChildren(el('div', { className: 'banner banner--critical', role: 'alert' },
      el('p', { text: body.run.error || 'The preview could not be made. Try again.' })));
    return;
  }
  const found = body.preview;
  const failing = found.orders.filter((l) => l.outcome === 'fail');
  const posting = found.orders.filter((l) => l.outcome === 'post');
  const skipped = found.orders.filter((l) => l.outcome === 'skip');
  const group = (title, lines, open, items) => (lines.length ? el('details', { className: 'preview-group', open },
    el('summary', { text: `${title} (${lines.length})` }),
    el('ul', { className: 'resource-list' }, items || lines.map(previewLine))) : null);
  box.replaceChildren(
    el('p', { className: 'preview-summary', text: previewSummary(found) }),
    el('p', { className: 'subdued', text: `Previewed ${formatDate(body.run.finished_at)}. Nothing was posted.` }),
    group('Would fail', failing, true, failureGroups(failing).map(failureGroup)),
    group('Would post', posting, !failing.length), group('Skipped', skipped, false));
}

async function runPreview(button, box) {
  button.disabled = true;
  box.replaceChildren(el('p', { className: 'subdued', role: 'status', text: 'Previewing…' }));
  try {
    let run = await api('/api/sync/sales/preview', { method: 'POST' });
    while (['queued', 'running'].includes(run.status)) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      run = await api(`/api/runs/${run.id}`);
      const { done, total } = run.progress;
      box.firstElementChild.textContent = total ? `Previewing: ${done} of ${total} orders…` : 'Previewing…';
    }
    showPreview(box, await api(`/api/sync/sales/preview/${run.id}`));
    if (typeof renderSetup === 'function') renderSetup('preview');
  } catch (error) {
    box.replaceChildren(el('div', { className: 'banner banner--critical', role: 'alert' },
      el('p', { text: 'The preview could not be made: ' + describeError(error) })));
  } finally {
    button.disabled = false;
  }
}

async function showLatestPreview(box) {
  try {
    const latest = (await api('/api/runs')).runs.find((r) => r.dry_run && r.workflow === 'sales' &&
      !['queued', 'running'].includes(r.status));
    const body = latest ? await api(`/api/sync/sales/preview/${latest.id}`) : null;
    if (body && body.preview) showPreview(box, body); // an answer RQ let expire is not shown
  } catch (error) { /* no earlier preview to show */ }
}

function previewPanel() {
  const box = el('div', { className: 'preview-result', 'aria-live': 'polite' });
  const button = el('button', { type: 'button', className: 'button button--primary', text: 'Preview the next sync' });
  button.addEventListener('click', () => runPreview(button, box));
  showLatestPreview(box);
  return el('div', { className: 'preview' },
    el('p', { text: 'See what the next sync would post to QuickBooks, and what would fail and why — without posting anything.' }),
    el('div', { className: 'actions' }, button), box);
}
