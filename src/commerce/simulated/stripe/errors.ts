/** A Stripe API error the router turns into `{ error: { ... } }` with the given HTTP status. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = "StripeApiError";
  }

  toJSON(): { error: Record<string, string> } {
    const error: Record<string, string> = { type: this.type, message: this.message };
    if (this.code !== undefined) error["code"] = this.code;
    if (this.param !== undefined) error["param"] = this.param;
    if (this.code !== undefined) error["doc_url"] = `https://stripe.com/docs/error-codes/${this.code.replace(/_/g, "-")}`;
    return { error };
  }
}

/** 404 `resource_missing`, worded like Stripe: "No such price: 'price_123'". */
export function noSuch(objectName: string, id: string, param = "id"): StripeApiError {
  return new StripeApiError(404, "invalid_request_error", `No such ${objectName}: '${id}'`, "resource_missing", param);
}

/** 400 `resource_missing` for an id given as a parameter (Stripe answers 400, not 404, there). */
export function noSuchParam(objectName: string, id: string, param: string): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", `No such ${objectName}: '${id}'`, "resource_missing", param);
}

/**
 * 400 `invalid_request_error` about one parameter. Stripe sends no `code` for most validation
 * failures; pass one only when it is one of Stripe's published error codes.
 */
export function invalid(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", message, code, param);
}

/** 400 `parameters_exclusive`, worded like Stripe. */
export function exclusive(params: string[]): StripeApiError {
  return invalid(`You may only specify one of these parameters: ${params.join(", ")}.`, params[params.length - 1], "parameters_exclusive");
}

/** 400 `parameter_unknown`: "Received unknown parameter: foo" (or "parameters: a, b"). */
export function unknownParams(names: string[]): StripeApiError {
  const message = names.length === 1 ? `Received unknown parameter: ${names[0]}` : `Received unknown parameters: ${names.join(", ")}`;
  return invalid(message, names[0], "parameter_unknown");
}

/** 404 for a path no route knows; Stripe sends no `code` here. */
export function unrecognized(method: string, path: string): StripeApiError {
  return new StripeApiError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`);
}

export function missingParam(param: string): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", `Missing required param: ${param}.`, "parameter_missing", param);
}
