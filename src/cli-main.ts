import { run } from "./cli.js";

// The CLI's entry point (bin/guildhall.mjs, npm run guildhall): the one place that ends the
// process with the command's exit code. `start` keeps running; the bot ends the process
// itself on SIGTERM or at the end of the playground's input.
const command = process.argv[2];
const code = await run(process.argv.slice(2));
if (code !== 0 || (command !== "start" && command !== undefined)) process.exit(code);
