import type { Command } from "./command.js";
import type { OptionSpec, OptionSpecs, RawOptionValue } from "./options.js";

/** How a text platform turns a mention token into a member, or undefined if it is not one. */
export type MentionParser = (token: string) => RawOptionValue | undefined;

export interface ParsedText {
  readonly subcommand: string | undefined;
  readonly options: Record<string, RawOptionValue>;
}

/**
 * Parses the text after a slash command on platforms that deliver plain text (Slack and
 * the playground), so that what people naturally type works:
 *
 * - `name:value` (or `name=value`) sets an option by name, anywhere on the line;
 * - quotes ("…", '…', “…”, ‘…’) group words into one value;
 * - the other words fill the remaining options in declaration order. Options with a shape
 *   (a number, a member, a choice, a time, a link…) take the words that look like them;
 *   free-text options take the words in between, so `/announce Welcome to the community!`
 *   or `/thanks @bob Extraordinarily helpful answer` need no quotes. Two free-text options
 *   side by side split at a sentence end (`/ask Why is this slow? I tried…`) or a quote.
 *
 * The best reading is found by dynamic programming over (option, word) with a score:
 * leftover words are worst, then missing required options, then an unsplittable pair of
 * texts; recognised values score above free text. Words nothing can take are reported by
 * validation as extra text.
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
  return { subcommand, options: assign(specs, tokens, mention, text) };
}

export interface Token {
  value: string;
  /** Set for `name:value` tokens. */
  name?: string;
  /** The token as typed, used when `name` is not an option after all (`https://...`). */
  raw: string;
  /** Grouped by quotes: it fills one option on its own. */
  quoted: boolean;
  /** Where the token starts and ends in the trimmed text. */
  start: number;
  end: number;
}

const LEFTOVER = -1000;
const MISSING_REQUIRED = -100;
const UNSPLIT_TEXTS = -200;
/** A value that does not look right for its option still beats leftover words: validation then says what is wrong with it. */
const MISFIT = -30;
const RECOGNISED = 10;
/** Per word, so "1h 30m" is one duration rather than "1h" and a description "30m". */
const RECOGNISED_WORD = 3;
const FREE_TEXT = 2;
/** Free text ends at a sentence end or a quote: a second free-text option may follow. */
const SENTENCE_END = /[?.!:;]$/;

interface Plan {
  score: number;
  /** [option index, first token, end token] of each filled option. */
  spans: [number, number, number][];
}

function assign(specs: OptionSpecs, all: Token[], mention: MentionParser, text: string): Record<string, RawOptionValue> {
  const options: Record<string, RawOptionValue> = {};
  for (const t of all) {
    if (t.name !== undefined && t.name in specs) options[t.name] = t.value;
  }
  const free = all.filter((t) => t.name === undefined || !(t.name in specs)).map((t) => (t.name === undefined ? t : { ...t, value: t.raw }));
  const open = Object.keys(specs).filter((n) => !(n in options));
  const source = text.trim();
  const plan = bestPlan(open.map((n) => specs[n]!), free, mention);
  let used = 0;
  for (const [o, from, to] of plan.spans) {
    const name = open[o]!;
    options[name] = valueOf(specs[name]!, free.slice(from, to), source, mention);
    used = to;
  }
  if (used < free.length) {
    const extra = free.slice(used).map((t) => t.raw).join(" ");
    options[`(extra text “${extra}”)`] = extra; // reported by validation as unknown
  }
  for (const [name, spec] of Object.entries(specs)) {
    const value = options[name];
    if (spec.kind === "user" && typeof value === "string") options[name] = mention(value) ?? value;
  }
  return options;
}

