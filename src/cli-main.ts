import { run } from "./cli.js";

// The CLI's entry point (bin/guildhall.mjs, npm run guildhall): the one place that ends the
// process, with the command's exit code. `start` returns when the bot has stopped (SIGTERM,
// SIGINT, or the end of the playground's input).
process.exit(await run(process.argv.slice(2)));
