// Site behaviour, as progressive enhancement of plain HTML tables and chart data:
// sortable tables, leaderboard filters, plotly charts that follow the light/dark palette.
// Runs on every page view, including material's instant navigation (document$).
(function () {
  "use strict";

  var plotly = null; // a promise, once the bundle is requested

  function loadPlotly(src) {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotly) {
      plotly = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () { resolve(window.Plotly); };
        s.onerror = function () { plotly = null; reject(new Error("cannot load " + src)); };
        document.head.appendChild(s);
      });
    }
    return plotly;
  }

  function colours() {
    var css = getComputedStyle(document.body);
    var fg = css.getPropertyValue("--md-default-fg-color").trim() || "#333";
    var grid = css.getPropertyValue("--md-default-fg-color--lightest").trim() || "#ddd";
    return { fg: fg, grid: grid };
  }

  function themed(layout) {
    var c = colours();
    var out = JSON.parse(JSON.stringify(layout));
    out.paper_bgcolor = "rgba(0,0,0,0)";
    out.plot_bgcolor = "rgba(0,0,0,0)";
    out.font = Object.assign({}, out.font || {}, { color: c.fg });
    ["xaxis", "yaxis"].forEach(function (axis) {
      out[axis] = Object.assign({}, out[axis] || {}, { gridcolor: c.grid, zerolinecolor: c.grid, linecolor: c.grid });
    });
    return out;
  }

  // Each chart arrives as a static SVG drawing (light, readable without JavaScript). It becomes the
  // interactive plotly chart when the reader points at it, taps it or focuses it: plotly's 1.2 MB
  // never blocks the first paint, and is fetched only on pages with a chart, once.
  function upgrade(node) {
    if (node.ssUpgrading) return;
    node.ssUpgrading = true;
    // the figure is a JSON file beside the page, fetched only now: the page itself stays light
    var src = node.getAttribute("data-figure-src");
    if (!src) return;
    var figure = fetch(new URL(src, window.location.href).href).then(function (r) {
      if (!r.ok) throw new Error("cannot load " + src);
      return r.json();
    });
    Promise.all([loadPlotly(node.getAttribute("data-plotly")), figure]).then(function (got) {
      var Plotly = got[0], fig = got[1];
      var target = document.createElement("div");
      target.className = "ss-plot";
      node.ssFigure = fig;
      node.ssPlot = target;
      node.insertBefore(target, node.firstChild);
      return Plotly.newPlot(target, fig.data, themed(fig.layout), {
        responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"]
      }).then(function () {
        var svg = node.querySelector("svg.ss-svg");
        if (svg) svg.remove();
        node.setAttribute("data-rendered", "true");
        target.on("plotly_click", function (ev) {
          var point = ev && ev.points && ev.points[0];
          if (point && typeof point.customdata === "string") {
            window.location.href = new URL(point.customdata, window.location.href).href;
          }
        });
      });
    }).catch(function (err) { node.ssUpgrading = false; console.warn(err.message); });
  }

  function setupCharts() {
    document.querySelectorAll(".ss-chart").forEach(function (node) {
      if (node.ssReady) return;
      node.ssReady = true;
      var go = function () { upgrade(node); };
      ["pointerenter", "focusin", "touchstart"].forEach(function (type) {
        node.addEventListener(type, go, { once: true, passive: true });
      });
    });
  }

  function restyleCharts() {
    if (!window.Plotly) return;
    document.querySelectorAll(".ss-chart[data-rendered]").forEach(function (node) {
      if (node.ssFigure && node.ssPlot) window.Plotly.relayout(node.ssPlot, themed(node.ssFigure.layout));
    });
  }

  // A long board (render/pages.py BOARD_CLIP) has its first rows on its page and every row in the file its
  // "show all" link names (rows.html): 856 rows in the page cost a phone seconds of layout on load. The rest
  // is fetched once, when the reader asks for all rows, filters or sorts; the table then says so with an
  // "ss-rows" event (the filters, the sort and compare.js listen). A promise, or null when there is no rest.
  function restRows(table) {
    if (table.ssRest !== undefined) return table.ssRest;
    var link = table.id && document.querySelector('a[data-show-all="' + table.id + '"]');
    if (!link) return (table.ssRest = null);
    table.ssRest = fetch(link.href).then(function (r) {
      if (!r.ok) throw new Error("cannot load " + link.href + ": " + r.status);
      return r.text();
    }).then(function (text) {
      var all = new DOMParser().parseFromString(text, "text/html").querySelector("tbody");
      var body = table.tBodies[0], rows = document.createDocumentFragment();
      Array.prototype.slice.call(all ? all.rows : [], body.rows.length).forEach(function (row) {
        rows.appendChild(document.adoptNode(row));
      });
      body.appendChild(rows);
      table.dispatchEvent(new CustomEvent("ss-rows"));
    });
    table.ssRest.catch(function (err) {
      table.ssRest = undefined;  // asked again, it is fetched again
      console.warn(err.message);
    });
    return table.ssRest;
  }

  function sortTables() {
    if (typeof window.Tablesort !== "function") return;
    document.querySelectorAll("table[data-sortable]").forEach(function (table) {
      if (table.ssSort) return;
      table.ssSort = new window.Tablesort(table);
      // a click on a heading sorts every row: a long board's rest is fetched and sorted in when it comes
      if (table.tHead) ["click", "keydown"].forEach(function (type) {
        table.tHead.addEventListener(type, function (ev) { if (type === "click" || ev.key === "Enter") restRows(table); });
      });
      table.addEventListener("ss-rows", function () { table.ssSort.refresh(); });
    });
  }

  function setupFilters() {
    document.querySelectorAll("form.ss-filters[data-table]").forEach(function (form) {
      var table = document.getElementById(form.getAttribute("data-table"));
      if (!table || form.ssReady) return;
      form.ssReady = true;
      form.hidden = false;
      var rows;
      // the rank is its own element: the cell also holds the row's compare checkbox (compare.js)
      function rankOf(row) { return row.cells[0].querySelector(".ss-rank") || row.cells[0]; }
      function readRows() {
        rows = Array.prototype.slice.call(table.tBodies[0].rows);
        rows.forEach(function (row) {
          if (!row.ssRank) row.ssRank = [rankOf(row).textContent, row.cells[0].getAttribute("data-sort")];
        });
      }
      readRows();
      table.addEventListener("ss-rows", function () { readRows(); apply(); });
      // the board's rows, those not fetched yet (restRows) included
      var total = +table.getAttribute("data-rows") || rows.length;
      var output = form.querySelector("output");
      var template = table.getAttribute("data-label-shown") || "{shown} / {total}";
      var empty = form.querySelector(".ss-view-empty");
      var more = document.querySelector('[data-show-all="' + table.id + '"]');  // a long board's "show all"
      // a comparable view: the rows whose classes (data-eval, data-data, given by the corpus) it lists, with
      // their ranks within it (data-rank-<view>); the board's own ranks come back with "all results"
      function inView(row, view) {
        if (!view || !view.value) return true;
        return (view.getAttribute("data-eval") || "").split(" ").indexOf(row.getAttribute("data-eval")) !== -1 &&
          (view.getAttribute("data-data") || "").split(" ").indexOf(row.getAttribute("data-data")) !== -1;
      }
      function apply() {
        var view = form.querySelector("input[name=view]:checked");
        var q = (form.elements.q.value || "").trim().toLowerCase();
        var hideExtra = form.elements.extra.checked;
        var hideTta = form.elements.tta.checked;
        var tag = form.elements.tag ? form.elements.tag.value : "";
        // "public by" a date: only papers whose first version was public by then (data-public, the rule of
        // `export --as-of`), ranked again among themselves, so a writer sees the board of a deadline
        var asOf = form.elements.asof ? form.elements.asof.value : "";
        // a filter, a view or "show all" needs every row; the board as it loads does not
        if (table.ssShowAll || q || hideExtra || hideTta || tag || asOf || (view && view.value)) restRows(table);
        var shown = total - rows.length;  // rows not yet in the table: nothing filters them
        var state = rows.map(function (row) {
          var ok = (!q || row.textContent.toLowerCase().indexOf(q) !== -1) &&
            !(hideExtra && row.getAttribute("data-extra") === "1") &&
            !(hideTta && row.getAttribute("data-tta") === "1") &&
            (!tag || (row.getAttribute("data-tags") || "").split("|").indexOf(tag) !== -1) &&
            (!asOf || (row.getAttribute("data-public") || "") <= asOf) &&
            inView(row, view);
          var rank = view && view.value ? row.getAttribute("data-rank-" + view.value) || "" :
            (/^\d+$/.test(row.ssRank[0].trim()) ? row.ssRank[0].trim() : "");
          return { row: row, ok: ok, rank: rank };
        });
        if (asOf) {
          // a rank's new value: one more than the shown ranked rows before it (ties keep one rank)
          var again = {};
          state.filter(function (s) { return s.ok && s.rank; })
            .map(function (s) { return +s.rank; }).sort(function (a, b) { return a - b; })
            .forEach(function (rank, i) { if (!(rank in again)) again[rank] = i + 1; });
          state.forEach(function (s) { if (s.ok && s.rank) s.rank = String(again[+s.rank]); });
        }
        state.forEach(function (s) {
          var row = s.row, ok = s.ok;
          // only what changes is written: a board of hundreds of rows is not laid out again for nothing
          if (row.hidden === ok) row.hidden = !ok;
          var cell = row.cells[0], text, sort;
          if ((view && view.value) || asOf) {
            text = s.rank || "\u2014";
            sort = s.rank || "999999";
          } else {
            text = row.ssRank[0];
            sort = row.ssRank[1];
          }
          var rankEl = rankOf(row);
          if (rankEl.textContent !== text) rankEl.textContent = text;
          if (cell.getAttribute("data-sort") !== sort) cell.setAttribute("data-sort", sort);
          if (ok) shown += 1;
        });
        var said = template.replace("{shown}", shown).replace("{total}", total);
        if (output && output.textContent !== said) output.textContent = said;
        var none = !(view && view.value && shown === 0);
        if (empty && empty.hidden !== none) empty.hidden = none;
        // a long board shows its first rows until the reader asks for all; a filter shows every match
        var all = table.ssShowAll || shown !== total;
        if (table.classList.contains("ss-all") !== all) table.classList.toggle("ss-all", all);
        if (more && more.parentNode.hidden !== all) more.parentNode.hidden = all;
      }
      if (more) more.addEventListener("click", function (ev) {
        ev.preventDefault();  // without a script the link opens every row on a page of their own
        table.ssShowAll = true;
        apply();
        var rest = restRows(table);
        if (rest) rest.catch(function () { table.ssShowAll = false; apply(); });
      });
      form.addEventListener("input", apply);
      form.addEventListener("change", apply);
      form.addEventListener("submit", function (ev) { ev.preventDefault(); });
      apply();
    });
  }

  // A link to one result's card (#result-…, from its row or a report) opens the folded list it is in
  function revealTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    var folded = target.closest("details:not([open])");
    if (folded) {
      folded.open = true;
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", revealTarget);

  // The light/dark toggle (overrides/partials/palette.html): material's markup and saved choice, with only
  // the writes a change needs; the page keeps the colours material's inline script gave it before its first paint
  var PALETTE_KEYS = ["media", "scheme", "primary", "accent"];
  function setupPalette() {
    var form = document.querySelector("form[data-ss-palette]");
    if (!form || form.ssReady) return;
    form.ssReady = true;
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name=__palette]"));
    if (!inputs.length) return;
    var store = typeof window.__md_get === "function" && typeof window.__md_set === "function";
    function chosen() {
      var saved = store ? window.__md_get("__palette") : null;
      if (saved && typeof saved.index === "number" && inputs[saved.index]) return saved.index;
      for (var i = 0; i < inputs.length; i++) {
        var media = inputs[i].getAttribute("data-md-color-media");
        if (media && window.matchMedia(media).matches) return i;
      }
      return 0;
    }
    function apply(index, save) {
      var input = inputs[index], color = {};
      input.checked = true;
      PALETTE_KEYS.forEach(function (key) {
        var value = input.getAttribute("data-md-color-" + key);
        color[key] = value;
        if (key !== "media" && value && document.body.getAttribute("data-md-color-" + key) !== value)
          document.body.setAttribute("data-md-color-" + key, value);
      });
      inputs.forEach(function (other, i) {
        var label = other.nextElementSibling;
        if (label && label.tagName === "LABEL" && label.hidden !== (i !== index)) label.hidden = i !== index;
      });
      if (save && store) window.__md_set("__palette", { index: index, color: color });
    }
    apply(chosen(), false);
    form.addEventListener("change", function () {
      var index = inputs.findIndex(function (input) { return input.checked; });
      if (index !== -1) apply(index, true);
    });
  }

  function page() {
    setupPalette();
    revealTarget();
    sortTables();
    setupFilters();
    setupCharts();
  }

  new MutationObserver(restyleCharts).observe(document.body, {
    attributes: true, attributeFilter: ["data-md-color-scheme"]
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(page);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", page);
  } else {
    page();
  }
})();
