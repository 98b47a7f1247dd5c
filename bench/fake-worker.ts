// Runs the fake Discord and Slack, and the clients that load them, on their own thread, so
// the benchmark's event loop carries only the bot's own work.
import { parentPort } from "node:worker_threads";
import { type FakeDiscord, startFakeDiscord } from "../test/fakes/discord/index.js";
import { type FakeSlack, postSigned, slashCommandBody, startFakeSlack } from "../test/fakes/slack/index.js";

export type WorkerRequest =
  | { id: number; kind: "start-discord"; guildId: string; channelId: string }
  | { id: number; kind: "discord-burst"; command: string; count: number }
  | { id: number; kind: "start-slack" }
  | { id: number; kind: "slack-burst"; url: string; secret: string; command: string; count: number }
  | { id: number; kind: "stop" };

let discord: FakeDiscord | undefined;
let slack: FakeSlack | undefined;
let guild = { guildId: "", channelId: "" };
const userId = (i: number) => `4000000000000${String(i).padStart(5, "0")}`;

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.kind) {
    case "start-discord":
      guild = { guildId: request.guildId, channelId: request.channelId };
      discord = await startFakeDiscord({ guilds: [{ id: request.guildId, name: "Bench", channels: [{ id: request.channelId, name: "general" }] }] });
      return discord.apiUrl;
    case "discord-burst":
      for (let i = 0; i < request.count; i++) {
        discord!.sendSlashCommand({ ...guild, user: { id: userId(i), username: `member${i}` }, name: request.command });
      }
      return null;
    case "start-slack":
      slack = await startFakeSlack({ teamId: "TBENCH" });
      return slack.apiUrl;
    case "slack-burst": {
      const bodies = Array.from({ length: request.count }, (_, i) =>
        slashCommandBody({ command: `/${request.command}`, userId: `U${String(i).padStart(6, "0")}`, teamId: "TBENCH", channelId: "C0BENCH", responseUrl: slack!.responseUrl() }),
      );
      await Promise.all(bodies.map((body) => postSigned(request.url, request.secret, body)));
      return null;
    }
    case "stop":
      await discord?.close();
      await slack?.close();
      return null;
  }
}

parentPort!.on("message", (request: WorkerRequest) => {
  handle(request).then(
    (result) => parentPort!.postMessage({ id: request.id, result }),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: String(error) }),
  );
});
