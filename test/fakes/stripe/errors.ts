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

/** 400 `invalid_request_error` about one parameter. */
export function invalid(message: string, param?: string, code = "parameter_invalid"): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", message, code, param);
}

export function missingParam(param: string): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", `Missing required param: ${param}.`, "parameter_missing", param);
}
