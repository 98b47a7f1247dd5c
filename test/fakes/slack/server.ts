// The fake Slack server: one node:http server on 127.0.0.1 serving the Web API (/api/<method>),
// response_url posts (/response/<id>) and the Socket Mode WebSocket (/socket).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CallRecorder, type CannedAnswer } from "./recorder.js";
import { readRequest } from "./request-body.js";
import { SOCKET_PATH, SocketModeServer } from "./socket.js";
import { membershipEvents } from "./membership-events.js";
import { channelFrom } from "./conversations.js";
import type { FakeSlack, FakeSlackOptions, RecordedSlackCall, SlackChannel, SlackUser } from "./types.js";
import { answerWebApi, tokenError, UNKNOWN_METHOD_STATUS, unknownMethod } from "./web-api.js";
import { FAKE_IDS, MANIFEST_SCOPES, type Workspace } from "./workspace.js";

const API_PREFIX = "/api/";
const RESPONSE_PREFIX = "/response/";
const UPLOAD_PREFIX = "/upload/";
const FIRST_TS_SECONDS = 1_700_000_000;

/** Starts a fake Slack on an ephemeral 127.0.0.1 port. Start it before constructing a Bolt App (Bolt calls auth.test at once). */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const recorder = new CallRecorder();
  const appId = opts.appId ?? FAKE_IDS.appId;
  const socket = new SocketModeServer(appId);
  const counters = { ts: 0, view: 0, responseUrl: 0, ticket: 0 };
  let base = "";

  const workspace: Workspace = {
    teamId: opts.teamId ?? FAKE_IDS.teamId,
    teamDomain: "fake-team",
    botUserId: opts.botUserId ?? FAKE_IDS.botUserId,
    botId: opts.botId ?? FAKE_IDS.botId,
    appId,
    scopes: new Set(opts.scopes ?? MANIFEST_SCOPES),
    users: new Map<string, SlackUser>(),
    channels: new Map<string, SlackChannel>(),
    userGroups: new Map<string, string[]>(),
    messages: [],
    reactions: new Set<string>(),
    socketUrl: () => `${base.replace(/^http/, "ws")}${SOCKET_PATH}?ticket=${(counters.ticket += 1)}&app_id=${appId}`,
    nextTs: () => {
      counters.ts += 100;
      return `${FIRST_TS_SECONDS + Math.floor(counters.ts / 1_000_000)}.${String(counters.ts % 1_000_000).padStart(6, "0")}`;
    },
    nextViewId: () => `V${String((counters.view += 1)).padStart(7, "0")}`,
    uploads: new Map(),
    uploadUrl: (fileId) => `${base}${UPLOAD_PREFIX}${fileId}`,
  };

  for (const user of opts.users ?? []) workspace.users.set(user.id, user);
  for (const channel of opts.channels ?? []) workspace.channels.set(channel.id, channelFrom(channel, workspace.botUserId));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (path.startsWith(API_PREFIX)) {
      const method = decodeURIComponent(path.slice(API_PREFIX.length));
      const { args, token } = await readRequest(req);
      const call = withOptional({ method, args, at: Date.now() }, { token });
      recorder.record(call);
      const canned = recorder.take(method, args);
      if (canned?.body !== undefined) return send(res, call, canned, canned.body);
      const answer = tokenError(method, token) ?? answerWebApi(method, args, workspace);
      if (answer === undefined) return send(res, call, { status: UNKNOWN_METHOD_STATUS, headers: {}, body: undefined }, unknownMethod(method));
      return send(res, call, canned, answer);
    }
    if (path.startsWith(RESPONSE_PREFIX) && req.method === "POST") {
      const responseUrlId = decodeURIComponent(path.slice(RESPONSE_PREFIX.length));
      const { args } = await readRequest(req);
      const call: RecordedSlackCall = { method: "response_url", args, at: Date.now(), responseUrlId };
      recorder.record(call);
      const canned = recorder.take("response_url", args);
      return send(res, call, canned, canned?.body ?? { ok: true });
    }
    if (path.startsWith(UPLOAD_PREFIX) && req.method === "POST") {
      const upload = workspace.uploads.get(decodeURIComponent(path.slice(UPLOAD_PREFIX.length)));
      let size = 0;
      for await (const chunk of req) size += (chunk as Buffer).length;
      if (!upload) return send(res, undefined, { status: 404, headers: {}, body: undefined }, "Not Found");
      upload.received = size;
      recorder.record({ method: "upload", args: { path, size }, at: Date.now() });
      return send(res, undefined, undefined, `OK - ${size}`);
    }
    send(res, undefined, { status: 404, headers: {}, body: undefined }, { ok: false, error: "unknown_path", path });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, undefined, { status: 500, headers: {}, body: undefined }, { ok: false, error: "fake_failed", detail: String(error) });
      else res.end();
    });
  });
  server.on("upgrade", (req: IncomingMessage, sock, head: Buffer) => {
    if (!socket.handleUpgrade(req, sock, head)) sock.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}${API_PREFIX}`,
    responseUrl: (id) => `${base}${RESPONSE_PREFIX}${encodeURIComponent(id ?? `r${(counters.responseUrl += 1)}`)}`,
    calls: recorder.calls,
    callsTo: (method) => recorder.callsTo(method),
    waitForCall: (pred, timeoutMs) => recorder.waitForCall(pred, timeoutMs),
    setResponse: (method, response, options) => recorder.setResponse(method, response, options),
    userGroups: workspace.userGroups,
    users: workspace.users,
    channels: workspace.channels,
    addChannel: (channel) => {
      const added = channelFrom(channel, workspace.botUserId);
      workspace.channels.set(added.id, added);
      return added;
    },
    ...membershipEvents(workspace, socket),
    messages: workspace.messages,
    reactions: workspace.reactions,
    uploads: workspace.uploads,
    socket,
    close: async () => {
      await socket.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Writes the answer, and keeps it on the call it answers (for contract tests). */
function send(res: ServerResponse, call: RecordedSlackCall | undefined, canned: CannedAnswer | undefined, body: unknown): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const contentType = typeof body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8";
  const status = canned?.status ?? 200;
  if (call) call.response = { status, body };
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text), ...canned?.headers });
  res.end(text);
}

// exactOptionalPropertyTypes: leave `token` out rather than set it to undefined.
function withOptional(call: RecordedSlackCall, extra: { token: string | undefined }): RecordedSlackCall {
  return extra.token === undefined ? call : { ...call, token: extra.token };
}
