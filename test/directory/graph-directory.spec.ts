import http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GraphDirectory } from "../../src/directory/graph-directory.js";
import { DirectoryUnavailableError } from "../../src/domain/roles.js";
import { listen } from "../../src/teams/server.js";
import { GRAPH_TEST_TOKEN, startGraphStub, type GraphStub } from "../support/graph-stub.js";

const TENANT = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";
const HANNE = { id: "aaaaaaaa-2222-4000-8000-000000000001", displayName: "Hanne Lund", userPrincipalName: "hanne.lund@kommune.example" };
const PETER = {
  id: "aaaaaaaa-2222-4000-8000-000000000002",
  displayName: "Peter Skov",
  userPrincipalName: "psk@kommune.example",
  mail: "peter.skov@kommune.example",
};
const METTE = { id: "aaaaaaaa-2222-4000-8000-000000000003", displayName: "Mette Holm", userPrincipalName: "mette.holm@kommune.example" };
const ADULT_COORDINATORS = "bbbbbbbb-2222-4000-8000-000000000001";
const TEAM_NORTH = "bbbbbbbb-2222-4000-8000-000000000002";
const UNKNOWN_ID = "cccccccc-2222-4000-8000-000000000009";

let graph: GraphStub;
const directory = (o: { timeoutMs?: number; baseUrl?: string } = {}) =>
  new GraphDirectory({ baseUrl: o.baseUrl ?? graph.baseUrl, token: async () => GRAPH_TEST_TOKEN, timeoutMs: o.timeoutMs });

beforeAll(async () => {
  graph = await startGraphStub({
    users: [HANNE, PETER, METTE],
    groups: [
      // "Sparring koordinatorer voksne" holds Hanne directly and Peter through a nested team.
      { id: ADULT_COORDINATORS, displayName: "Sparring koordinatorer voksne", members: [HANNE.id, TEAM_NORTH] },
      { id: TEAM_NORTH, displayName: "Team Nord", members: [PETER.id] },
    ],
    pageSize: 1,
  });
});
afterAll(() => graph.close());
beforeEach(() => {
  graph.state.down = false;
  graph.state.failWith = undefined;
  graph.state.requests.length = 0;
});

describe("GraphDirectory: role entries looked up in Microsoft Graph with the bot's own token", () => {
  it("names a user by object id, and by UPN or mail address", async () => {
    const found = await directory().resolve(TENANT, [METTE.id, HANNE.userPrincipalName, "Peter.Skov@kommune.example"]);
    expect(found.get(METTE.id)).toEqual({ kind: "user", id: METTE.id, name: "Mette Holm" });
    expect(found.get(HANNE.userPrincipalName)).toEqual({ kind: "user", id: HANNE.id, name: "Hanne Lund" });
    expect(found.get("Peter.Skov@kommune.example")).toEqual({ kind: "user", id: PETER.id, name: "Peter Skov" });
  });

  it("gives a group's users, nested groups included, following Graph's pages", async () => {
    const found = await directory().resolve(TENANT, [ADULT_COORDINATORS]);
    expect(found.get(ADULT_COORDINATORS)).toEqual({
      kind: "group",
      id: ADULT_COORDINATORS,
      name: "Sparring koordinatorer voksne",
      members: [
        { id: HANNE.id, name: "Hanne Lund" },
        { id: PETER.id, name: "Peter Skov" },
      ],
    });
    // One member per page here: the group, then its three pages (Hanne, Team Nord, Peter).
    expect(graph.state.requests.filter((r) => r.includes("/transitiveMembers"))).toHaveLength(3);
  });

  it("says unknown for an id, an address or a text the directory does not know", async () => {
    const found = await directory().resolve(TENANT, [UNKNOWN_ID, "nobody@kommune.example", "not-an-id"]);
    expect([...found.values()]).toEqual([{ kind: "unknown" }, { kind: "unknown" }, { kind: "unknown" }]);
  });

  it("keeps e-mail addresses out of request paths: they go in the query, which telemetry drops", async () => {
    await directory().resolve(TENANT, [HANNE.userPrincipalName]);
    expect(graph.state.requests).toHaveLength(1);
    expect(graph.state.requests[0]!.split("?")[0]).toBe("GET /v1.0/users");
  });

  it("fails closed when Graph is down, refuses, is throttled or answers nothing readable — without the entry in the message", async () => {
    graph.state.down = true;
    const down = await directory()
      .resolve(TENANT, [HANNE.userPrincipalName])
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(DirectoryUnavailableError);
    expect((down as Error).message).toBe("Microsoft Graph answered 503");

    graph.state.down = false;
    graph.state.failWith = 403;
    await expect(directory().resolve(TENANT, [METTE.id])).rejects.toThrow(
      /403 \(are GroupMember\.Read\.All and User\.Read\.All granted\?\)/,
    );
    graph.state.failWith = 429;
    await expect(directory().resolve(TENANT, [METTE.id])).rejects.toBeInstanceOf(DirectoryUnavailableError);

    const failures = await Promise.all(
      [METTE.id, HANNE.userPrincipalName].map((entry) =>
        directory()
          .resolve(TENANT, [entry])
          .catch((e: Error) => e.message),
      ),
    );
    for (const message of failures) expect(message).not.toMatch(/hanne|aaaaaaaa/i);
  });

  it("fails closed when Graph cannot be reached, or does not answer in time", async () => {
    const closed = http.createServer();
    const port = await listen(closed, 0, "127.0.0.1");
    await new Promise((r) => closed.close(r));
    await expect(directory({ baseUrl: `http://127.0.0.1:${port}` }).resolve(TENANT, [METTE.id])).rejects.toThrow(
      "Microsoft Graph could not be reached",
    );

    const silent = http.createServer(() => undefined);
    const silentPort = await listen(silent, 0, "127.0.0.1");
    try {
      await expect(directory({ baseUrl: `http://127.0.0.1:${silentPort}`, timeoutMs: 200 }).resolve(TENANT, [METTE.id])).rejects.toThrow(
        "Microsoft Graph did not answer in time",
      );
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });

  it("fails closed without a token, and never follows a next link to another host", async () => {
    const noToken = new GraphDirectory({
      baseUrl: graph.baseUrl,
      token: async () => {
        throw new Error("managed identity unavailable");
      },
    });
    await expect(noToken.resolve(TENANT, [METTE.id])).rejects.toThrow("no access token for Microsoft Graph");

    const elsewhere = http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify(
          req.url?.includes("transitiveMembers")
            ? { value: [], "@odata.nextLink": "http://example.invalid/v1.0/steal" }
            : { id: ADULT_COORDINATORS, displayName: "Gruppe" },
        ),
      );
    });
    const port = await listen(elsewhere, 0, "127.0.0.1");
    try {
      await expect(directory({ baseUrl: `http://127.0.0.1:${port}` }).resolve(TENANT, [ADULT_COORDINATORS])).rejects.toThrow(
        "Microsoft Graph linked to another host",
      );
    } finally {
      elsewhere.closeAllConnections();
      await new Promise((r) => elsewhere.close(r));
    }
  });
});
