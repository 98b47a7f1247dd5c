// Every test file runs with outbound connections limited to this machine: a test that
// tries to reach a real Discord, Slack or Stripe host fails loudly instead of passing by luck.
import net from "node:net";

const LOCAL_HOSTS = new Set(["127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1"]);
// This file runs before every test file; where test files share a process (vitest's
// isolate off), patch once.
const PATCHED = Symbol.for("guildhall.no-internet");
const originalConnect = net.Socket.prototype.connect;

function hostOf(args: unknown[]): string | undefined {
  const first = args[0];
  if (typeof first === "object" && first !== null && !Array.isArray(first)) {
    const options = first as { host?: string; path?: string };
    if (options.path) return "localhost"; // unix socket
    return options.host ?? "localhost";
  }
  if (typeof first === "number") return typeof args[1] === "string" ? args[1] : "localhost";
  if (typeof first === "string") return "localhost"; // unix socket path
  return undefined;
}

const patchedConnect = function patchedConnect(this: net.Socket, ...args: unknown[]) {
  const host = hostOf(args);
  if (host !== undefined && !LOCAL_HOSTS.has(host)) {
    throw new Error(`Test tried to reach ${host}: tests may only talk to fakes on 127.0.0.1`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

if (!(PATCHED in net.Socket.prototype)) {
  net.Socket.prototype.connect = patchedConnect;
  Object.defineProperty(net.Socket.prototype, PATCHED, { value: true });
}
