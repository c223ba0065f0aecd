// Embedded page behaviour: every API call carries a fresh App Bridge session token.
async function api(path, options = {}) {
  const token = await window.shopify.idToken();
  const headers = Object.assign({ Authorization: 'Bearer ' + token }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || body.error || response.statusText);
  return body;
}

document.addEventListener('click', async function (event) {
  const button = event.target.closest('[data-action$="-quickbooks"]');
  if (!button) return;
  button.disabled = true;
  try {
    if (button.dataset.action === 'connect-quickbooks') {
      // Intuit's consent page cannot be framed: it opens in the top window.
      const { authorize_url } = await api('/api/quickbooks/connect', { method: 'POST' });
      window.open(authorize_url, '_top');
    } else if (button.dataset.action === 'disconnect-quickbooks') {
      await api('/api/quickbooks/disconnect', { method: 'POST' });
      window.location.reload();
    }
  } catch (error) {
    button.disabled = false;
    document.getElementById('message').textContent = error.message;
  }
});
