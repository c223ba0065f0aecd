// A page opened inside the admin without a session token: ask App Bridge for one and reload.
(async function () {
  const url = new URL(window.location.href);
  url.searchParams.set('id_token', await window.shopify.idToken());
  window.location.replace(url.toString());
})();
