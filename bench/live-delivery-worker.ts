// Runs the delivery benchmark's fake Discord on its own thread, so its clock and event loop
// are not held up by the bot's (a busy bot must not make requests look further apart).
import { parentPort } from "node:worker_threads";
import { FakeDeliveryDiscord, type FakeLimits } from "./live-delivery-fake.js";

export type DeliveryWorkerRequest =
  | { id: number; kind: "start"; limits: FakeLimits; guildChannels: string[] }
  | { id: number; kind: "stats" }
  | { id: number; kind: "stop" };

let fake: FakeDeliveryDiscord | undefined;

async function handle(request: DeliveryWorkerRequest): Promise<unknown> {
  switch (request.kind) {
    case "start":
      fake = new FakeDeliveryDiscord(request.limits, request.guildChannels);
      return fake.listen();
    case "stats":
      return fake?.stats();
    case "stop":
      await fake?.close();
      return null;
  }
}

parentPort!.on("message", (request: DeliveryWorkerRequest) => {
  handle(request).then(
    (result) => parentPort!.postMessage({ id: request.id, result }),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: String(error) }),
  );
});
