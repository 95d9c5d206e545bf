// The site's search (issue 17): the header's button opens a dialog (overrides/partials/header.html);
// the first time it opens, Pagefind's pagefind.js is imported from this language's pagefind/ bundle
// (generator/site/search.py), and each query fetches only the index chunks and result fragments it
// needs. Keys: / or s opens it from anywhere but a text field, Esc closes it (the dialog's own),
// ↑ ↓ move between the box and the results, Enter in the box opens the first result. Result
// texts are set as text, never as HTML.
(function () {
  "use strict";
  var dialog = document.getElementById("ss-search");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var input = dialog.querySelector(".ss-search__input");
  var list = dialog.querySelector(".ss-search-results");
  var status = dialog.querySelector(".ss-search__status");
  var form = dialog.querySelector("form");
  var MAX = 10;
  var bundle = new URL(dialog.getAttribute("data-bundle"), document.baseURI);
  var loading = null;
  var asked = 0;
  // Han characters are indexed one by one, a thin space between them (generator/site/search.py): a run
  // of them is asked for as the phrase of its characters, and the thin spaces are taken out of what shows
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var RUN = new RegExp("[" + HAN + "]{2,}", "g");
  var THIN = /\u2009/g;
  var INSIDE = new RegExp("([" + HAN + "]) </mark>", "g"); // Pagefind marks "语 " with its space
  var CJK = HAN + "\\u3000-\\u303f\\uff00-\\uffef"; // with the ideographic punctuation
  var APART = new RegExp("([" + CJK + "](?:</mark>)?) (?=(?:<mark>)?[" + CJK + "])", "g");

  function asked_for(query) {
    var runs = query.match(RUN);
    if (!runs) return query;
    var spaced = function (run) { return run.split("").join(" "); };
    if (runs.length === 1 && runs[0] === query) return "\"" + spaced(query) + "\"";
    return query.replace(RUN, spaced);
  }

  function say(name, values) {
    var text = dialog.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }

  function load() {
    if (!loading) {
      loading = import(new URL("pagefind.js", bundle).href).then(function (pf) {
        // the index's URLs are from the language folder ("/papers/x/"); the pages are under it
        return pf.options({ baseUrl: new URL("..", bundle).pathname, excerptLength: 24 }).then(function () {
          return pf.init();
        }).then(function () { return pf; });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function open() {
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    load().catch(function () { status.textContent = say("failed"); });
    if (input.value.trim()) run();
  }

  // Pagefind's excerpt is text with <mark> around the words found; rebuilt here as text nodes and marks
  function excerpt(into, html) {
    // Pagefind gives the characters' spacing back as plain spaces, and letters decomposed (š as s + ˇ)
    var parts = String(html || "").replace(THIN, "").replace(INSIDE, "$1</mark> ").replace(APART, "$1").split("</mark><mark>").join("").normalize("NFC").split(/<(\/?)mark>/);
    var marked = false;
    var decode = document.createElement("textarea");
    for (var i = 0; i < parts.length; i++) {
      if (i % 2 === 1) { marked = parts[i] !== "/"; continue; }
      if (!parts[i]) continue;
      decode.innerHTML = parts[i]; // a textarea's content is never parsed as markup: entities only
      var text = document.createTextNode(decode.value);
      if (marked) {
        var m = document.createElement("mark");
        m.appendChild(text);
        into.appendChild(m);
      } else {
        into.appendChild(text);
      }
    }
  }

  function show(query, found, items) {
    list.textContent = "";
    items.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.url;
      a.className = "ss-search-result";
      var title = document.createElement("span");
      title.className = "ss-search-result__title";
      title.textContent = ((r.meta && r.meta.title) || r.url).replace(THIN, "");
      var text = document.createElement("span");
      text.className = "ss-search-result__text";
      excerpt(text, r.excerpt);
      a.appendChild(title);
      a.appendChild(text);
      li.appendChild(a);
      list.appendChild(li);
    });
    var words = found === 0 ? say("none", { q: query }) : found === 1 ? say("one") : say("many", { n: found });
    status.textContent = found > items.length ? words + " " + say("more", { shown: items.length }) : words;
  }

  function run() {
    var query = input.value.trim();
    var mine = ++asked;
    if (!query) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    status.textContent = say("loading");
    load().then(function (pf) {
      return pf.debouncedSearch(asked_for(query), {}, 120);
    }).then(function (search) {
      if (search === null || mine !== asked) return null; // a later query took its place
      return Promise.all(search.results.slice(0, MAX).map(function (r) { return r.data(); })).then(function (items) {
        if (mine === asked) show(query, search.results.length, items);
      });
    }).catch(function () {
      if (mine === asked) status.textContent = say("failed");
    });
  }

  function editable(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function stops() {
    return [input].concat(Array.prototype.slice.call(list.querySelectorAll("a")));
  }

  document.querySelectorAll(".ss-search-open").forEach(function (button) {
    button.addEventListener("click", function () { open(); });
  });
  dialog.querySelector(".ss-search__close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("click", function (ev) {
    if (ev.target === dialog) dialog.close(); // a click on the backdrop, outside the box
  });
  input.addEventListener("input", run);
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var first = list.querySelector("a");
    if (first) first.click();
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing) return;
    if (!dialog.open) {
      if ((ev.key === "/" || ev.key === "s" || ev.key === "S") && !editable(ev.target)) {
        ev.preventDefault();
        ev.stopImmediatePropagation(); // material's own shortcuts for its (absent) search
        open();
      }
      return;
    }
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
    var all = stops();
    var at = all.indexOf(document.activeElement);
    if (at < 0 || all.length < 2) return;
    ev.preventDefault();
    var next = ev.key === "ArrowDown" ? Math.min(at + 1, all.length - 1) : Math.max(at - 1, 0);
    all[next].focus();
  }, true);
})();
