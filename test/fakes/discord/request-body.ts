// Reads a REST request body the way Discord accepts it: JSON, or multipart/form-data with a
// payload_json part plus files (discord.js switches to multipart as soon as a file is attached).
import type { IncomingMessage } from "node:http";
import type { RecordedFile } from "./types.js";

/** Parsed body; `invalid` is set when the JSON could not be parsed. */
export interface ParsedBody {
  body: unknown;
  files: RecordedFile[];
  invalid?: true;
}

/** Reads and parses the whole body. */
export async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { body: undefined, files: [] };
  const contentType = req.headers["content-type"] ?? "";
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (contentType.startsWith("multipart/form-data") && boundary) return parseMultipart(raw, boundary[1] ?? boundary[2] ?? "");
  const text = raw.toString("utf8");
  if (contentType.includes("json")) {
    try {
      return { body: JSON.parse(text) as unknown, files: [] };
    } catch {
      return { body: text, files: [], invalid: true };
    }
  }
  return { body: text, files: [] };
}

function parseMultipart(raw: Buffer, boundary: string): ParsedBody {
  const delimiter = Buffer.from(`--${boundary}`);
  const files: RecordedFile[] = [];
  let body: unknown;
  let invalid = false;
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    const next = raw.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Each part: CRLF, headers, blank line, content, CRLF before the next delimiter.
    const part = raw.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? "";
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (filename !== undefined) {
        files.push({ field: name, filename, contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1], size: content.length });
      } else if (name === "payload_json") {
        try {
          body = JSON.parse(content.toString("utf8")) as unknown;
        } catch {
          invalid = true;
        }
      }
    }
    start = next;
  }
  return invalid ? { body, files, invalid: true } : { body, files };
}
