// Loaded into each Guildhall process of the interactions-over-HTTP benchmark with --import:
// answers the benchmark's "stats" message with the process's CPU time (every thread, user and
// system, in microseconds), its main thread's own CPU time (Linux: /proc, in clock ticks of
// 10 ms), and its event-loop utilisation counters, so what each process's event loop spends
// per interaction is measured inside that process.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

/** The main thread's user + system CPU in milliseconds (fields 14 and 15 of its stat, after the command name), or NaN off Linux. */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

process.on("message", (message: unknown) => {
  if (message === "stats") process.send?.({ stats: { cpu: process.cpuUsage(), mainThreadCpuMs: mainThreadCpuMs(), elu: performance.eventLoopUtilization() } });
});
// The channel must not keep a process alive that would otherwise exit.
process.channel?.unref();
