// Loaded into each bot of the hot-path benchmark with --import: answers the benchmark's "cpu"
// message with the process's CPU time (all its threads, user and system, in microseconds), so
// CPU per interaction is measured inside the bot's own process, and with the time the main
// thread has spent in garbage collection pauses so far (milliseconds), to show how much of
// that CPU is the collector's.
import { PerformanceObserver } from "node:perf_hooks";

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ["gc"] });

process.on("message", (message: unknown) => {
  if (message === "cpu") process.send?.({ cpu: process.cpuUsage(), gcMs });
});
// The channel must not keep a bot alive that would otherwise exit.
process.channel?.unref();
