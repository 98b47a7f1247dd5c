/** /help: lists the commands the registry holds, in the capability list's order. */
import { defineCapability } from "../core/capability.js";
import { helpCommand } from "./help-command.js";

export { usage } from "./help-command.js";

export const help = defineCapability({ name: "help", commands: [helpCommand] });
