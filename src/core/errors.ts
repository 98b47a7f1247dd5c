/**
 * Two kinds of error. A {@link UserFacingError} carries a message a member can act on and
 * is shown to them privately. Anything else is a fault on our side: it is logged with
 * context and the member sees a short apology with an error id to quote.
 */
export class UserFacingError extends Error {
  override name = "UserFacingError";
  /** A stable machine-readable code, for tests and logs. */
  readonly code: string;
  constructor(message: string, code = "user_error") {
    super(message);
    this.code = code;
  }
}

/** One or more options were missing or malformed; the message names each one and why. */
export class OptionError extends UserFacingError {
  override name = "OptionError";
  constructor(readonly problems: readonly { option: string; message: string }[]) {
    super(
      problems.length === 1
        ? `\`${problems[0]!.option}\` ${problems[0]!.message}.`
        : `Some options need fixing:\n${problems.map((p) => `• \`${p.option}\` ${p.message}.`).join("\n")}`,
      "invalid_option",
    );
  }
}

/** The member's role does not allow this command. */
export class PermissionError extends UserFacingError {
  override name = "PermissionError";
  constructor(message: string) {
    super(message, "missing_permission");
  }
}

/** A fault on our side with a stable code and the error that caused it. */
export class InternalError extends Error {
  override name = "InternalError";
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A short id a member can quote and an operator can grep for in the logs. */
export function newErrorId(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  let id = "";
  for (let i = 0; i < 6; i++) id += alphabet[Math.floor(Math.random() * alphabet.length)];
  return `E-${id}`;
}

/**
 * Turns a failure of a service outside Guildhall (Stripe's key rejected, Stripe unreachable)
 * into what the member can act on; capabilities add theirs with {@link explainErrorsWith}.
 */
export type ErrorExplainer = (error: unknown) => UserFacingError | undefined;

const explainers = new Set<ErrorExplainer>();

/** Registers an explainer (once, however often it is called with the same function). */
export function explainErrorsWith(explainer: ErrorExplainer): void {
  explainers.add(explainer);
}

/** The user-facing form of `error`: itself, or an explainer's sentence, or undefined for our own faults. */
export function asUserFacing(error: unknown): UserFacingError | undefined {
  if (error instanceof UserFacingError) return error;
  for (const explain of explainers) {
    const explained = explain(error);
    if (explained) return explained;
  }
  return undefined;
}
