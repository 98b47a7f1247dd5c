import type { Command } from "./command.js";
import type { OptionSpecs, RawOptionValue } from "./options.js";

/** How a text platform turns a mention token into a member, or undefined if it is not one. */
export type MentionParser = (token: string) => RawOptionValue | undefined;

export interface ParsedText {
  readonly subcommand: string | undefined;
  readonly options: Record<string, RawOptionValue>;
}

/**
 * Parses the text after a slash command on platforms that deliver plain text (Slack and
 * the playground). It accepts `name:value` pairs and positional values in declaration
 * order; quotes group words; the last text option takes the rest of the line, so
 * `/thanks @ada great answer` needs no quotes. A mention is converted by the platform.
 */
export function parseCommandText(command: Command, text: string, mention: MentionParser): ParsedText {
  const tokens = tokenize(text);
  let specs: OptionSpecs;
  let subcommand: string | undefined;
  if (command.kind === "group") {
    subcommand = tokens.shift()?.value.toLowerCase();
    specs = command.subcommands.find((s) => s.name === subcommand)?.options ?? {};
  } else {
    specs = command.options;
  }
  return { subcommand, options: assign(specs, tokens, mention) };
}

interface Token {
  value: string;
  /** Set for `name:value` tokens. */
  name?: string;
  /** The token as typed, used when `name` is not an option after all (`https://...`). */
  raw: string;
}

function assign(specs: OptionSpecs, tokens: Token[], mention: MentionParser): Record<string, RawOptionValue> {
  const options: Record<string, RawOptionValue> = {};
  const names = Object.keys(specs);
  for (const t of tokens) {
    if (t.name !== undefined && t.name in specs) options[t.name] = t.value;
  }
  const free = tokens.filter((t) => t.name === undefined || !(t.name in specs)).map((t) => (t.name === undefined ? t : { ...t, value: t.raw }));
  const open = names.filter((n) => !(n in options));
  for (let i = 0; i < free.length; i++) {
    const name = open.shift();
    const token = free[i]!;
    if (name === undefined) {
      options[`(extra text “${token.value}”)`] = token.value; // reported by validation as unknown
      continue;
    }
    const spec = specs[name]!;
    if (spec.kind === "string" && !spec.choices && i < free.length - 1) {
      // The last text option takes the rest of the line, leaving trailing values that fit the
      // optional non-text options after it: `/review done 4 3 5 great work 12` → "great work", 12.
      const end = free.length - trailingFits(specs, open, free.slice(i + 1), mention);
      if (end > i + 1) {
        options[name] = free.slice(i, end).map((t) => t.value).join(" ");
        i = end - 1;
        continue;
      }
    }
    options[name] = spec.kind === "user" ? (mention(token.value) ?? token.value) : token.value;
  }
  for (const [name, spec] of Object.entries(specs)) {
    const value = options[name];
    if (spec.kind === "user" && typeof value === "string") options[name] = mention(value) ?? value;
  }
  return options;
}

/**
 * How many of the last `rest` tokens belong to the options in `open`, when all of those are
 * optional and not text (text options would claim the words instead): the most, in order,
 * that look like their option's value. -1 means the text option cannot take the rest.
 */
function trailingFits(specs: OptionSpecs, open: readonly string[], rest: readonly Token[], mention: MentionParser): number {
  if (open.some((n) => specs[n]!.required || specs[n]!.kind === "string")) return rest.length;
  const fits = (n: string, t: Token) => {
    const kind = specs[n]!.kind;
    return kind === "integer" || kind === "number" ? /^[-+]?\d+(\.\d+)?$/.test(t.value) : kind === "user" ? mention(t.value) !== undefined : kind === "boolean" ? /^(yes|no|true|false)$/i.test(t.value) : false;
  };
  for (let k = Math.min(open.length, rest.length); k > 0; k--) {
    const tail = rest.slice(rest.length - k);
    if (tail.every((t, j) => fits(open[j]!, t))) return k;
  }
  return 0;
}

const QUOTES: Record<string, string> = { '"': '"', "'": "'", "“": "”", "‘": "’" };

/** Splits on whitespace, honouring quotes; `name:"some words"` keeps its name. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    const tokenStart = i;
    let name: string | undefined;
    const named = /^([a-z0-9_-]{1,32})[:=]/.exec(s.slice(i));
    if (named) {
      name = named[1];
      i += named[0].length;
    }
    const close = QUOTES[s[i] ?? ""];
    let value = "";
    if (close) {
      const end = s.indexOf(close, i + 1);
      value = end === -1 ? s.slice(i + 1) : s.slice(i + 1, end);
      i = end === -1 ? s.length : end + 1;
    } else {
      const start = i;
      while (i < s.length && !/\s/.test(s[i]!)) i++;
      value = s.slice(start, i);
    }
    const raw = s.slice(tokenStart, i);
    tokens.push(name === undefined ? { value, raw } : { value, name, raw });
  }
  return tokens;
}
