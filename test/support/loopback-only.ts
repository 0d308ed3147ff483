import net from "node:net";

/**
 * Refuses every TCP connection that is not to this machine, for as long as it is installed:
 * a test that would reach a real Microsoft endpoint (a token or metadata address left at its
 * default) gets a socket error instead, and the address is recorded in `refused`.
 */
export function refuseNonLoopbackConnections() {
  const refused: string[] = [];
  const original = net.Socket.prototype.connect;
  const guarded = function (this: net.Socket, ...args: unknown[]) {
    const host = targetHost(args);
    if (host !== undefined && !isLoopbackHost(host)) {
      refused.push(host);
      process.nextTick(() => this.destroy(new Error(`this test refuses connections to ${host}`)));
      return this;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  net.Socket.prototype.connect = guarded as typeof original;
  return {
    refused,
    restore() {
      net.Socket.prototype.connect = original;
    },
  };
}

/** The host a `Socket#connect` call goes to; undefined for a local pipe or socket file. */
function targetHost(raw: unknown[]): string | undefined {
  // net.connect hands the socket its arguments already normalised, as one array.
  const args = Array.isArray(raw[0]) ? (raw[0] as unknown[]) : raw;
  const first = args[0];
  if (first && typeof first === "object") {
    const options = first as { path?: unknown; host?: unknown };
    if (typeof options.path === "string") return undefined;
    return typeof options.host === "string" && options.host !== "" ? options.host : "localhost";
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return undefined;
  return typeof args[1] === "string" && args[1] !== "" ? args[1] : "localhost";
}

function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  return bare === "localhost" || bare === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || bare === "::ffff:127.0.0.1";
}
