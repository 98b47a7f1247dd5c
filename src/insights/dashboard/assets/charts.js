// Draws each chart from the numbers in the table beside it (the page works without this
// script: the tables are the figures). Served by Guildhall with uPlot; no inline code.
/* global document, uPlot */
"use strict";
(function () {
  function number(text) {
    var cleaned = String(text).replace(/[^0-9.-]/g, "");
    return cleaned === "" || cleaned === "-" ? null : Number(cleaned);
  }
  function draw(box) {
    var table = document.getElementById(box.getAttribute("data-table"));
    if (!table || typeof uPlot === "undefined") return;
    var rows = Array.prototype.slice.call(table.rows);
    var head = Array.prototype.map.call(rows[0].cells, function (c) { return c.textContent; });
    var body = rows.slice(1).filter(function (r) { return r.cells.length === head.length; });
    if (body.length === 0) return;
    var series = box.getAttribute("data-series").split(",").map(Number);
    var xs = body.map(function (_r, i) { return i; });
    var labels = body.map(function (r) { return r.cells[0].textContent; });
    var data = [xs].concat(series.map(function (col) { return body.map(function (r) { return number(r.cells[col].textContent); }); }));
    var colors = ["#2563eb", "#b45309", "#059669", "#9333ea", "#dc2626"];
    var bars = box.getAttribute("data-kind") === "bar";
    var width = Math.max(280, box.clientWidth || 600);
    var opts = {
      width: width,
      height: 240,
      scales: { x: { time: false } },
      axes: [{ values: function (_u, ticks) { return ticks.map(function (t) { return labels[t] || ""; }); } }, {}],
      series: [{ label: head[0], value: function (_u, v) { return v == null ? "" : labels[v]; } }].concat(series.map(function (col, i) {
        var s = { label: head[col], stroke: colors[i % colors.length], width: 2 };
        if (bars) { s.fill = colors[i % colors.length] + "99"; s.paths = uPlot.paths.bars({ size: [0.7, 40] }); }
        return s;
      })),
    };
    box.textContent = "";
    box.setAttribute("data-drawn", String(body.length));
    new uPlot(opts, data, box);
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".chart[data-table]"), draw);
  });
})();
