// Chosen methods side by side. On a board: a checkbox in each row's first cell, a bar that links to
// compare/methods/?ids=<id>,<id>,… once 2–5 methods are ticked. On that page: the methods of the query
// string, drawn from /api/v1/methods.json (each method's best ranked result on every board), a search to
// add more, and a link to share. State lives in the query string only, so the page works on a static host.
// Text from the data is always inserted as text (textContent), never as HTML.
(function () {
  "use strict";

  var MAX = 5;

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }

  function idOf(href) {
    var parts = href.replace(/\/+$/, "").split("/");
    return decodeURIComponent(parts[parts.length - 1] || "");
  }

  function parseIds(search) {
    var raw = new URLSearchParams(search).get("ids") || "";
    var seen = [];
    raw.split(",").forEach(function (s) {
      s = s.trim();
      if (s && seen.indexOf(s) === -1) seen.push(s);
    });
    return seen;
  }

  // On a board --------------------------------------------------------------------------------

  function setupPicks() {
    document.querySelectorAll(".ss-pick[data-pick-table]").forEach(function (bar) {
      if (bar.ssReady) return;
      var table = document.getElementById(bar.getAttribute("data-pick-table"));
      if (!table || !table.tBodies[0]) return;
      bar.ssReady = true;
      bar.hidden = false;
      var go = bar.querySelector(".ss-pick-go");
      var hint = bar.querySelector(".ss-pick-hint");
      var hintText = hint.textContent;
      var base = bar.getAttribute("data-compare");
      var chosen = [];
      // the boxes are in the page (hidden without a script): nothing is added to a board of hundreds of rows;
      // a long board's other rows join it later (site.js restRows, the "ss-rows" event)
      var boxes;
      function readBoxes() {
        boxes = Array.prototype.slice.call(table.tBodies[0].querySelectorAll("label.ss-pick-box input[type=checkbox]"));
      }
      readBoxes();
      table.addEventListener("ss-rows", function () { readBoxes(); update(); });
      function update() {
        boxes.forEach(function (b) {
          b.checked = chosen.indexOf(b.value) !== -1;
          b.disabled = !b.checked && chosen.length >= MAX;
        });
        go.textContent = fill(bar.getAttribute("data-go"), { n: chosen.length });
        var ready = chosen.length >= 2;
        go.setAttribute("aria-disabled", ready ? "false" : "true");
        go.href = ready ? base + "?ids=" + chosen.map(encodeURIComponent).join(",") : base;
        hint.textContent = chosen.length >= MAX ? bar.getAttribute("data-full") : hintText;
        bar.classList.toggle("ss-pick-active", chosen.length > 0);
      }
      table.tBodies[0].addEventListener("change", function (ev) {
        var b = ev.target;
        if (!b || b.type !== "checkbox" || boxes.indexOf(b) === -1) return;
        var at = chosen.indexOf(b.value);
        if (b.checked && at === -1 && chosen.length < MAX) chosen.push(b.value);
        if (!b.checked && at !== -1) chosen.splice(at, 1);
        update(); // every row of the same method follows
      });
      go.addEventListener("click", function (ev) {
        if (go.getAttribute("aria-disabled") === "true") ev.preventDefault();
      });
      bar.querySelector(".ss-pick-clear").addEventListener("click", function () { chosen = []; update(); });
      update();
    });
  }

  // On the page of chosen methods -------------------------------------------------------------

  function setupMethods() {
    var root = document.getElementById("ss-methods");
    if (!root || root.ssReady) return;
    root.ssReady = true;
    var T = JSON.parse(root.getAttribute("data-texts"));
    var lang = root.getAttribute("data-lang");
    var home = root.getAttribute("data-home") || ".";
    if (!/\/$/.test(home)) home += "/";
    var status = root.querySelector(".ss-methods-status");
    var form = root.querySelector(".ss-method-search");
    var input = form.querySelector("input");
    var found = form.querySelector(".ss-method-found");
    var chosenList = root.querySelector(".ss-chosen");
    var share = root.querySelector(".ss-share");
    var shareDone = root.querySelector(".ss-share-done");
    var wrap = root.querySelector(".ss-methods-wrap");
    var legend = root.querySelector(".ss-legend");
    var table = root.querySelector("table");
    var data = null, byId = {};
    var ids = parseIds(window.location.search);

    function page(path) { return new URL(home + path, window.location.href).href; }

    function setIds(next) {
      ids = next;
      var url = new URL(window.location.href);
      if (ids.length) url.search = "?ids=" + ids.map(encodeURIComponent).join(",");
      else url.search = "";
      window.history.replaceState(null, "", url.href);
      draw();
    }

    function drawChosen() {
      chosenList.textContent = "";
      ids.forEach(function (id) {
        var m = byId[id];
        if (!m) return;
        var li = el("li", "ss-chosen-item");
        var a = el("a", null, m.label);
        a.href = page(m.page);
        a.title = m.title;
        li.appendChild(a);
        li.appendChild(el("span", "ss-meta", " " + m.year + " "));
        var rm = el("button", "ss-remove", "×");
        rm.type = "button";
        rm.setAttribute("aria-label", fill(T.remove, { name: m.label }));
        rm.addEventListener("click", function () { setIds(ids.filter(function (x) { return x !== id; })); });
        li.appendChild(rm);
        chosenList.appendChild(li);
      });
    }

    function drawFound() {
      found.textContent = "";
      var q = input.value.trim().toLowerCase();
      if (!q) return;
      if (ids.length >= MAX) { found.appendChild(el("li", "ss-meta", T.full)); return; }
      var hits = data.methods.filter(function (m) {
        return ids.indexOf(m.id) === -1 &&
          (m.label.toLowerCase().indexOf(q) !== -1 || m.title.toLowerCase().indexOf(q) !== -1 || m.id.indexOf(q) !== -1);
      }).slice(0, 8);
      if (!hits.length) { found.appendChild(el("li", "ss-meta", T.none_found)); return; }
      hits.forEach(function (m) {
        var li = el("li");
        var b = el("button", "ss-add", fill(T.add, { name: m.label, year: m.year }));
        b.type = "button";
        b.title = m.title;
        b.addEventListener("click", function () {
          setIds(ids.concat([m.id]));
          input.value = "";
          drawFound();
          input.focus();
        });
        li.appendChild(b);
        found.appendChild(li);
      });
    }

    function drawTable(methods) {
      var thead = table.tHead, tbody = table.tBodies[0];
      thead.textContent = "";
      tbody.textContent = "";
      var head = el("tr");
      head.appendChild(el("th", null, T.benchmark));
      methods.forEach(function (m) {
        var th = el("th");
        th.scope = "col";
        var a = el("a", null, m.label);
        a.href = page(m.page);
        a.title = m.title;
        th.appendChild(a);
        th.appendChild(el("span", "ss-meta ss-year", m.year));
        head.appendChild(th);
      });
      thead.appendChild(head);
      // one row per board where a chosen method is ranked: most chosen methods first, then the site's order
      var cells = {};
      methods.forEach(function (m, mi) {
        m.best.forEach(function (b) { (cells[b[0]] = cells[b[0]] || {})[mi] = b; });
      });
      var rows = Object.keys(cells).map(Number).sort(function (a, b) {
        return Object.keys(cells[b]).length - Object.keys(cells[a]).length || a - b;
      });
      var divided = false;
      rows.forEach(function (bi) {
        var board = data.boards[bi];
        if (!divided && Object.keys(cells[bi]).length < 2 && rows.length > 1) {
          // the rest rank only one of the chosen methods: said once, above them
          divided = true;
          var sep = el("tr", "ss-methods-sep");
          var cell = el("th", null, T.only_one);
          cell.colSpan = methods.length + 1;
          cell.scope = "rowgroup";
          sep.appendChild(cell);
          tbody.appendChild(sep);
        }
        var tr = el("tr");
        var th = el("th");
        th.scope = "row";
        var a = el("a", null, board.name[lang] || board.slug);
        a.href = page(board.page);
        th.appendChild(a);
        var metric = (board.metric_name && board.metric_name[lang]) || board.metric;
        th.appendChild(el("span", "ss-meta ss-metric", metric + (board.unit ? " (" + board.unit + ")" : "")));
        tr.appendChild(th);
        var scores = Object.keys(cells[bi]).map(function (k) { return cells[bi][k][1]; });
        var top = board.higher_is_better ? Math.max.apply(null, scores) : Math.min.apply(null, scores);
        methods.forEach(function (m, mi) {
          var b = cells[bi][mi];
          var td = el("td");
          if (b) {
            var score = el(b[1] === top && scores.length > 1 ? "strong" : "span", "ss-score", b[1]);
            td.appendChild(score);
            if (b[4]) td.appendChild(el("sup", null, "*"));
            if (b[5]) td.appendChild(el("sup", null, "†"));
            td.appendChild(el("span", "ss-rank", fill(T.rank, { rank: b[2], n: board.ranked })));
            if (b[3] !== m.label) td.appendChild(el("span", "ss-row-model", b[3]));
          }
          tr.appendChild(td);
        });
        tbody.appendChild(tr);
      });
    }

    function draw() {
      var known = ids.filter(function (id) { return byId[id]; });
      var unknown = ids.filter(function (id) { return !byId[id]; });
      drawChosen();
      var msg = known.length === 0 ? T.empty : known.length === 1 ? T.one : "";
      if (unknown.length) msg = (msg ? msg + " " : "") + fill(T.unknown, { ids: unknown.join(", ") });
      status.textContent = msg;
      status.hidden = !msg;
      var ready = known.length >= 2;
      wrap.hidden = !ready;
      legend.hidden = !ready;
      share.hidden = !ready;
      shareDone.textContent = "";
      if (ready) drawTable(known.map(function (id) { return byId[id]; }));
    }

    share.querySelector("button").addEventListener("click", function () {
      var done = function () { shareDone.textContent = T.copied; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(window.location.href).then(done, function () { shareDone.textContent = window.location.href; });
      } else {
        shareDone.textContent = window.location.href;
      }
    });
    input.addEventListener("input", drawFound);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var first = found.querySelector("button");
      if (first) first.click();
    });

    fetch(new URL(root.getAttribute("data-src"), window.location.href).href).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (json) {
      data = json;
      data.methods.forEach(function (m) { byId[m.id] = m; });
      form.hidden = false;
      ids = ids.slice(0, MAX);
      draw();
      root.setAttribute("data-ready", "true");
    }).catch(function () {
      status.textContent = T.failed;
    });
  }

  function run() {
    setupPicks();
    setupMethods();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
