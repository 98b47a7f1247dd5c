import type { Figure } from "../report.js";
import { describeFigure } from "../describe.js";
import type { Table } from "./table.js";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export const PAGES = [
  { slug: "", title: "Overview" },
  { slug: "revenue", title: "Revenue" },
  { slug: "members", title: "Members" },
  { slug: "qa", title: "Q&A" },
  { slug: "reviews", title: "Reviews" },
  { slug: "events", title: "Events" },
  { slug: "points", title: "Points" },
] as const;
export type PageSlug = (typeof PAGES)[number]["slug"];

/** The page around every dashboard view: own stylesheet and scripts only, no inline code. */
export function layout(opts: { title: string; community?: { slug: string; name: string }; active?: PageSlug; body: string; charts?: boolean }): string {
  const base = opts.community ? `/dashboard/c/${encodeURIComponent(opts.community.slug)}` : "";
  const nav = opts.community
    ? `<nav aria-label="Pages">${PAGES.map((p) => `<a href="${base}/${p.slug}"${p.slug === opts.active ? ' aria-current="page"' : ""}>${escapeHtml(p.title)}</a>`).join("")}</nav>`
    : "";
  const scripts = opts.charts ? `<link rel="stylesheet" href="/dashboard/assets/uPlot.min.css"><script src="/dashboard/assets/uPlot.iife.min.js" defer></script><script src="/dashboard/assets/charts.js" defer></script>` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)} · Guildhall</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/dashboard/assets/dashboard.css">${scripts}</head>
<body><header><h1>${escapeHtml(opts.community ? `${opts.community.name}: ${opts.title}` : opts.title)}</h1>${nav}</header>
<main>${opts.body}</main></body></html>`;
}

export function figuresHtml(figures: readonly Figure[]): string {
  return `<ul class="figures">${figures.map((f) => `<li data-figure="${escapeHtml(f.label)}"><span class="label">${escapeHtml(f.label)}</span><span class="value">${escapeHtml(describeFigure(f))}</span></li>`).join("")}</ul>`;
}

/** A chart (drawn by charts.js from the table's own cells) beside its table and CSV link. */
export function tableHtml(table: Table, csvHref: string): string {
  const chart = table.chart
    ? `<div class="chart" data-kind="${table.chart.kind}" data-series="${table.chart.series.join(",")}" data-table="t-${escapeHtml(table.id)}" role="img" aria-label="${escapeHtml(table.title)} chart"></div>`
    : "";
  const head = `<tr>${table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("")}</tr>`;
  const rows = table.rows.map((r) => `<tr>${r.map((v, i) => (i === 0 ? `<th scope="row">${escapeHtml(String(v ?? ""))}</th>` : `<td>${v === null ? "" : escapeHtml(String(v))}</td>`)).join("")}</tr>`).join("");
  const body = table.rows.length ? rows : `<tr><td colspan="${table.columns.length}">Nothing recorded yet.</td></tr>`;
  return `<section class="block" id="${escapeHtml(table.id)}"><h2>${escapeHtml(table.title)}</h2>${table.note ? `<p class="note">${escapeHtml(table.note)}</p>` : ""}
<div class="pair">${chart}<div class="scroll"><table id="t-${escapeHtml(table.id)}">${head}${body}</table></div></div>
<p><a class="csv" href="${escapeHtml(csvHref)}" download="${escapeHtml(table.id)}.csv">Download CSV</a></p></section>`;
}

export function messagePage(title: string, text: string): string {
  return layout({ title, body: `<p class="message">${escapeHtml(text)}</p>` });
}