function bestPlan(specs: readonly OptionSpec[], tokens: readonly Token[], mention: MentionParser): Plan {
  const n = specs.length;
  const m = tokens.length;
  // memo[i][j][p]: the best plan for options i.. over tokens j.., p = an unclosed free text precedes.
  const memo = new Map<number, Plan>();
  const solve = (i: number, j: number, pending: boolean): Plan => {
    if (i === n) return { score: LEFTOVER * (m - j), spans: [] };
    const key = (i * (m + 1) + j) * 2 + (pending ? 1 : 0);
    const known = memo.get(key);
    if (known) return known;
    const spec = specs[i]!;
    // Filling an option is considered before skipping it, and ties keep the first plan found:
    // with equal scores the earlier option takes the words (`title` before `description`).
    let best: Plan | undefined;
    const consider = (k: number, score: number, nextPending: boolean) => {
      const rest = solve(i + 1, k, nextPending);
      if (!best || score + rest.score > best.score) best = { score: score + rest.score, spans: [[i, j, k], ...rest.spans] };
    };
    if (j < m) {
      if (isFreeText(spec)) {
        for (let k = j + 1; k <= m; k++) {
          const last = tokens[k - 1]!;
          const closed = last.quoted || SENTENCE_END.test(last.value);
          // A quoted group stands alone where it can; inside longer text it is just words ("a").
          const quotedInside = k - j > 1 ? tokens.slice(j, k).filter((t) => t.quoted).length : 0;
          consider(k, FREE_TEXT - quotedInside + (pending ? UNSPLIT_TEXTS : 0), !closed);
        }
      } else {
        const words = maxWords(spec);
        let fitted = false;
        for (let k = j + 1; k <= Math.min(m, j + words); k++) {
          const span = tokens.slice(j, k);
          if (k - j > 1 && span.some((t) => t.quoted)) break;
          if (fits(spec, span, mention)) {
            fitted = true;
            consider(k, RECOGNISED + RECOGNISED_WORD * (k - j), false);
          }
        }
        if (!fitted && words > 0) consider(j + 1, MISFIT, false);
      }
    }
    const skipped = solve(i + 1, j, pending);
    const skipScore = skipped.score + (spec.required ? MISSING_REQUIRED : 0);
    if (!best || skipScore > best.score) best = { score: skipScore, spans: skipped.spans };
    memo.set(key, best);
    return best;
  };
  return solve(0, 0, false);
}

function isFreeText(spec: OptionSpec): boolean {
  return spec.kind === "string" && !spec.choices && spec.typed === undefined;
}

function maxWords(spec: OptionSpec): number {
  return spec.kind === "string" && spec.typed ? spec.typed.words : 1;
}

const NUMBER = /^[-+]?\d+(\.\d+)?$/;
/** `#12` is how people write a question, review or event number. */
const INTEGER = /^#?[-+]?\d+$/;
const BOOLEAN = /^(yes|no|true|false|on|off|y|n)$/i;

function fits(spec: OptionSpec, span: readonly Token[], mention: MentionParser): boolean {
  const text = span.map((t) => t.value).join(" ");
  switch (spec.kind) {
    case "integer":
      return INTEGER.test(text) && (!spec.choices || spec.choices.some((c) => c.value === Number(text.replace("#", ""))));
    case "number":
      return NUMBER.test(text);
    case "boolean":
      return BOOLEAN.test(text);
    case "user":
      return mention(text) !== undefined;
    case "channel":
      return /^(#[\w-]+|<#\w+(\|[^>]*)?>)$/.test(text);
    case "string":
      if (spec.choices) return choiceFor(spec.choices, text) !== undefined;
      return spec.typed?.test ? spec.typed.test(text) : true;
  }
}

function choiceFor(choices: readonly { name: string; value: string }[], text: string): string | undefined {
  const t = text.toLowerCase();
  return choices.find((c) => c.value.toLowerCase() === t || c.name.toLowerCase() === t)?.value;
}

function valueOf(spec: OptionSpec, span: readonly Token[], source: string, mention: MentionParser): RawOptionValue {
  // Several words keep the text as typed between them (line breaks in a question's details).
  const text = span.length === 1 ? span[0]!.value : source.slice(span[0]!.start, span[span.length - 1]!.end);
  switch (spec.kind) {
    case "integer":
      return INTEGER.test(text) ? text.replace("#", "") : text;
    case "user":
      return mention(text) ?? text;
    case "string":
      return spec.choices ? (choiceFor(spec.choices, text) ?? text) : text;
    default:
      return text;
  }
}

const QUOTES: Record<string, string> = { '"': '"', "'": "'", "“": "”", "‘": "’", "«": "»" };

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
    let quoted = false;
    const end = close ? s.indexOf(close, i + 1) : -1;
    // A quote opens a group only when it closes before the end; "Rust's" and a lone ' are words.
    if (close && end !== -1) {
      value = s.slice(i + 1, end);
      i = end + 1;
      quoted = true;
    } else {
      const start = i;
      while (i < s.length && !/\s/.test(s[i]!)) i++;
      value = s.slice(start, i);
    }
    const raw = s.slice(tokenStart, i);
    tokens.push({ value, raw, quoted, start: tokenStart, end: i, ...(name === undefined ? {} : { name }) });
  }
  return tokens;
}
