import { invalid } from "./errors.js";
import type { Params, StripeObject } from "./types.js";

const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Decodes Stripe's form encoding (`line_items[0][price]=p&expand[]=x`) into nested objects and
 * arrays. Values stay strings; an empty string is how stripe-node sends `null`.
 */
export function decodeForm(raw: string): Params {
  const root: StripeObject = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    const base = match?.[1] ?? key;
    const segments = match?.[2] ? [...match[2].matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? "") : [];
    insert(root, [base, ...segments], value);
  }
  return arrayify(root) as Params;
}

function insert(container: StripeObject, path: string[], value: string): void {
  let node = container;
  path.forEach((rawSegment, index) => {
    // `key[]` appends: give it the next free numeric index.
    const segment = rawSegment === "" ? String(Object.keys(node).length) : rawSegment;
    if (UNSAFE_KEYS.has(segment)) return;
    if (index === path.length - 1) {
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (typeof next !== "object" || next === null) node[segment] = {};
    node = node[segment] as StripeObject;
  });
}

/** Objects whose keys are all indexes (`0`, `1`, ...) become arrays, ordered by index. */
function arrayify(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value as StripeObject).map(([k, v]) => [k, arrayify(v)] as const);
  if (entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}

/** A string param: `undefined` when absent, `null` when sent empty (Stripe's "unset"). */
export function optString(params: Params, key: string): string | null | undefined {
  const value: unknown = params[key];
  if (value === undefined) return undefined;
  if (value === "") return null;
  if (typeof value !== "string") throw invalid(`Invalid string: ${JSON.stringify(value)}`, key);
  return value;
}

export function optInt(params: Params, key: string, param = key): number | null | undefined {
  const value: unknown = params[key];
  if (value === undefined) return undefined;
  if (value === "") return null;
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) throw invalid(`Invalid integer: ${String(value)}`, param, "parameter_invalid_integer");
  return Number(value);
}

export function optBool(params: Params, key: string, param = key): boolean | undefined {
  const value: unknown = params[key];
  if (value === undefined || value === "") return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  throw invalid(`Invalid boolean: ${String(value)}`, param);
}

/** A list param (`types[]`, `expand[]`); a lone value counts as a list of one. */
export function listParam(params: Params, key: string): string[] {
  const value: unknown = params[key];
  if (value === undefined || value === "") return [];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  if (typeof value === "string") return [value];
  return [];
}

/** An object param such as `metadata` or `subscription_data`; empty when absent or unset. */
export function objParam(params: Params, key: string): Params {
  const value: unknown = params[key];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Params) : {};
}

/**
 * Applies a `metadata` param the way Stripe does: absent keeps, `metadata=` clears all,
 * `metadata[k]=` removes one key, other keys are merged in.
 */
export function applyMetadata(current: Record<string, string>, param: unknown): Record<string, string> {
  if (param === undefined) return current;
  if (param === "") return {};
  if (typeof param !== "object" || param === null || Array.isArray(param)) {
    throw invalid("Invalid metadata: must be an object", "metadata");
  }
  const next = { ...current };
  for (const [key, value] of Object.entries(param as Params)) {
    if (value === "") delete next[key];
    else next[key] = String(value);
  }
  return next;
}
