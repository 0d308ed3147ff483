import http from "node:http";
import { listen } from "../../src/teams/server.js";

/** The token the stub accepts; tests hand it to GraphDirectory instead of a managed identity. */
export const GRAPH_TEST_TOKEN = "graph-test-token";

export interface StubUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail?: string;
}

export interface StubGroup {
  id: string;
  displayName: string;
  /** Object ids of users and of nested groups. */
  members: string[];
}

/**
 * Microsoft Graph v1.0 as far as Sparring asks it, on 127.0.0.1: groups with (nested)
 * members, users by id and by UPN or mail. `down` answers 503 to everything; `requests`
 * records each request's path and query, to count calls.
 */
export async function startGraphStub(directory: { users: StubUser[]; groups: StubGroup[]; pageSize?: number }) {
  const state = {
    users: new Map(directory.users.map((u) => [u.id, u])),
    groups: new Map(directory.groups.map((g) => [g.id, { ...g, members: [...g.members] }])),
    down: false,
    /** Answered with this status instead (e.g. 403, 429) when set. */
    failWith: undefined as number | undefined,
    requests: [] as string[],
  };
  const pageSize = directory.pageSize ?? 999;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    state.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const notFound = () => answer(404, { error: { code: "Request_ResourceNotFound", message: "Resource does not exist." } });
    if (state.down) return answer(503, { error: { code: "serviceNotAvailable" } });
    if (state.failWith) return answer(state.failWith, { error: { code: "Scripted" } });
    if (req.headers.authorization !== `Bearer ${GRAPH_TEST_TOKEN}`) return answer(401, { error: { code: "InvalidAuthenticationToken" } });

    const user = (u: StubUser) => ({ id: u.id, displayName: u.displayName });
    let m: RegExpExecArray | null;
    if ((m = /^\/v1\.0\/groups\/([^/]+)$/.exec(url.pathname))) {
      const group = state.groups.get(decodeURIComponent(m[1]!));
      return group ? answer(200, { id: group.id, displayName: group.displayName }) : notFound();
    }
    if ((m = /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers$/.exec(url.pathname))) {
      const group = state.groups.get(decodeURIComponent(m[1]!));
      if (!group) return notFound();
      const all = transitiveMembers(group.id).map((id) => {
        const u = state.users.get(id);
        if (u) return { "@odata.type": "#microsoft.graph.user", ...user(u) };
        const g = state.groups.get(id)!;
        return { "@odata.type": "#microsoft.graph.group", id: g.id, displayName: g.displayName };
      });
      const skip = Number(url.searchParams.get("$skiptoken") ?? 0);
      const page = all.slice(skip, skip + pageSize);
      const next =
        skip + pageSize < all.length ? `${base}/v1.0/groups/${group.id}/transitiveMembers?$skiptoken=${skip + pageSize}` : undefined;
      return answer(200, { value: page, ...(next ? { "@odata.nextLink": next } : {}) });
    }
    if ((m = /^\/v1\.0\/users\/([^/]+)$/.exec(url.pathname))) {
      const u = state.users.get(decodeURIComponent(m[1]!));
      return u ? answer(200, user(u)) : notFound();
    }
    if (url.pathname === "/v1.0/users") {
      const filter = /^userPrincipalName eq '([^']+)' or mail eq '([^']+)'$/.exec(url.searchParams.get("$filter") ?? "");
      if (!filter || req.headers.consistencylevel !== "eventual") return answer(400, { error: { code: "Request_UnsupportedQuery" } });
      const wanted = filter[1]!.toLowerCase();
      const found = [...state.users.values()].filter(
        (u) => u.userPrincipalName.toLowerCase() === wanted || u.mail?.toLowerCase() === wanted,
      );
      return answer(200, { value: found.map(user) });
    }
    return answer(400, { error: { code: "BadRequest" } });
  });

  /** Every user and group in the group, through nested groups, each once. */
  function transitiveMembers(groupId: string, seen = new Set<string>()): string[] {
    for (const id of state.groups.get(groupId)?.members ?? []) {
      if (seen.has(id)) continue;
      seen.add(id);
      if (state.groups.has(id)) transitiveMembers(id, seen);
    }
    return [...seen];
  }

  const port = await listen(server, 0, "127.0.0.1");
  const base = `http://127.0.0.1:${port}`;
  return {
    baseUrl: base,
    state,
    /** Adds someone to a group, as IT does in Entra ID. */
    addMember(groupId: string, memberId: string) {
      state.groups.get(groupId)!.members.push(memberId);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export type GraphStub = Awaited<ReturnType<typeof startGraphStub>>;
