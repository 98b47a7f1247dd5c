/** A figure as chat and the dashboard show it, with its change against the period before. */
import { formatMoney } from "../commerce/index.js";
import type { Figure } from "./report.js";

/** "€1,234.00 (+12% vs €1,100.00)", "3 (up from 0)", "75.0% (+25.0 pts vs 50.0%)". */
export function describeFigure(f: Figure): string {
  const show = (v: number | null) => {
    if (v === null) return "n/a";
    if (f.format === "money") return formatMoney(Math.round(v), f.currency ?? "usd");
    if (f.format === "percent") return `${(v * 100).toFixed(1)}%`;
    return f.format === "average" ? v.toFixed(1) : String(Math.round(v));
  };
  if (f.now === null || f.before === null) return `${show(f.now)} (before: ${show(f.before)})`;
  // A change from zero has no percentage: say which way it went.
  if (f.format !== "percent" && f.before === 0) return `${show(f.now)} (${f.now === 0 ? "no change vs" : f.now > 0 ? "up from" : "down from"} ${show(f.before)})`;
  const change = f.format === "percent" ? `${f.now >= f.before ? "+" : ""}${((f.now - f.before) * 100).toFixed(1)} pts` : `${f.now >= f.before ? "+" : ""}${(((f.now - f.before) / Math.abs(f.before)) * 100).toFixed(0)}%`;
  return `${show(f.now)} (${change} vs ${show(f.before)})`;
}
