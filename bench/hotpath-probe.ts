// Loaded into each bot of the hot-path benchmark with --import: answers the benchmark's "cpu"
// message with the process's CPU time (all its threads, user and system, in microseconds), so
// CPU per interaction is measured inside the bot's own process.
process.on("message", (message: unknown) => {
  if (message === "cpu") process.send?.({ cpu: process.cpuUsage() });
});
// The channel must not keep a bot alive that would otherwise exit.
process.channel?.unref();
