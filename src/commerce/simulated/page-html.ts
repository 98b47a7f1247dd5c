import type { ServerResponse } from "node:http";
import { SIMULATED_LABEL } from "./simulator.js";

/** A small HTML page of the simulated payment provider, always labelled as simulated. */
export function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(
    `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
      `<body style="font-family:sans-serif;max-width:36em;margin:3em auto"><h1>${escapeHtml(title)}</h1>${body}<p><small>${escapeHtml(SIMULATED_LABEL)}</small></p></body>`,
  );
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
