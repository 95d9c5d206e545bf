// Material fetches the whole search index (megabytes at thousands of papers) as soon as any page
// loads. This holds that one request until the reader opens search: focus or click on the search
// box, material's keyboard shortcuts, or a page opened with a query (?q=). Loaded in <head>, before
// material's bundle; every other request passes through untouched.
(function () {
  "use strict";
  var proto = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  if (!proto) return;
  var INDEX = /\/search\/search_index\.json(?:[?#]|$)/;
  var released = /[?&]q=/.test(window.location.search);
  var pending = [];
  var open = proto.open;
  var send = proto.send;

  proto.open = function (method, url) {
    this.ssDeferred = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  proto.send = function () {
    var xhr = this;
    var args = arguments;
    if (xhr.ssDeferred && !released) {
      pending.push(function () { send.apply(xhr, args); });
      return undefined;
    }
    return send.apply(xhr, args);
  };

  function release() {
    if (released) return;
    released = true;
    pending.splice(0).forEach(function (go) { go(); });
  }

  document.addEventListener("focusin", function (ev) {
    if (ev.target && ev.target.matches && ev.target.matches(".md-search__input")) release();
  }, true);
  document.addEventListener("pointerdown", function (ev) {
    if (ev.target && ev.target.closest && ev.target.closest("label[for='__search'], .md-search")) release();
  }, true);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "/" || ev.key === "s" || ev.key === "f" || ev.key === "S" || ev.key === "F") release();
  }, true);
  document.addEventListener("change", function (ev) {
    if (ev.target && ev.target.id === "__search" && ev.target.checked) release();
  }, true);
})();
