/**
 * JSON Schemas of Stripe's objects, generated from the types shipped in the installed stripe-node
 * (which Stripe generates from its OpenAPI spec), for checking what the fake sends. Generating
 * and compiling them into validators take tens of seconds, so both the schema and the compiled
 * validators (ajv's standalone code) are cached under node_modules/.cache, keyed by stripe-node's
 * version and the list of types below.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { createGenerator, DefinitionType } from "ts-json-schema-generator";

const require = createRequire(import.meta.url);
// stripe-node's exports hide package.json: step up from its main file (cjs/stripe.cjs.node.js).
const stripeRoot = dirname(dirname(require.resolve("stripe")));
const stripeVersion = (JSON.parse(readFileSync(join(stripeRoot, "package.json"), "utf8")) as { version: string }).version;

/**
 * The types to check, by the `object` value Stripe gives them (the contract's keys), plus the
 * list envelope, the event envelope, the event types and the published error codes and types.
 */
const CONTRACT_SOURCE = `
import type { Customer, DeletedCustomer } from "STRIPE/resources/Customers.js";
import type { Subscription } from "STRIPE/resources/Subscriptions.js";
import type { SubscriptionItem } from "STRIPE/resources/SubscriptionItems.js";
import type { Invoice } from "STRIPE/resources/Invoices.js";
import type { InvoiceLineItem } from "STRIPE/resources/InvoiceLineItems.js";
import type { InvoicePayment } from "STRIPE/resources/InvoicePayments.js";
import type { Charge } from "STRIPE/resources/Charges.js";
import type { Refund } from "STRIPE/resources/Refunds.js";
import type { Dispute } from "STRIPE/resources/Disputes.js";
import type { PaymentIntent } from "STRIPE/resources/PaymentIntents.js";
import type { Session as CheckoutSession } from "STRIPE/resources/Checkout/Sessions.js";
import type { LineItem } from "STRIPE/resources/LineItems.js";
import type { Session as PortalSession } from "STRIPE/resources/BillingPortal/Sessions.js";
import type { Price } from "STRIPE/resources/Prices.js";
import type { Plan } from "STRIPE/resources/Plans.js";
import type { Product } from "STRIPE/resources/Products.js";
import type { Coupon, DeletedCoupon } from "STRIPE/resources/Coupons.js";
import type { PromotionCode } from "STRIPE/resources/PromotionCodes.js";
import type { EventBase, Event } from "STRIPE/resources/Events.js";
import type { ApiList } from "STRIPE/lib.js";

export interface StripeContract {
  customer: Customer;
  deleted_customer: DeletedCustomer;
  subscription: Subscription;
  subscription_item: SubscriptionItem;
  invoice: Invoice;
  line_item: InvoiceLineItem;
  invoice_payment: InvoicePayment;
  charge: Charge;
  refund: Refund;
  dispute: Dispute;
  payment_intent: PaymentIntent;
  "checkout.session": CheckoutSession;
  item: LineItem;
  "billing_portal.session": PortalSession;
  price: Price;
  plan: Plan;
  product: Product;
  coupon: Coupon;
  deleted_coupon: DeletedCoupon;
  promotion_code: PromotionCode;
  event: EventBase;
  list: ApiList<unknown>;
  event_type: Event.Type;
  error_code: Invoice.LastFinalizationError.Code;
  error_type: Invoice.LastFinalizationError.Type;
}
`;

export interface StripeSchemas {
  readonly stripeVersion: string;
  /** The generated schema; each contract key is at `#/definitions/StripeContract/properties/<key>`. */
  readonly schema: { definitions: Record<string, unknown> } & Record<string, unknown>;
  /** The names of the checked object types (contract keys that are Stripe objects). */
  readonly objectTypes: readonly string[];
  /** Every event type Stripe publishes. */
  readonly eventTypes: ReadonlySet<string>;
  /** Every error code and error type Stripe publishes. */
  readonly errorCodes: ReadonlySet<string>;
  readonly errorTypes: ReadonlySet<string>;
}

function cacheFile(extension: string, extra = ""): string {
  const key = createHash("sha256").update(CONTRACT_SOURCE + extra).digest("hex").slice(0, 12);
  const dir = join(process.cwd(), "node_modules", ".cache", "guildhall-stripe-schemas");
  mkdirSync(dir, { recursive: true });
  return join(dir, `stripe-${stripeVersion}-${key}.${extension}`);
}

/**
 * stripe-node declares some names twice in different files (`Card` and `Issuing.Card`, the two
 * `Session`s), which the generator refuses; while generating, a second type with a taken name is
 * given a numbered one (`Session__1`), consistently for every reference to it.
 */
