import { OptionError } from "./errors.js";
import { neutraliseName, neutraliseText } from "./safe-text.js";
import {
  type ChannelRef,
  DEFAULT_MAX_LENGTH,
  describeAccepts,
  type OptionSpec,
  type OptionSpecs,
  type RawOptionValue,
  type RawOptions,
  type UserRef,
  integerBounds,
} from "./options.js";

type Problem = { option: string; message: string };
type Value = string | number | boolean | UserRef | ChannelRef;

/**
 * Checks raw option values against the command's specs and converts text to the declared
 * types. Every problem is collected, so a member fixes them all in one go.
 */
export function validateOptions(specs: OptionSpecs, raw: RawOptions): Record<string, Value | undefined> {
  const problems: Problem[] = [];
  const values: Record<string, Value | undefined> = {};
  for (const name of Object.keys(raw)) {
    if (!(name in specs)) problems.push({ option: name, message: `is not an option of this command${suggest(specs)}` });
  }
  for (const [name, spec] of Object.entries(specs)) {
    const value = raw[name];
    if (value === undefined || value === "") {
      if (spec.required) problems.push({ option: name, message: `is required: give ${describeAccepts(spec)}` });
      values[name] = undefined;
      continue;
    }
    const result = convert(spec, value);
    if (typeof result === "object" && result !== null && "problem" in result) problems.push({ option: name, message: result.problem });
    else values[name] = result;
  }
  if (problems.length > 0) throw new OptionError(problems);
  return values;
}

function suggest(specs: OptionSpecs): string {
  const names = Object.keys(specs);
  return names.length === 0 ? " (it takes none)" : ` (options: ${names.join(", ")})`;
}

function convert(spec: OptionSpec, value: RawOptionValue): Value | { problem: string } {
  switch (spec.kind) {
    case "string":
      return checkString(spec, value);
    case "integer":
    case "number":
      return checkNumber(spec, value);
    case "boolean":
      return checkBoolean(value);
    case "user":
      return typeof value === "object" && "platform" in value ? { ...value, displayName: neutraliseName(value.displayName) || value.id } : { problem: `must be ${describeAccepts(spec)}` };
    case "channel":
      return typeof value === "object" && !("platform" in value) ? value : { problem: `must be ${describeAccepts(spec)}` };
  }
}

function checkString(spec: Extract<OptionSpec, { kind: "string" }>, value: RawOptionValue): string | { problem: string } {
  if (typeof value !== "string") return { problem: `must be text` };
  const text = neutraliseText(value).trim();
  const max = spec.maxLength ?? DEFAULT_MAX_LENGTH;
  if (spec.choices && !spec.choices.some((c) => c.value === text)) {
    return { problem: `must be ${describeAccepts(spec)} (you gave “${preview(text)}”)` };
  }
  if (text.length > max) return { problem: `is too long: ${text.length} characters, the limit is ${max}` };
  if (spec.minLength !== undefined && text.length < spec.minLength) {
    return { problem: `is too short: ${text.length} characters, it needs at least ${spec.minLength}` };
  }
  return text;
}

function checkNumber(spec: Extract<OptionSpec, { kind: "integer" | "number" }>, value: RawOptionValue): number | { problem: string } {
  const n = typeof value === "number" ? value : typeof value === "string" && /^[-+]?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  const expected = `must be ${describeAccepts(spec)}`;
  const gave = typeof value === "string" || typeof value === "number" ? ` (you gave “${preview(String(value))}”)` : "";
  if (!Number.isFinite(n)) return { problem: `${expected}${gave}` };
  if (spec.kind === "integer" && !Number.isInteger(n)) return { problem: `${expected}${gave}` };
  if (spec.kind === "integer") {
    // Bounds the command did not declare come from the database; say them in plain words.
    const { min, max } = integerBounds(spec);
    if (spec.max === undefined && n > max) return { problem: `is too large: the largest it takes is ${max}${gave}` };
    if (spec.min === undefined && n < min) return { problem: `is too small: the smallest it takes is ${min}${gave}` };
  }
  if (spec.min !== undefined && n < spec.min) return { problem: `${expected}${gave}` };
  if (spec.max !== undefined && n > spec.max) return { problem: `${expected}${gave}` };
  if (spec.kind === "integer" && spec.choices && !spec.choices.some((c) => c.value === n)) return { problem: `${expected}${gave}` };
  return n;
}

const TRUE = new Set(["true", "yes", "y", "on", "1"]);
const FALSE = new Set(["false", "no", "n", "off", "0"]);

function checkBoolean(value: RawOptionValue): boolean | { problem: string } {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
  }
  return { problem: "must be yes or no" };
}

/** Echoed user text is shortened so an error never becomes a wall of text. */
function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
