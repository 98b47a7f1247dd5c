import type { Db } from "../../db/database.js";
import { dayOf, monthOf } from "../periods.js";

/** A row of InsightMoney as the revenue figures need it. */
export interface MoneyRow {
  readonly kind: string;
  readonly amount: number;
  readonly currency: string;
  readonly occurredAt: Date;
  readonly itemId: string | null;
  readonly chargeId: string | null;
}

export interface RevenueCell {
  gross: number;
  refunds: number;
  disputes: number;
}

export function loadMoney(db: Db, communityId: string): Promise<MoneyRow[]> {
  return db.insightMoney.findMany({
    where: { communityId },
    select: { kind: true, amount: true, currency: true, occurredAt: true, itemId: true, chargeId: true },
    orderBy: [{ occurredAt: "asc" }, { amount: "asc" }],
  });
}

/**
 * Revenue per bucket and currency, in minor units. Gross is what payments brought in; a
 * refund row holds the charge's refunded total, so the refund is its increase over the
 * previous total seen for that charge; a dispute takes its amount. Net = gross − refunds −
 * disputes. Currencies are kept apart: the key always ends in the currency.
 */
export function revenueBy(rows: readonly MoneyRow[], bucket: (row: MoneyRow) => string): Map<string, RevenueCell> {
  const refunds = refundIncreases(rows);
  const cells = new Map<string, RevenueCell>();
  for (const row of rows) {
    const key = `${bucket(row)}|${row.currency}`;
    const cell = cells.get(key) ?? { gross: 0, refunds: 0, disputes: 0 };
    cells.set(key, cell);
    if (row.kind === "payment") cell.gross += row.amount;
    else if (row.kind === "dispute") cell.disputes += row.amount;
    else if (row.kind === "refund") cell.refunds += refunds.get(row) ?? 0;
  }
  return cells;
}

/** Each refund row's increase over the charge's previous refunded total (totals only grow). */
function refundIncreases(rows: readonly MoneyRow[]): Map<MoneyRow, number> {
  const byCharge = new Map<string, MoneyRow[]>();
  for (const row of rows) {
    if (row.kind !== "refund") continue;
    const list = byCharge.get(row.chargeId ?? "") ?? [];
    list.push(row);
    byCharge.set(row.chargeId ?? "", list);
  }
  const increases = new Map<MoneyRow, number>();
  for (const list of byCharge.values()) {
    let before = 0;
    for (const row of list.sort((a, b) => a.amount - b.amount)) {
      increases.set(row, row.amount - before);
      before = row.amount;
    }
  }
  return increases;
}

export const byDay = (row: MoneyRow) => dayOf(row.occurredAt);
export const byMonth = (row: MoneyRow) => monthOf(row.occurredAt);
export const byMonthAndItem = (row: MoneyRow) => `${monthOf(row.occurredAt)}|${row.itemId ?? "none"}`;

export function net(cell: RevenueCell): number {
  return cell.gross - cell.refunds - cell.disputes;
}
