import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TeamsAdapter } from "@microsoft/teams-ai";
import type { Request, Response, TurnContext } from "botbuilder";
import { z } from "zod";
import type { Logger } from "../logger.js";

const MAX_BODY_BYTES = 512 * 1024;

/** The least an activity must have before it is handed to the adapter. */
const activityEnvelope = z
  .object({
    type: z.string().min(1),
    serviceUrl: z.string().url(),
    conversation: z.object({ id: z.string().min(1), tenantId: z.string().optional() }).passthrough(),
    channelData: z.object({ tenant: z.object({ id: z.string() }).partial().optional() }).passthrough().optional(),
  })
  .passthrough();

export interface HostOptions {
  adapter: TeamsAdapter;
  logic: (context: TurnContext) => Promise<void>;
  /** Loopback only, and only loopback serviceUrls, when no bot app id is configured (SPEC §9). */
  localOnly: boolean;
  allowedTenants: ReadonlySet<string>;
  health: () => Promise<{ storage: boolean }>;
  logger: Logger;
}

/**
 * The HTTP host: `POST /api/messages` for Teams, `GET /api/health` for probes. A
 * malformed body is answered 400 and never reaches the adapter.
 */
export function createHost(options: HostOptions): http.Server {
  return http.createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      options.logger.error({ err: error }, "request failed");
      if (!res.headersSent) send(res, 500, { error: "internal error" });
      else res.end();
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, o: HostOptions): Promise<void> {
  const url = new URL(req.url ?? "/", "http://host");
  if (url.pathname === "/api/health" && req.method === "GET") {
    const { storage } = await o.health();
    send(res, storage ? 200 : 503, { status: storage ? "ok" : "degraded", storage: storage ? "reachable" : "unreachable" });
    return;
  }
  if (url.pathname !== "/api/messages") return send(res, 404, { error: "not found" });
  if (req.method !== "POST") return send(res, 405, { error: "method not allowed" });

  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (error) {
    return send(res, (error as { status?: number }).status ?? 400, { error: "body must be a JSON activity" });
  }
  const envelope = activityEnvelope.safeParse(body);
  if (!envelope.success) return send(res, 400, { error: "body is not a Bot Framework activity" });
  const activity = envelope.data;

  if (o.localOnly && !isLoopbackUrl(activity.serviceUrl)) {
    o.logger.warn({ serviceUrl: activity.serviceUrl }, "refused non-loopback serviceUrl in local mode");
    return send(res, 403, { error: "serviceUrl not allowed without a bot app id" });
  }
  const tenant = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
  if (!tenant || !o.allowedTenants.has(tenant)) {
    o.logger.warn({ tenant }, "refused activity from a tenant that is not configured");
    return send(res, 403, { error: "tenant not allowed" });
  }

  await o.adapter.process(requestShim(req, body as Record<string, unknown>), responseShim(res), o.logic);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error("body too large"), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function requestShim(req: IncomingMessage, body: Record<string, unknown>): Request {
  return { body, headers: req.headers, method: req.method };
}

/** botbuilder's `process` expects an Express-like response. */
function responseShim(res: ServerResponse): Response {
  const shim: Response = {
    socket: res.socket,
    status(code: number) {
      res.statusCode = code;
      return shim;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return shim;
    },
    send(body?: unknown) {
      if (body === undefined || body === null) return;
      if (typeof body === "string" || Buffer.isBuffer(body)) {
        res.write(body);
      } else {
        if (!res.hasHeader("content-type")) res.setHeader("content-type", "application/json; charset=utf-8");
        res.write(JSON.stringify(body));
      }
      return shim;
    },
    end() {
      res.end();
      return shim;
    },
  };
  return shim;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

export function isLoopbackUrl(value: string): boolean {
  try {
    const host = new URL(value).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  } catch {
    return false;
  }
}

export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
