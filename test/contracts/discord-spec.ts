// Checks recorded Discord REST exchanges against Discord's OpenAPI 3.1 description: the path
// and method must be an operation there, the query and body must fit the operation's request,
// and the answer must fit the response documented for its status.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { type Exchange, type Problem, pointerSegment, problemsFrom, readSpec } from "./spec-check.js";

// ajv-formats is CommonJS; under ESM its function sits on `default`.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

type Json = Record<string, unknown>;
interface Operation {
  parameters?: Json[];
  requestBody?: Json;
  responses: Record<string, Json>;
}

const SPEC_ID = "discord:openapi";

/** Validators over the whole spec, built once per test file. */
export class DiscordSpec {
  readonly #spec = readSpec("discord-openapi.json") as { paths: Record<string, Record<string, unknown>>; components: Json };
  readonly #strict = this.#ajv(false);
  // Query values arrive as text: "true", "50". Only the query check coerces.
  readonly #coercing = this.#ajv(true);
  readonly #templates = Object.keys(this.#spec.paths).map((t) => ({ template: t, parts: t.split("/").filter(Boolean) }));

  /** Every disagreement between one exchange and the spec. */
  check(x: Exchange): Problem[] {
    const found = this.#operationFor(x.method, x.path);
    if (!found) return [{ operation: `${x.method} ${x.path}`, side: "operation", field: "", message: "no such operation in Discord's spec" }];
    const { template, operation, pointer } = found;
    const name = `${x.method} ${template}`;
    return [...this.#checkQuery(name, x, template, operation), ...this.#checkBody(name, x, operation, pointer), ...this.#checkResponse(name, x, operation, pointer)];
  }

  #ajv(coerceTypes: boolean): Ajv2020 {
    const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes });
    addFormats(ajv);
    ajv.addFormat("snowflake", /^(0|[1-9][0-9]{0,19})$/);
    ajv.addFormat("nonce", true); // a string or an integer the sender chose
    ajv.addSchema({ $id: SPEC_ID, paths: this.#spec.paths, components: this.#spec.components });
    return ajv;
  }

  /** The operation for a decoded path; literal segments beat parameters (/users/@me over /users/{user_id}). */
  #operationFor(method: string, path: string): { template: string; operation: Operation; pointer: string } | undefined {
    const segments = path.split("/").filter(Boolean);
    let best: { template: string; literals: number } | undefined;
    for (const { template, parts } of this.#templates) {
      if (parts.length !== segments.length) continue;
      if (!parts.every((p, i) => /^\{.+\}$/.test(p) || p === segments[i])) continue;
      const literals = parts.filter((p) => !/^\{.+\}$/.test(p)).length;
      const operation = this.#spec.paths[template]?.[method.toLowerCase()];
      if (operation && (!best || literals > best.literals)) best = { template, literals };
    }
    if (!best) return undefined;
    const operation = this.#spec.paths[best.template]?.[method.toLowerCase()] as Operation;
    return { template: best.template, operation, pointer: `#/paths/${pointerSegment(best.template)}/${method.toLowerCase()}` };
  }

  #deref(value: Json): Json {
    let current = value;
    while (typeof current.$ref === "string") {
      current = current.$ref
        .slice(2)
        .split("/")
        .reduce<unknown>((node, key) => (node as Json)[key.replace(/~1/g, "/").replace(/~0/g, "~")], this.#spec) as Json;
    }
    return current;
  }

  #checkQuery(name: string, x: Exchange, template: string, operation: Operation): Problem[] {
    const declared = [...((this.#spec.paths[template]?.parameters as Json[] | undefined) ?? []), ...(operation.parameters ?? [])]
      .map((p) => this.#deref(p))
      .filter((p) => p.in === "query");
    const problems: Problem[] = [];
    for (const [key, value] of Object.entries(x.query)) {
      const parameter = declared.find((p) => p.name === key);
      if (!parameter) {
        problems.push({ operation: name, side: "query", field: key, message: "query parameter not in the spec" });
        continue;
      }
      // Wrapped in an object so that coercion ("true" to true) can replace the value in place.
      const validate = this.#coercing.compile({ type: "object", properties: { value: absolute(parameter.schema) } });
      if (!validate({ value })) problems.push({ operation: name, side: "query", field: key, message: `value ${JSON.stringify(value)} does not fit the parameter` });
    }
    return problems;
  }

  #checkBody(name: string, x: Exchange, operation: Operation, pointer: string): Problem[] {
    const content = operation.requestBody ? (this.#deref(operation.requestBody).content as Json | undefined) : undefined;
    if (x.requestBody === undefined) {
      const required = operation.requestBody !== undefined && this.#deref(operation.requestBody).required === true;
      return required ? [{ operation: name, side: "request", field: "", message: "body required, none sent" }] : [];
    }
    // Multipart requests carry the same JSON in payload_json (the fake records that JSON) beside
    // their file parts: checked as the operation's multipart form, the parts as its files[n] fields.
    if (x.files && x.files.length > 0) {
      if (!content?.["multipart/form-data"]) return [{ operation: name, side: "request", field: "", message: "files were uploaded, the operation takes no multipart body" }];
      const form = { ...(x.requestBody as Record<string, unknown>), ...Object.fromEntries(x.files.map((field) => [field, "(file)"])) };
      const validate = this.#strict.compile({ $ref: `${SPEC_ID}${pointer}/requestBody/content/multipart~1form-data/schema` });
      return validate(form) ? [] : problemsFrom(validate.errors, name, "request");
    }
    if (!content?.["application/json"]) return [{ operation: name, side: "request", field: "", message: "a body was sent, the spec takes none" }];
    const validate = this.#strict.compile({ $ref: `${SPEC_ID}${pointer}/requestBody/content/application~1json/schema` });
    return validate(x.requestBody) ? [] : problemsFrom(validate.errors, name, "request");
  }

  #checkResponse(name: string, x: Exchange, operation: Operation, pointer: string): Problem[] {
    const status = String(x.status);
    const key = [status, `${status[0]}XX`, "default"].find((k) => operation.responses[k] !== undefined);
    if (!key) return [{ operation: name, side: "response", field: "", message: `status ${status} is not documented for this operation` }];
    const response = this.#deref(operation.responses[key] as Json);
    const schema = (response.content as Json | undefined)?.["application/json"];
    if (!schema) return x.responseBody === undefined ? [] : [{ operation: name, side: "response", field: "", message: `status ${status} documents no body, one was sent` }];
    if (x.responseBody === undefined) return [{ operation: name, side: "response", field: "", message: `status ${status} documents a body, none was sent` }];
    const ref = operation.responses[key]?.$ref;
    const base = typeof ref === "string" ? `${SPEC_ID}#/${ref.slice(2).split("/").map(pointerSegment).join("/")}` : `${SPEC_ID}${pointer}/responses/${key}`;
    const validate = this.#strict.compile({ $ref: `${base}/content/application~1json/schema` });
    return validate(x.responseBody) ? [] : problemsFrom(validate.errors, name, "response");
  }
}

/** A copy of a schema taken out of the spec, its local `$ref`s pointing into the spec. */
function absolute(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(absolute);
  if (typeof schema !== "object" || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `${SPEC_ID}#/${v.slice(2).split("/").map(pointerSegment).join("/")}` : absolute(v)]),
  );
}
