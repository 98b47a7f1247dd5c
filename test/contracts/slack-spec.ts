// Checks recorded Slack Web API exchanges against Slack's Swagger 2.0 description
// (slackapi/slack-api-specs), and Events API bodies against its event schemas.
//
// Two conversions make the 2021 spec usable by a JSON Schema validator:
// - it writes unions as `items: [A, B]` on schemas that are not arrays, which a validator
//   reads as a tuple and ignores for non-arrays; those become `anyOf: [A, B]`;
// - Swagger's `definitions` and the per-path schemas go into one document, so their
//   `#/definitions/...` references resolve.
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { type Exchange, type Problem, pointerSegment, problemsFrom, readSpec } from "./spec-check.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => void;

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  type?: string;
  required?: boolean;
}
interface Operation {
  parameters?: Parameter[];
  responses: Record<string, { schema?: Json }>;
}

const WEB_ID = "slack:web";
/** Fields @slack/web-api sends as JSON text; the fake records them parsed. */
const JSON_FIELDS = new Set(["blocks", "attachments", "view"]);

/** Turns `items: [..]` unions on non-array schemas into `anyOf`, everywhere in `node`. */
export function unionsAsAnyOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(unionsAsAnyOf);
  if (typeof node !== "object" || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) out[key] = unionsAsAnyOf(value);
  if (Array.isArray(out.items) && out.type !== "array") {
    out.anyOf = out.items;
    delete out.items;
  }
  return out;
}

export class SlackSpec {
  readonly #web = readSpec("slack_web_openapi_v2.json") as { paths: Record<string, Record<string, Operation>>; definitions: Json };
  readonly #ajv = new Ajv({ strict: false, allErrors: true });
  readonly #validators = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.#ajv);
    this.#ajv.addSchema(unionsAsAnyOf({ $id: WEB_ID, definitions: this.#web.definitions, paths: this.#web.paths }) as Json);
    const events = readSpec("slack_events_api_async_v1.json") as { topics: Record<string, { subscribe: { payload: Json } }>; components: Json };
    this.#ajv.addSchema(unionsAsAnyOf({ $id: "slack:events", topics: events.topics, components: events.components }) as Json);
    this.#ajv.addSchema(unionsAsAnyOf({ ...readSpec("slack_common_event_wrapper_schema.json"), $id: "slack:event-wrapper" }) as Json);
  }

  /** Every disagreement between one Web API exchange and the spec. */
  check(x: Exchange): Problem[] {
    const path = `/${x.path}`;
    const verbs = this.#web.paths[path];
    // Slack takes every method by GET or POST alike (@slack/web-api always POSTs), so the
    // method name alone picks the operation; the spec lists one verb per method.
    const [verb, operation] = Object.entries(verbs ?? {})[0] ?? [];
    if (!verb || !operation) return [{ operation: x.path, side: "operation", field: "", message: "no such method in Slack's spec" }];
    return [...this.#checkArguments(x, operation), ...this.#checkAnswer(x, `#/paths/${pointerSegment(path)}/${verb}`, operation)];
  }

  /**
   * Problems with an Events API body: the common wrapper, then the event's own schema,
   * chosen as Slack names its topics ("message.channels", "team.join").
   */
  checkEvent(body: Json): Problem[] {
    const event = body.event as Json | undefined;
    const type = String(event?.type ?? "");
    const channelType = event?.channel_type;
    const topic = type === "message" && typeof channelType === "string" ? `message.${channelType === "channel" ? "channels" : `${channelType}s`}` : type.replace(/_/g, ".");
    const name = `event ${topic}`;
    const wrapper = this.#validator("slack:event-wrapper");
    const problems = wrapper(body) ? [] : problemsFrom(wrapper.errors, name, "request");
    const payload = this.#validator(`slack:events#/topics/${pointerSegment(topic)}/subscribe/payload`);
    return payload(body) ? problems : [...problems, ...problemsFrom(payload.errors, name, "request")];
  }

  #validator(ref: string): ValidateFunction {
    let validate = this.#validators.get(ref);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: ref });
      this.#validators.set(ref, validate);
    }
    return validate;
  }

  /** Arguments are form fields: each must be a parameter of the method, of its type; required ones present. */
  #checkArguments(x: Exchange, operation: Operation): Problem[] {
    const args = (x.requestBody ?? {}) as Json;
    const parameters = operation.parameters ?? [];
    const problems: Problem[] = [];
    for (const [key, value] of Object.entries(args)) {
      const parameter = parameters.find((p) => p.name === key);
      if (!parameter) {
        problems.push({ operation: x.path, side: "request", field: key, message: "argument not in the spec" });
        continue;
      }
      if (!JSON_FIELDS.has(key) && !fitsType(value, parameter.type)) {
        problems.push({ operation: x.path, side: "request", field: key, message: `value ${JSON.stringify(value)} is not a ${parameter.type ?? "value"}` });
      }
    }
    for (const p of parameters) {
      // The token travels in the Authorization header, which the fake records apart.
      if (p.required && p.name !== "token" && !(p.name in args)) problems.push({ operation: x.path, side: "request", field: p.name, message: "required argument missing" });
    }
    return problems;
  }

  /** `ok: true` answers follow the 200 schema, failures (429 included) the default one. */
  #checkAnswer(x: Exchange, pointer: string, operation: Operation): Problem[] {
    const ok = (x.responseBody as { ok?: unknown } | undefined)?.ok === true;
    const key = ok ? "200" : "default";
    if (!operation.responses[key]?.schema) return [{ operation: x.path, side: "response", field: "", message: `no ${key} response in the spec` }];
    if (ok && x.status !== 200) return [{ operation: x.path, side: "response", field: "", message: `ok:true with HTTP ${x.status}` }];
    const validate = this.#validator(`${WEB_ID}${pointer}/responses/${key}/schema`);
    return validate(x.responseBody) ? [] : problemsFrom(validate.errors, x.path, "response");
  }
}

function fitsType(value: unknown, type: string | undefined): boolean {
  const text = String(value);
  switch (type) {
    case "integer":
      return /^-?\d+$/.test(text);
    case "number":
      return text.trim() !== "" && Number.isFinite(Number(text));
    case "boolean":
      return ["true", "false", "1", "0"].includes(text);
    default:
      return true;
  }
}
