import { Resvg } from "@resvg/resvg-js";

export interface ChartSeries {
  /** One label per point, e.g. "2026-03". */
  readonly labels: readonly string[];
  /** Bars, against the left axis (net revenue in major units). */
  readonly bars: { readonly name: string; readonly values: readonly number[] };
  /** A line, against the right axis (active members). */
  readonly line: { readonly name: string; readonly values: readonly number[] };
  readonly title: string;
}

const W = 800;
const H = 400;
const PAD = { left: 70, right: 60, top: 50, bottom: 50 };

/** Bars and a line on two axes, as SVG. Text is escaped: titles can hold community names. */
export function chartSvg(c: ChartSeries): string {
  const n = Math.max(1, c.labels.length);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const barMax = niceMax(Math.max(0, ...c.bars.values));
  const barMin = Math.min(0, ...c.bars.values);
  const lineMax = niceMax(Math.max(0, ...c.line.values));
  const y = (v: number) => PAD.top + plotH - ((v - barMin) / (barMax - barMin || 1)) * plotH;
  const yLine = (v: number) => PAD.top + plotH - (v / (lineMax || 1)) * plotH;
  const slot = plotW / n;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="28" text-anchor="middle" font-size="18" fill="#111">${escape(c.title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = barMin + ((barMax - barMin) * i) / 4;
    const yy = y(v);
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${yy}" y2="${yy}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${PAD.left - 8}" y="${yy + 4}" text-anchor="end" font-size="11" fill="#2563eb">${short(v)}</text>`);
    parts.push(`<text x="${W - PAD.right + 8}" y="${yLine((lineMax * i) / 4) + 4}" font-size="11" fill="#b45309">${short((lineMax * i) / 4)}</text>`);
  }
  c.bars.values.forEach((v, i) => {
    const x = PAD.left + i * slot + slot * 0.15;
    const top = Math.min(y(v), y(0));
    parts.push(`<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${Math.abs(y(v) - y(0)).toFixed(1)}" fill="#2563eb"/>`);
  });
  const points = c.line.values.map((v, i) => `${(PAD.left + i * slot + slot / 2).toFixed(1)},${yLine(v).toFixed(1)}`).join(" ");
  parts.push(`<polyline points="${points}" fill="none" stroke="#b45309" stroke-width="3"/>`);
  const every = Math.ceil(n / 12);
  c.labels.forEach((label, i) => {
    if (i % every === 0) parts.push(`<text x="${(PAD.left + i * slot + slot / 2).toFixed(1)}" y="${H - PAD.bottom + 18}" text-anchor="middle" font-size="11" fill="#333">${escape(label)}</text>`);
  });
  parts.push(`<rect x="${PAD.left}" y="${H - 22}" width="12" height="12" fill="#2563eb"/><text x="${PAD.left + 18}" y="${H - 12}" font-size="12" fill="#111">${escape(c.bars.name)}</text>`);
  parts.push(`<rect x="${W / 2}" y="${H - 17}" width="14" height="3" fill="#b45309"/><text x="${W / 2 + 20}" y="${H - 12}" font-size="12" fill="#111">${escape(c.line.name)}</text>`);
  parts.push("</svg>");
  return parts.join("");
}

/** Renders the chart to PNG on the server (no browser): what /stats attaches. */
export function chartPng(c: ChartSeries): Uint8Array {
  const resvg = new Resvg(chartSvg(c), { font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" }, fitTo: { mode: "width", value: W } });
  return resvg.render().asPng();
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(v));
  return Math.ceil(v / magnitude) * magnitude;
}

function short(v: number): string {
  const a = Math.abs(v);
  if (a >= 1_000_000) return `${(v / 1_000_000).toFixed(1)}M`;
  if (a >= 10_000) return `${(v / 1000).toFixed(0)}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
