import { PassThrough } from "node:stream";
import { HttpServer } from "../src/http/http-server.js";
import type { Logger } from "../src/log/logger.js";
import type { AnsweredInteraction } from "../src/platform/adapter.js";
import { DiscordAdapter } from "../src/platform/discord/discord-adapter.js";
import { runPlayground } from "../src/platform/playground/playground.js";
import { SlackAdapter } from "../src/platform/slack/slack-adapter.js";
import type { Runtime } from "../src/core/assemble.js";
import type { WorkerRequest } from "./fake-worker.js";
import { WorkerRpc } from "./worker-rpc.js";

/** Sends `count` interactions of one command at once through a platform; resolves when all are answered. */
export interface Driver {
  readonly name: string;
  /** How many interactions it can have in flight (the playground is one terminal: 1). */
  readonly concurrency: number;
  burst(command: string, count: number): Promise<void>;
  stop(): Promise<void>;
}

type Observe = (e: AnsweredInteraction) => void;

/** The thread that runs the fakes; `call` sends it a request and waits for its answer. */
export class FakeThread extends WorkerRpc<WorkerRequest> {
  constructor() {
    super(new URL("./fake-worker.ts", import.meta.url), "fake thread");
  }
}

/** Counts answered interactions and lets a caller wait for the next `n`. */
function answerCounter(observe: Observe) {
  let seen = 0;
  const waiters: { target: number; resolve: () => void }[] = [];
  return {
    observe: (e: AnsweredInteraction) => {
      observe(e);
      seen++;
      for (const w of waiters.filter((w) => seen >= w.target)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
    next: (n: number) => new Promise<void>((resolve) => waiters.push({ target: seen + n, resolve })),
  };
}

export async function discordDriver(runtime: Runtime, log: Logger, observe: Observe, fakes: FakeThread): Promise<Driver> {
  const apiUrl = await fakes.call<string>({ kind: "start-discord", guildId: "100000000000000001", channelId: "200000000000000001" });
  const counter = answerCounter(observe);
  const adapter = new DiscordAdapter({
    config: { token: "bench.discord.token", apiUrl },
    dispatcher: runtime.dispatcher,
    registry: runtime.registry,
    log,
    globalRequestsPerSecond: 100_000,
    onAnswered: counter.observe,
  });
  await adapter.start();
  return {
    name: "discord",
    concurrency: 50,
    async burst(command, count) {
      const done = counter.next(count);
      await fakes.call({ kind: "discord-burst", command, count });
      await done;
    },
    stop: () => adapter.stop(),
  };
}

export async function slackDriver(runtime: Runtime, log: Logger, observe: Observe, fakes: FakeThread): Promise<Driver> {
  const apiUrl = await fakes.call<string>({ kind: "start-slack" });
  const secret = "0123456789abcdef0123456789abcdef";
  const http = new HttpServer(log);
  const counter = answerCounter(observe);
  const adapter = new SlackAdapter({
    config: { botToken: "xoxb-bench", mode: "http", signingSecret: secret, apiUrl },
    dispatcher: runtime.dispatcher,
    registry: runtime.registry,
    log,
    http,
    onAnswered: counter.observe,
  });
  await adapter.start();
  const url = `http://127.0.0.1:${await http.listen(0, "127.0.0.1")}/slack/events`;
  return {
    name: "slack",
    concurrency: 50,
    async burst(command, count) {
      const done = counter.next(count);
      await fakes.call({ kind: "slack-burst", url, secret, command, count });
      await done;
    },
    async stop() {
      await adapter.stop();
      await http.close();
    },
  };
}

export async function playgroundDriver(runtime: Runtime, log: Logger, observe: Observe): Promise<Driver> {
  const input = new PassThrough();
  const output = new PassThrough();
  output.resume();
  const counter = answerCounter(observe);
  const session = runPlayground({ ...runtime, input, output, log, banner: "", onAnswered: counter.observe });
  return {
    name: "playground",
    concurrency: 1,
    async burst(command, count) {
      const done = counter.next(count);
      input.write(`/${command}\n`.repeat(count));
      await done;
    },
    async stop() {
      input.end();
      await session.done;
    },
  };
}
