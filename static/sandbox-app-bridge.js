// Sandbox stand-in for App Bridge's `shopify` global: idToken() as the Shopify admin provides it.
// Only served in sandbox mode; the real admin loads App Bridge from Shopify's CDN instead.
(function () {
  const shop = document.querySelector('meta[name="shopify-shop"]').content;
  window.shopify = {
    idToken: async function () {
      const response = await fetch('/sandbox/session-token?shop=' + encodeURIComponent(shop));
      return (await response.json()).token;
    },
  };
})();
