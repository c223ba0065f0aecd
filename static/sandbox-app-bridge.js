// Sandbox stand-in for App Bridge's `shopify` global, served only in sandbox mode (the real
// admin loads App Bridge from Shopify's CDN, which the sandbox cannot reach). It answers the
// calls the pages make, locally: idToken() from the sandbox's token route; toast.show() as a
// local toast; saveBar.show/hide() as a bar built from <ui-save-bar>; modal.show/hide() as a
// <dialog> built from <ui-modal>; <ui-nav-menu> and <ui-title-bar> drawn as local links and a
// heading where the admin would draw them (the page's own heading, shown in sandbox mode).
(function () {
  const shop = document.querySelector('meta[name="shopify-shop"]').content;

  function toastRegion() {
    let region = document.getElementById('local-toasts');
    if (!region) {
      region = document.createElement('div');
      region.id = 'local-toasts';
      region.className = 'toasts';
      region.setAttribute('aria-live', 'polite');
      document.body.append(region);
    }
    return region;
  }

  const saveBars = {};
  function saveBar(id) {
    if (saveBars[id]) return saveBars[id];
    const source = document.getElementById(id);
    const bar = document.createElement('div');
    bar.className = 'local-save-bar';
    bar.setAttribute('role', 'region');
    bar.setAttribute('aria-label', 'Unsaved changes');
    bar.hidden = true;
    const text = document.createElement('p');
    text.textContent = 'Unsaved changes';
    const actions = document.createElement('div');
    actions.className = 'actions';
    // The real buttons move into the bar, so their click listeners keep working.
    [...source.querySelectorAll('button')].reverse().forEach((button) => {
      if (!button.textContent.trim()) button.textContent = button.getAttribute('variant') === 'primary' ? 'Save' : 'Discard';
      button.type = 'button';
      button.className = 'button' + (button.getAttribute('variant') === 'primary' ? ' button--primary' : '');
      actions.append(button);
    });
    bar.append(text, actions);
    document.body.prepend(bar);
    saveBars[id] = bar;
    return bar;
  }

  const dialogs = {};
  function dialog(id) {
    if (dialogs[id]) return dialogs[id];
    const source = document.getElementById(id);
    const titleBar = source.querySelector('ui-title-bar');
    const box = document.createElement('dialog');
    box.className = 'local-modal';
    const heading = document.createElement('h2');
    heading.id = id + '-title';
    heading.textContent = titleBar ? titleBar.getAttribute('title') : '';
    box.setAttribute('aria-labelledby', heading.id);
    const body = document.createElement('div');
    body.className = 'local-modal__body';
    [...source.children].filter((c) => c !== titleBar).forEach((c) => body.append(c));
    const actions = document.createElement('div');
    actions.className = 'actions';
    if (titleBar) {
      [...titleBar.querySelectorAll('button')].reverse().forEach((button) => {
        const primary = button.getAttribute('variant') === 'primary';
        const critical = button.getAttribute('tone') === 'critical';
        button.type = 'button';
        button.className = 'button' + (primary ? (critical ? ' button--critical' : ' button--primary') : '');
        actions.append(button);
      });
    }
    box.append(heading, body, actions);
    document.body.append(box);
    dialogs[id] = box;
    return box;
  }

  function drawChrome() {
    // <ui-nav-menu> is drawn as local links by CSS (.local-nav), server-side: no layout shift.
    document.querySelectorAll('ui-title-bar').forEach((bar) => {
      if (bar.closest('ui-modal')) return;
      bar.hidden = true;
    });
  }

  window.shopify = {
    config: { shop },
    idToken: async function () {
      const response = await fetch('/sandbox/session-token?shop=' + encodeURIComponent(shop));
      return (await response.json()).token;
    },
    toast: {
      show(message, options = {}) {
        const item = document.createElement('div');
        item.className = 'local-toast' + (options.isError ? ' local-toast--error' : '');
        item.setAttribute('role', options.isError ? 'alert' : 'status');
        item.textContent = message;
        toastRegion().append(item);
        setTimeout(() => item.remove(), options.duration || 5000);
      },
    },
    saveBar: {
      show(id) { saveBar(id).hidden = false; return Promise.resolve(); },
      hide(id) { saveBar(id).hidden = true; return Promise.resolve(); },
    },
    modal: {
      show(id) { dialog(id).showModal(); return Promise.resolve(); },
      hide(id) { dialog(id).close(); return Promise.resolve(); },
    },
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', drawChrome);
  else drawChrome();
})();
