/** A table of numbers: shown on a page, drawn as a chart beside it, downloaded as CSV. */
export interface Table {
  /** Unique on its page; names the CSV file. */
  readonly id: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
  /** Draw it: the first column is the x axis (labels), the listed columns are series. */
  readonly chart?: { readonly kind: "line" | "bar"; readonly series: readonly number[] };
  /** How a reader should read it, under the title. */
  readonly note?: string;
}

/** RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled. */
export function toCsv(table: Table): string {
  const field = (v: string | number | null) => {
    const text = v === null ? "" : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  // A leading =, +, - or @ would be a formula in a spreadsheet; text cells starting so are prefixed.
  const safe = (v: string | number | null) => (typeof v === "string" && /^[=+\-@]/.test(v) ? `'${v}` : v);
  return [table.columns, ...table.rows].map((row) => row.map((v) => field(safe(v))).join(",")).join("\r\n") + "\r\n";
}
