// Loaded into each Guildhall process of the interactions-over-HTTP benchmark with --import:
// answers the benchmark's "stats" message with the process's CPU time (every thread, user and
// system, in microseconds) and its main thread's event-loop utilisation counters, so the time
// each process's event loop spends per interaction is measured inside that process.
import { performance } from "node:perf_hooks";

process.on("message", (message: unknown) => {
  if (message === "stats") process.send?.({ stats: { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() } });
});
// The channel must not keep a process alive that would otherwise exit.
process.channel?.unref();
