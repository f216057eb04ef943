/* kofukin report pages: find a municipality or prefecture by part of its name or code, and sort tables.
   Progressive enhancement: without JavaScript the pages read as they are (no search box, tables as built).
   Works from disk (file://): the index is a <script> (search_index.js), loaded on first use — no fetch. */
(function () {
  "use strict";
  var LIMIT = 30;                               // results listed at most

  function norm(text) {                         // full-width digits and letters as typed on a Japanese keyboard
    return String(text).normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  }

  function loadIndex(root, done) {
    if (window.KOFUKIN_SEARCH) { done(); return; }
    var existing = document.getElementById("kofukin-search-index");
    if (existing) { existing.addEventListener("load", done); return; }
    var s = document.createElement("script");
    s.id = "kofukin-search-index";
    s.src = root + "assets/search_index.js";
    s.addEventListener("load", done);
    document.head.appendChild(s);
  }

  function entries(root) {                      // [label, detail, href, haystack] of every prefecture and municipality
    var data = window.KOFUKIN_SEARCH, prefName = {}, out = [];
    data.prefectures.forEach(function (p) {
      prefName[p[0]] = p[1];
      out.push([p[1], "都道府県・コード " + p[0], root + p[2], norm(p[0] + " " + p[1])]);
    });
    data.municipalities.forEach(function (m) {
      out.push([m[1], prefName[m[2]] + "・コード " + m[0], root + "municipal/" + m[2] + "/" + m[0] + ".html",
                norm(m[0] + " " + m[1] + " " + prefName[m[2]])]);
    });
    return out;
  }

  var counter = 0;

  function searchBox(holder) {
    var root = holder.getAttribute("data-root") || "", id = "kofukin-search-" + (++counter), all = null;
    var form = document.createElement("form");
    form.className = "search-form";
    form.setAttribute("role", "search");
    form.innerHTML = '<label for="' + id + '">市町村・都道府県を探す</label>' +
      '<input id="' + id + '" type="search" autocomplete="off" placeholder="名前の一部またはコード（例: 13-001）" ' +
      'aria-describedby="' + id + '-status">' +
      '<p class="search-status" id="' + id + '-status" aria-live="polite"></p><ul class="search-results"></ul>';
    holder.appendChild(form);
    var input = form.querySelector("input"), status = form.querySelector(".search-status"),
        list = form.querySelector(".search-results");

    function show() {
      var q = norm(input.value);
      list.innerHTML = "";
      if (!q) { status.textContent = ""; return; }
      if (!window.KOFUKIN_SEARCH) { status.textContent = "索引を読み込んでいます…"; return; }
      all = all || entries(root);
      var hits = all.filter(function (e) { return e[3].indexOf(q) >= 0; });
      status.textContent = hits.length ? hits.length + "件" + (hits.length > LIMIT ? "（最初の" + LIMIT + "件を表示）" : "")
                                       : "見つかりません";
      hits.slice(0, LIMIT).forEach(function (e) {
        var li = document.createElement("li"), a = document.createElement("a"), small = document.createElement("span");
        a.href = e[2];
        a.textContent = e[0];
        small.className = "search-detail";
        small.textContent = "（" + e[1] + "）";
        li.appendChild(a);
        li.appendChild(small);
        list.appendChild(li);
      });
    }
    input.addEventListener("focus", function () { loadIndex(root, show); });
    input.addEventListener("input", function () { loadIndex(root, show); });
    form.addEventListener("submit", function (ev) {        // Enter opens the first result
      ev.preventDefault();
      var first = list.querySelector("a");
      if (first) { window.location.href = first.href; }
    });
  }

  function sortValue(cell) {                    // numbers (1,234 / 58.1% / −3) as numbers, blanks last, else text
    var text = cell ? cell.textContent.trim() : "";
    var n = text.replace(/[,%位点人円千]/g, "").replace("−", "-").replace(/^\+/, "");
    if (text === "" || text === "—" || text === "-") { return [2, 0]; }
    if (/^-?\d+(\.\d+)?$/.test(n)) { return [0, parseFloat(n)]; }
    return [1, text];
  }

  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [], body = table.tBodies[0];
    if (!body) { return; }
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortValue(a.cells[col]), y = sortValue(b.cells[col]);
          if (x[0] !== y[0]) { return x[0] - y[0]; }
          var c = x[0] === 1 ? String(x[1]).localeCompare(String(y[1]), "ja") : x[1] - y[1];
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    table.classList.add("sorting");
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".site-search"), searchBox);
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), sortable);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
