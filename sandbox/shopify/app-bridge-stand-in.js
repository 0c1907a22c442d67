// A stand-in for Shopify's App Bridge script, served by the sandbox admin and
// loaded by the app (APP_BRIDGE_URL) when it runs inside the sandbox's admin
// frame. The real script cannot be loaded on our machines. It does what the app
// relies on, the way App Bridge does:
//   - `shopify.idToken()` asks the admin (the parent frame) for a fresh session token;
//   - same-origin `fetch` calls carry `Authorization: Bearer <session token>`, and a
//     401 marked X-Shopify-Retry-Invalid-Session-Request is retried once;
//   - the session-token bounce page (`shopify-reload`) gets a token and goes on;
//   - links in <ui-nav-menu> are shown in the admin's navigation, and a click
//     there fires `shopify:navigate` in the app;
//   - `shopify.toast.show()` shows a message.
/* global window, document, location, Headers, Request, URLSearchParams, setTimeout, addEventListener, MutationObserver, CustomEvent */
(() => {
  const script = document.currentScript;
  const adminOrigin = new URL(script.src).origin;
  const params = new URLSearchParams(location.search);
  // App Bridge's elements describe the admin's chrome; they are not shown in the app.
  const style = document.createElement("style");
  style.textContent = "ui-nav-menu,ui-title-bar,ui-save-bar{display:none}";
  document.head.append(style);
  const pending = new Map();
  let nextRequest = 1;

  addEventListener("message", (event) => {
    if (event.origin !== adminOrigin || !event.data || typeof event.data !== "object") return;
    const message = event.data;
    if (message.type === "sandbox-app-bridge:id-token") {
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.idToken) waiting.resolve(message.idToken);
      else waiting.reject(new Error(message.error || "no session token"));
    }
    if (message.type === "sandbox-app-bridge:navigate") {
      const link = [...document.querySelectorAll("ui-nav-menu a")].find((a) => a.getAttribute("href") === message.href);
      if (link) link.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
    }
  });

  function idToken() {
    if (window.parent === window) return Promise.reject(new Error("The app is not inside the sandbox admin."));
    return new Promise((resolve, reject) => {
      const id = nextRequest++;
      pending.set(id, { resolve, reject });
      window.parent.postMessage({ type: "sandbox-app-bridge:id-token-request", id }, adminOrigin);
      setTimeout(() => {
        if (pending.delete(id)) reject(new Error("The sandbox admin did not answer with a session token."));
      }, 5000);
    });
  }

  const originalFetch = window.fetch.bind(window);
  async function authenticatedFetch(input, init, retried) {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (url.origin !== location.origin) return originalFetch(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set("Authorization", `Bearer ${await idToken()}`);
    const response = await originalFetch(input, { ...init, headers });
    if (!retried && response.status === 401 && response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
      return authenticatedFetch(input, init, true);
    }
    return response;
  }
  window.fetch = (input, init) => authenticatedFetch(input, init, false);

  const toastArea = () => {
    let area = document.getElementById("sandbox-app-bridge-toasts");
    if (!area) {
      area = document.createElement("div");
      area.id = "sandbox-app-bridge-toasts";
      area.setAttribute("role", "status");
      area.style.cssText = "position:fixed;bottom:16px;left:50%;transform:translateX(-50%);z-index:1000;display:grid;gap:8px";
      document.body.append(area);
    }
    return area;
  };

  window.shopify = {
    config: { apiKey: script.dataset.apiKey, shop: params.get("shop"), host: params.get("host"), locale: params.get("locale") || "en" },
    environment: { embedded: true, mobile: false, pos: false },
    origin: adminOrigin,
    idToken,
    loading: () => {},
    toast: {
      show(message, options = {}) {
        const toast = document.createElement("div");
        toast.textContent = message;
        toast.style.cssText = `background:${options.isError ? "#8e1f0b" : "#1a1a1a"};color:#fff;padding:10px 16px;border-radius:8px;font:14px system-ui`;
        toastArea().append(toast);
        setTimeout(() => toast.remove(), options.duration || 5000);
        return String(Date.now());
      },
      hide() {},
    },
  };

  // The session-token bounce page: get a token, then go back where the app was going.
  const reload = params.get("shopify-reload");
  if (reload) {
    idToken().then((token) => {
      const target = new URL(reload, location.href);
      if (target.origin !== location.origin) return;
      target.searchParams.set("id_token", token);
      location.replace(target.href);
    });
  }

  // Navigation items, shown in the admin's side bar.
  let published = "";
  const publishNav = () => {
    const items = [...document.querySelectorAll("ui-nav-menu a")].map((a) => ({ href: a.getAttribute("href"), label: a.textContent?.trim() ?? "", rel: a.getAttribute("rel") }));
    const message = { type: "sandbox-app-bridge:nav", items, title: document.title };
    if (JSON.stringify(message) === published) return;
    published = JSON.stringify(message);
    window.parent.postMessage(message, adminOrigin);
  };
  const watch = () => {
    publishNav();
    new MutationObserver(publishNav).observe(document.body, { childList: true, subtree: true, characterData: true });
  };
  if (window.parent !== window) {
    if (document.readyState === "loading") addEventListener("DOMContentLoaded", watch);
    else watch();
  }
})();
