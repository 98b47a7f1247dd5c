import { DEFAULT_COMMERCE, DEFAULT_SETTINGS } from "../../src/capabilities.js";
import type { Command } from "../../src/core/command.js";
import type { CommunityConfig } from "../../src/config/communities.js";
import type { Db } from "../../src/db/database.js";
import { HttpServer } from "../../src/http/http-server.js";
import type { Logger } from "../../src/log/logger.js";
import { SLACK_EVENTS_PATH, SlackAdapter, type SlackAdapterOptions } from "../../src/platform/slack/slack-adapter.js";
import { assemble, type Runtime } from "../../src/core/assemble.js";
import { type FakeSlack, type FakeSlackOptions, postSigned, slashCommandBody, startFakeSlack } from "../fakes/slack/index.js";
import { withOnly } from "./test-commands.js";

/** Ids are shaped like Slack's (a letter and at least 8 more): the contract tests check them. */
export const TEAM = "T0ACMEACME";
export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5".replace(/[yz]/g, "0");
export const CHANNEL = "C0GENERAL";

/** The member who runs commands in these tests ({@link postCommand}'s default). */
export const ADA_ID = "U0ADA";

/** The fake Slack workspace these tests use: #general ({@link CHANNEL}) with Ada and the bot in it. */
export function startAcmeSlack(extra: FakeSlackOptions = {}): Promise<FakeSlack> {
  return startFakeSlack({
    teamId: TEAM,
    users: [{ id: ADA_ID, name: "ada" }],
    channels: [{ id: CHANNEL, name: "general", general: true, members: [ADA_ID] }],
    ...extra,
  });
}

export function acmeSlackCommunity(extra: Partial<NonNullable<CommunityConfig["slack"]>> = {}): CommunityConfig {
  return {
    slug: "acme",
    name: "Acme Academy",
    timezone: "UTC",
    commerce: DEFAULT_COMMERCE, ...DEFAULT_SETTINGS,
    slack: { teamId: TEAM, creatorUserIds: [], creatorUserGroupIds: [], adminUserIds: [], adminUserGroupIds: [], ...extra },
  };
}

/** A Slack slash command posted, correctly signed, to a Bolt HTTP endpoint. */
export async function postCommand(fake: FakeSlack, url: string, command: string, text = "", opts: { userId?: string; secret?: string; timestampSeconds?: number } = {}) {
  const body = slashCommandBody({ command, text, userId: opts.userId ?? ADA_ID, userName: "ada", teamId: TEAM, teamDomain: "acme", channelId: CHANNEL, responseUrl: fake.responseUrl() });
  const response = await postSigned(url, opts.secret ?? SIGNING_SECRET, body, opts.timestampSeconds === undefined ? {} : { timestampSeconds: opts.timestampSeconds });
  return { status: response.status, json: response.body ? (JSON.parse(response.body) as SlackResponse) : undefined, raw: response.body };
}

export interface SlackResponse {
  response_type: "ephemeral" | "in_channel";
  text: string;
  blocks: { type: string; text?: { text: string }; fields?: { text: string }[] }[];
}

/** Everything a member sees in a response: header, sections and fields, as mrkdwn. */
export function slackShown(r: { text?: string; blocks?: SlackResponse["blocks"] | string } | undefined): string {
  const blocks = typeof r?.blocks === "string" ? (JSON.parse(r.blocks) as SlackResponse["blocks"]) : (r?.blocks ?? []);
  return blocks.flatMap((b) => [b.text?.text, ...(b.fields ?? []).map((f) => f.text)]).filter(Boolean).join("\n");
}

/** A Bolt adapter in HTTP mode over a runtime with the given commands, on its own HTTP server. */
export async function startSlackHttpAdapter(opts: {
  fake: FakeSlack;
  db: Db;
  commands: readonly Command[];
  log: Logger;
  ackAfterMs?: number;
  community?: CommunityConfig;
  onMemberJoined?: (teamId: string, userId: string) => Promise<void>;
}) {
  const runtime = assemble({ capabilities: withOnly(opts.commands), db: opts.db, communities: [opts.community ?? acmeSlackCommunity()], log: opts.log });
  const { fake, log, db: _db, commands: _commands, community: _community, ...extra } = opts;
  return connectSlackHttpAdapter(fake, runtime, log, extra);
}

/** A Bolt adapter in HTTP mode over `runtime`, on its own HTTP server on 127.0.0.1. */
export async function connectSlackHttpAdapter(fake: FakeSlack, runtime: Runtime, log: Logger, extra: Partial<Omit<SlackAdapterOptions, "http" | "config">> = {}) {
  const http = new HttpServer(log);
  const adapter = new SlackAdapter({
    config: { botToken: "xoxb-fake", mode: "http", signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl },
    dispatcher: runtime.dispatcher,
    registry: runtime.registry,
    log,
    http,
    ...extra,
  });
  await adapter.start();
  const port = await http.listen(0, "127.0.0.1");
  return {
    adapter,
    url: `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`,
    async stop() {
      await adapter.stop();
      await http.close();
    },
  };
}

/** What a member finally saw for a request: its text (mrkdwn), whether only they saw it, and the raw answer. */
export interface SlackAnswer {
  readonly text: string;
  readonly ephemeral: boolean;
  readonly raw: unknown;
}

/**
 * The answer to a request Slack sent the app: the acknowledgement's body when it carried
 * the reply, otherwise what the app posted to the request's response_url.
 */
export async function slackAnswer(fake: FakeSlack, ack: { body: string }, responseUrlId: string, timeoutMs = 10_000): Promise<SlackAnswer> {
  const acked = ack.body ? (JSON.parse(ack.body) as Partial<SlackResponse>) : undefined;
  const answer = acked?.blocks || acked?.text ? acked : (await fake.waitForCall((c) => c.method === "response_url" && c.responseUrlId === responseUrlId, timeoutMs)).args;
  return { text: slackShown(answer as SlackResponse) || String(answer.text ?? ""), ephemeral: answer.response_type !== "in_channel", raw: answer };
}
