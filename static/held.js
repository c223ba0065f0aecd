// The stock update the guard held, at the top of Home and Stock (templates/_held_banner.html):
// Review and apply opens the App Bridge modal; confirming it (POST /api/inventory/confirm) queues
// the run that applies the update once, whose progress the banner shows until it ends.
async function followHeld(run) {
  const banner = document.getElementById('held-banner');
  const done = await followRun(run, document.getElementById('held-progress'));
  const failed = done.status === 'failed';
  banner.className = 'banner ' + (failed ? 'banner--critical' : 'banner--success');
  banner.setAttribute('role', failed ? 'alert' : 'status');
  banner.replaceChildren(el('p', { text: failed
    ? 'The stock update was not applied: ' + (done.error || 'see History') + ' Reload the page to see where it stands.'
    : 'Stock update applied: ' + describeRun(done) + '.' }));
  document.dispatchEvent(new CustomEvent('stock-run-finished', { detail: done }));
}

async function applyHeld() {
  const banner = document.getElementById('held-banner');
  const confirm = document.getElementById('confirm-held');
  confirm.disabled = true;
  try {
    const run = await api('/api/inventory/confirm', { method: 'POST', json: { run_id: Number(banner.dataset.run) } });
    window.shopify.modal.hide('held-modal');
    banner.querySelector('[data-action="review-held"]').disabled = true;
    await followHeld(run);
  } catch (error) {
    window.shopify.modal.hide('held-modal');
    toast(describeError(error), true);
  } finally {
    confirm.disabled = false;
  }
}

document.addEventListener('DOMContentLoaded', async () => {
  const banner = document.getElementById('held-banner');
  if (!banner) return;
  document.getElementById('confirm-held').addEventListener('click', applyHeld);
  document.getElementById('cancel-held').addEventListener('click', () => window.shopify.modal.hide('held-modal'));
  banner.addEventListener('click', (event) => {
    if (event.target.closest('[data-action="review-held"]')) window.shopify.modal.show('held-modal');
  });
  if (banner.hasAttribute('data-confirmed')) { // confirmed: follow the run applying it
    const active = (await runsOf('inventory')).find((r) => !r.dry_run && ACTIVE.includes(r.status));
    if (active) followHeld(active);
  }
});

// Open this page again (its server-rendered parts new) with a fresh session token: the one in
// the address lasts a minute.
async function reloadWithToken() {
  const url = new URL(window.location.href);
  url.searchParams.set('id_token', await window.shopify.idToken());
  window.location.replace(url.toString());
}
