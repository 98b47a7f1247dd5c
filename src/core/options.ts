/**
 * Typed command options. A command declares its options as an object of specs; the
 * handler receives the validated values with matching TypeScript types.
 */

/** A member picked in an option: the platform's user id and how to show them. */
export interface UserRef {
  readonly platform: string;
  readonly id: string;
  readonly displayName: string;
}

/** A channel picked in an option. */
export interface ChannelRef {
  readonly id: string;
  readonly name?: string;
}

export interface Choice<T extends string | number> {
  readonly name: string;
  readonly value: T;
}

interface BaseSpec {
  readonly description: string;
  readonly required?: boolean;
}

/**
 * How the text grammar (Slack and the playground, where options arrive as one line) spots
 * this option's value among words typed without option names. `words: 0` means only by
 * name (`tier:gold`); otherwise a run of at most `words` words passing `test`.
 */
export interface TypedShape {
  readonly words: number;
  readonly test?: (text: string) => boolean;
}

/** Shapes for {@link StringSpec.typed}. Options without one are free text. */
export const typedAs = {
  /** One word, whatever it is (a short name such as async-rust). */
  word: { words: 1 } as TypedShape,
  /** Only when named (`tier:gold`): a bare word there is too easily part of the text before it. */
  namedOnly: { words: 0 } as TypedShape,
  /** One word matching the pattern. */
  pattern: (re: RegExp): TypedShape => ({ words: 1, test: (t) => re.test(t) }),
  /** Up to `words` words that `test` accepts together. */
  phrase: (words: number, test: (text: string) => boolean): TypedShape => ({ words, test }),
};

export interface StringSpec extends BaseSpec {
  readonly kind: "string";
  /** How it is recognised in typed text; free text when absent. */
  readonly typed?: TypedShape;
  readonly minLength?: number;
  /** Defaults to {@link DEFAULT_MAX_LENGTH}. */
  readonly maxLength?: number;
  readonly choices?: readonly Choice<string>[];
  readonly autocomplete?: boolean;
}

export interface IntegerSpec extends BaseSpec {
  readonly kind: "integer";
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly Choice<number>[];
}

export interface NumberSpec extends BaseSpec {
  readonly kind: "number";
  readonly min?: number;
  readonly max?: number;
}

export interface BooleanSpec extends BaseSpec {
  readonly kind: "boolean";
}

export interface UserSpec extends BaseSpec {
  readonly kind: "user";
}

export interface ChannelSpec extends BaseSpec {
  readonly kind: "channel";
}

export type OptionSpec = StringSpec | IntegerSpec | NumberSpec | BooleanSpec | UserSpec | ChannelSpec;
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Longest text an option accepts unless it says otherwise: one Discord message. */
export const DEFAULT_MAX_LENGTH = 2000;

/**
 * The range of the database's `integer` columns (PostgreSQL int4), where numbers such as
 * question, review and event ids and point amounts end up. Every integer option is held to
 * it, whatever bounds it declares, so an oversized number is an option error, not a crash.
 */
export const DATABASE_INTEGER = { min: -2_147_483_648, max: 2_147_483_647 } as const;

/** The bounds an integer option really accepts: its own, clamped to {@link DATABASE_INTEGER}. */
export function integerBounds(spec: IntegerSpec): { min: number; max: number } {
  return {
    min: Math.max(spec.min ?? DATABASE_INTEGER.min, DATABASE_INTEGER.min),
    max: Math.min(spec.max ?? DATABASE_INTEGER.max, DATABASE_INTEGER.max),
  };
}

type ValueOf<S extends OptionSpec> = S extends StringSpec
  ? string
  : S extends IntegerSpec | NumberSpec
    ? number
    : S extends BooleanSpec
      ? boolean
      : S extends UserSpec
        ? UserRef
        : ChannelRef;

/** The handler's view of its options: required ones are always present. */
export type OptionValues<O extends OptionSpecs> = {
  readonly [K in keyof O]: O[K] extends { required: true } ? ValueOf<O[K]> : ValueOf<O[K]> | undefined;
};

/** What an adapter hands over before validation: typed on Discord, text elsewhere. */
export type RawOptionValue = string | number | boolean | UserRef | ChannelRef;
export type RawOptions = Readonly<Record<string, RawOptionValue>>;

type Without<S, K extends string = "kind"> = Omit<S, K>;

/** Builders that keep literal types (`required: true`) so handlers get precise types. */
export const option = {
  string: <const S extends Without<StringSpec>>(spec: S) => ({ ...spec, kind: "string" }) as S & { kind: "string" },
  integer: <const S extends Without<IntegerSpec>>(spec: S) => ({ ...spec, kind: "integer" }) as S & { kind: "integer" },
  number: <const S extends Without<NumberSpec>>(spec: S) => ({ ...spec, kind: "number" }) as S & { kind: "number" },
  boolean: <const S extends Without<BooleanSpec>>(spec: S) => ({ ...spec, kind: "boolean" }) as S & { kind: "boolean" },
  user: <const S extends Without<UserSpec>>(spec: S) => ({ ...spec, kind: "user" }) as S & { kind: "user" },
  channel: <const S extends Without<ChannelSpec>>(spec: S) => ({ ...spec, kind: "channel" }) as S & { kind: "channel" },
};

/** A short human description of what an option accepts, used by /help and error messages. */
export function describeAccepts(spec: OptionSpec): string {
  switch (spec.kind) {
    case "string": {
      if (spec.choices) return `one of ${spec.choices.map((c) => c.value).join(", ")}`;
      const max = spec.maxLength ?? DEFAULT_MAX_LENGTH;
      return spec.minLength ? `text of ${spec.minLength} to ${max} characters` : `text up to ${max} characters`;
    }
    case "integer":
    case "number": {
      const what = spec.kind === "integer" ? "a whole number" : "a number";
      if (spec.kind === "integer" && spec.choices) return `one of ${spec.choices.map((c) => c.value).join(", ")}`;
      if (spec.min !== undefined && spec.max !== undefined) return `${what} from ${spec.min} to ${spec.max}`;
      if (spec.min !== undefined) return `${what} of at least ${spec.min}`;
      if (spec.max !== undefined) return `${what} of at most ${spec.max}`;
      return what;
    }
    case "boolean":
      return "yes or no";
    case "user":
      return "a member (mention them)";
    case "channel":
      return "a channel";
  }
}