function withDistinctNames<T>(work: () => T): T {
  const original = DefinitionType.prototype.getName;
  const idsByName = new Map<string, string[]>();
  DefinitionType.prototype.getName = function distinctName(this: DefinitionType): string {
    const name = original.call(this);
    const id = this.getId().replace(/def-/g, "");
    const ids = idsByName.get(name) ?? [];
    idsByName.set(name, ids);
    let index = ids.indexOf(id);
    if (index < 0) index = ids.push(id) - 1;
    return index === 0 ? name : `${name}__${index}`;
  };
  try {
    return work();
  } finally {
    DefinitionType.prototype.getName = original;
  }
}

function generate(): StripeSchemas["schema"] {
  const dir = dirname(cacheFile("json"));
  const entry = join(dir, "contract.ts");
  writeFileSync(entry, CONTRACT_SOURCE.replaceAll("STRIPE/", `${join(stripeRoot, "cjs")}/`));
  return withDistinctNames(() => createGenerator({
    path: entry, type: "StripeContract", skipTypeCheck: true, expose: "export", topRef: true, jsDoc: "none",
    // Objects may not carry fields the types do not know: a field the fake invents fails the contract.
    additionalProperties: false, functions: "hide",
  }).createSchema("StripeContract")) as StripeSchemas["schema"];
}

/** The string literals a (possibly `OtherString`-widened) union schema lists. */
function literals(schema: unknown): string[] {
  if (typeof schema !== "object" || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const own = [
    ...(typeof node["const"] === "string" ? [node["const"]] : []),
    ...(Array.isArray(node["enum"]) ? node["enum"].filter((v): v is string => typeof v === "string") : []),
  ];
  return [...own, ...["anyOf", "oneOf", "allOf"].flatMap((k) => (Array.isArray(node[k]) ? (node[k] as unknown[]).flatMap(literals) : []))];
}

/** Loads the schemas from the cache, generating them the first time for this stripe-node. */
export function loadStripeSchemas(): StripeSchemas {
  const file = cacheFile("json");
  let schema: StripeSchemas["schema"];
  if (existsSync(file)) {
    schema = JSON.parse(readFileSync(file, "utf8")) as StripeSchemas["schema"];
  } else {
    schema = generate();
    writeFileSync(file, JSON.stringify(schema));
  }
  const contract = schema.definitions["StripeContract"] as { properties: Record<string, unknown> };
  const resolve = (node: unknown): unknown => {
    const ref = (node as { $ref?: string }).$ref;
    return ref ? resolve(schema.definitions[decodeURIComponent(ref.replace("#/definitions/", ""))]) : node;
  };
  const prop = (key: string) => resolve(contract.properties[key]);
  const special = new Set(["event_type", "error_code", "error_type", "list"]);
  return {
    stripeVersion,
    schema,
    objectTypes: Object.keys(contract.properties).filter((key) => !special.has(key)),
    eventTypes: new Set(literals(prop("event_type"))),
    errorCodes: new Set(literals(prop("error_code"))),
    errorTypes: new Set(literals(prop("error_type"))),
  };
}

/** A validator per checked object type (and `list` for the list envelope). */
export type StripeValidators = ReadonlyMap<string, ValidateFunction>;

/**
 * Compiles (or loads the cached compilation of) a validator for each object type and the list
 * envelope. `replace` swaps whole definitions (by name) where stripe-node's types and the wire
 * format disagree. Compiling stripe-node's whole object graph takes ajv a while, so its
 * standalone code is cached next to the schema.
 */
export function loadStripeValidators(schemas: StripeSchemas, replace: Record<string, object> = {}): StripeValidators {
  const keys = [...schemas.objectTypes, "list"];
  const exportName = (key: string) => `v_${key.replace(/\W/g, "_")}`;
  const file = cacheFile("cjs", JSON.stringify(replace));
  if (!existsSync(file)) {
    for (const name of Object.keys(replace)) {
      if (!(name in schemas.schema.definitions)) throw new Error(`no definition ${name} to replace in stripe-node's schema`);
    }
    const ajv = new Ajv({ strict: false, allErrors: true, code: { source: true } });
    ajv.addSchema({ ...schemas.schema, definitions: { ...schemas.schema.definitions, ...replace } }, "stripe");
    const refs = Object.fromEntries(keys.map((key) => [exportName(key), `stripe#/definitions/StripeContract/properties/${key}`]));
    for (const ref of Object.values(refs)) ajv.compile({ $ref: ref });
    // ajv's CommonJS module is its own default export; `.default` reaches the function from ESM and TypeScript alike.
    writeFileSync(file, standaloneCode.default(ajv, refs));
  }
  const compiled = require(file) as Record<string, ValidateFunction>;
  return new Map(keys.map((key) => [key, compiled[exportName(key)]!]));
}
