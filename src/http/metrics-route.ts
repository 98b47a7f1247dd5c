import { timingSafeEqual } from "node:crypto";
import type { Metrics } from "../core/metrics.js";
import { type RouteHandler, sendJson } from "./http-server.js";

/**
 * `GET /metrics`: the Prometheus exposition text. With `token` (METRICS_TOKEN) set, a request
 * without `Authorization: Bearer <token>` gets 401 and no metrics.
 */
export function metricsRoute(metrics: Metrics, token: string | undefined): RouteHandler {
  const expected = token === undefined ? undefined : Buffer.from(`Bearer ${token}`);
  return async (req, res) => {
    if (expected && !matches(req.headers.authorization, expected)) {
      res.setHeader("www-authenticate", 'Bearer realm="metrics"');
      return sendJson(res, 401, { error: "unauthorized", message: "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>." });
    }
    const body = await metrics.text();
    res.writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" });
    res.end(body);
  };
}

function matches(header: string | undefined, expected: Buffer): boolean {
  const given = Buffer.from(header ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
