// Live preview only (python -m generator serve): reload the page after a successful rebuild.
// Asks the preview server's /__build (same origin: allowed by connect-src 'self'), which answers as soon as
// a rebuild ends.
(function () {
  "use strict";
  var seen = null;
  var banner = null;

  function show(message) {
    if (!banner) {
      banner = document.createElement("div");
      banner.setAttribute("role", "alert");
      banner.className = "ss-preview-error";
      banner.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:1000;padding:.6rem 1rem;" +
        "background:#b71c1c;color:#fff;font:13px/1.4 monospace;white-space:pre-wrap;max-height:40vh;overflow:auto";
      document.body.appendChild(banner);
    }
    banner.textContent = message;
  }

  function hide() {
    if (banner) { banner.remove(); banner = null; }
  }

  // the server answers at once the first time, then holds each request until a rebuild (or 25 s)
  function poll() {
    // the page's path: serve makes the pages open in a browser first after an edit
    var url = "/__build?page=" + encodeURIComponent(location.pathname) + (seen === null ? "" : "&since=" + seen);
    fetch(url, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (state) {
      if (seen === null) seen = state.build;
      else if (state.build !== seen) { location.reload(); return; }
      if (state.error) show(state.error); else hide();
      setTimeout(poll, 0);
    }).catch(function () { setTimeout(poll, 1000); /* the preview server is restarting or stopped */ });
  }

  poll();
})();
