import { z } from "zod";
import {
  DirectoryUnavailableError,
  type Directory,
  type DirectoryEntry,
  type DirectoryUser,
  type ResolvedEntries,
} from "../domain/roles.js";

export interface GraphDirectoryOptions {
  /** Microsoft Graph's address without version, e.g. https://graph.microsoft.com (a stub in tests). */
  baseUrl: string;
  /** An app-only access token for Graph in the tenant (the bot's managed identity; no user signs in). */
  token(tenantId: string): Promise<string>;
  /** The whole look-up must finish in this time: a card action is answered within 5 s (SPEC §9). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 4_000;
/** Graph calls at once per look-up: a handful of role entries, without hammering Graph. */
const CONCURRENCY = 6;
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@'"/\\?#]+@[^\s@'"/\\?#]+\.[^\s@'"/\\?#]+$/;
const USER_TYPE = "#microsoft.graph.user";

const namedObject = z.object({ id: z.string().min(1), displayName: z.string().nullish() });
const userList = z.object({ value: z.array(namedObject) });
const memberPage = z.object({
  value: z.array(namedObject.extend({ "@odata.type": z.string().optional() })),
  "@odata.nextLink": z.string().optional(),
});

/**
 * Role entries looked up in Microsoft Graph v1.0 with the bot's own identity (application
 * permissions GroupMember.Read.All and User.Read.All, see README):
 *
 * - an object id: `GET /groups/{id}` — a group, whose users come from
 *   `GET /groups/{id}/transitiveMembers` (nested groups included) — else `GET /users/{id}`;
 * - an e-mail or UPN: `GET /users?$filter=userPrincipalName eq '…' or mail eq '…'`, in the
 *   query so the address stays out of request telemetry, which drops query strings.
 *
 * Anything but an answer or a 404 (down, throttled, no permission, a timeout) throws
 * {@link DirectoryUnavailableError} with the status only: no address or id in the message.
 */
export class GraphDirectory implements Directory {
  private readonly base: URL;

  constructor(private readonly o: GraphDirectoryOptions) {
    this.base = new URL(o.baseUrl.endsWith("/") ? o.baseUrl : `${o.baseUrl}/`);
  }

  async resolve(tenantId: string, entries: readonly string[]): Promise<ResolvedEntries> {
    const signal = AbortSignal.timeout(this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let token: string;
    try {
      token = await this.o.token(tenantId);
    } catch {
      throw new DirectoryUnavailableError("no access token for Microsoft Graph (managed identity)");
    }
    const session = new GraphSession(this.base, token, signal);
    const found = await mapLimit(entries, CONCURRENCY, (entry) => session.entry(entry));
    return new Map(entries.map((entry, i) => [entry, found[i]!]));
  }
}

/** The requests of one look-up: one token, one deadline. */
class GraphSession {
  constructor(
    private readonly base: URL,
    private readonly token: string,
    private readonly signal: AbortSignal,
  ) {}

  async entry(entry: string): Promise<DirectoryEntry> {
    const trimmed = entry.trim();
    if (OBJECT_ID.test(trimmed)) {
      const id = encodeURIComponent(trimmed.toLowerCase());
      const group = await this.get(`v1.0/groups/${id}?$select=id,displayName`, namedObject);
      if (group) return { kind: "group", id: group.id, ...nameOf(group), members: await this.members(id) };
      const user = await this.get(`v1.0/users/${id}?$select=id,displayName`, namedObject);
      return user ? { kind: "user", id: user.id, ...nameOf(user) } : { kind: "unknown" };
    }
    if (EMAIL.test(trimmed)) {
      const address = trimmed.toLowerCase();
      const filter = encodeURIComponent(`userPrincipalName eq '${address}' or mail eq '${address}'`);
      const found = await this.get(`v1.0/users?$filter=${filter}&$select=id,displayName&$count=true`, userList, {
        // `or` across two properties is an advanced query in Entra ID.
        consistencylevel: "eventual",
      });
      // Two people with one address is a directory error: nobody gets the role by it.
      const user = found?.value.length === 1 ? found.value[0]! : undefined;
      return user ? { kind: "user", id: user.id, ...nameOf(user) } : { kind: "unknown" };
    }
    return { kind: "unknown" };
  }

  /** Every user in the group, also through nested groups, page by page. */
  private async members(groupId: string): Promise<DirectoryUser[]> {
    const users: DirectoryUser[] = [];
    let next: string | undefined = `v1.0/groups/${groupId}/transitiveMembers?$select=id,displayName&$top=999`;
    while (next) {
      const page: z.infer<typeof memberPage> | undefined = await this.get(next, memberPage);
      if (!page) break; // the group went away meanwhile
      for (const m of page.value) if (m["@odata.type"] === USER_TYPE) users.push({ id: m.id, ...nameOf(m) });
      next = page["@odata.nextLink"];
    }
    return users;
  }

  /** The parsed answer; undefined on 404. */
  private async get<S extends z.ZodTypeAny>(
    pathOrLink: string,
    schema: S,
    headers: Record<string, string> = {},
  ): Promise<z.infer<S> | undefined> {
    const url = new URL(pathOrLink, this.base);
    // A next link is followed only on Graph itself: the token is never sent anywhere else.
    if (url.origin !== this.base.origin) throw new DirectoryUnavailableError("Microsoft Graph linked to another host");
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { authorization: `Bearer ${this.token}`, accept: "application/json", ...headers },
        signal: this.signal,
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      throw new DirectoryUnavailableError(timedOut ? "Microsoft Graph did not answer in time" : "Microsoft Graph could not be reached");
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    if (!res.ok) {
      await res.body?.cancel();
      const hint = res.status === 401 || res.status === 403 ? " (are GroupMember.Read.All and User.Read.All granted?)" : "";
      throw new DirectoryUnavailableError(`Microsoft Graph answered ${res.status}${hint}`);
    }
    const parsed = schema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw new DirectoryUnavailableError("Microsoft Graph gave an answer that could not be read");
    return parsed.data;
  }
}

function nameOf(o: { displayName?: string | null }): { name?: string } {
  return o.displayName ? { name: o.displayName } : {};
}

/** `fn` over `items` with at most `limit` at a time, results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
