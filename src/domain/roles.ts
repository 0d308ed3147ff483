import { isAdministrator, type Municipality } from "./municipality.js";

/**
 * Roles from Entra ID (SPEC §1): each role list of a municipality's configuration may name
 * single users (object id or e-mail/UPN) and security groups (object id). The directory
 * says what each entry names now; {@link withDirectoryRoles} turns that into the
 * municipality as the domain checks it — every list holding the object ids of the users
 * who qualify, directly or through a (nested) group — so every role check stays a
 * synchronous `roles.x.includes(user)`.
 */

/** A person as the directory names them. */
export interface DirectoryUser {
  id: string;
  /** The directory's display name, if it gave one. */
  name?: string;
}

/** What a role entry of the configuration names in the directory, now. */
export type DirectoryEntry =
  | ({ kind: "user" } & DirectoryUser)
  /** A group, with every user in it, also through nested groups (transitive). */
  | { kind: "group"; id: string; name?: string; members: DirectoryUser[] }
  /** Nothing the directory knows (a deleted user or group, a mistyped e-mail). */
  | { kind: "unknown" };

export type ResolvedEntries = ReadonlyMap<string, DirectoryEntry>;

/** The port to the municipality's directory (Microsoft Graph in production). */
export interface Directory {
  /**
   * What each of `entries` names in the tenant's directory. Throws
   * {@link DirectoryUnavailableError} when the directory cannot be asked: the caller then
   * refuses, since nobody's role can be known (fails closed).
   */
  resolve(tenantId: string, entries: readonly string[]): Promise<ResolvedEntries>;
}

/** The directory could not be asked (down, throttled, no permission, no token). The message holds no personal data. */
export class DirectoryUnavailableError extends Error {
  readonly code = "directory.unavailable";
}

/** Every distinct entry of the municipality's role lists, in configuration order. */
export function roleEntries(municipality: Municipality): string[] {
  const r = municipality.roles;
  const lists = [r.caseworkers, ...Object.values(r.coordinators), r.socialCaseworkers, r.managers, r.administrators];
  return [...new Set(lists.flat())];
}

/** The users an entry stands for: itself when it names a user, a group's members, nobody when unknown. */
function usersOf(entry: DirectoryEntry | undefined): DirectoryUser[] {
  switch (entry?.kind) {
    case "user":
      return [entry];
    case "group":
      return entry.members;
    default:
      return [];
  }
}

/**
 * The municipality as the domain checks it: each role list expanded to the object ids of
 * the users its entries name now, and the directory's names added for people the
 * configuration's `directory` does not name (its names win). The configuration itself
 * is returned when nothing differs (configured object ids only: local mode).
 */
export function effectiveRoles(municipality: Municipality, resolved: ResolvedEntries): Municipality {
  const names: Record<string, string> = {};
  let changed = false;
  const expand = (list: string[]): string[] => {
    const ids: string[] = [];
    for (const entry of list) {
      for (const user of usersOf(resolved.get(entry))) {
        if (!ids.includes(user.id)) ids.push(user.id);
        if (user.name && municipality.directory[user.id] === undefined) names[user.id] = user.name;
      }
    }
    if (ids.length !== list.length || ids.some((id, i) => id !== list[i])) changed = true;
    return ids;
  };
  const r = municipality.roles;
  const roles = {
    caseworkers: expand(r.caseworkers),
    coordinators: Object.fromEntries(Object.entries(r.coordinators).map(([forumId, list]) => [forumId, expand(list)])),
    socialCaseworkers: expand(r.socialCaseworkers),
    managers: expand(r.managers),
    administrators: expand(r.administrators),
  };
  if (!changed && Object.keys(names).length === 0) return municipality;
  return { ...municipality, roles, directory: { ...names, ...municipality.directory } };
}

/** One effective municipality per resolution: the directory's cache hands out the same map until it expires. */
const effectiveCache = new WeakMap<ResolvedEntries, { configured: Municipality; effective: Municipality }>();

/**
 * The municipality with its roles as the directory has them now (see {@link effectiveRoles});
 * the configuration unchanged without a directory. Throws {@link DirectoryUnavailableError}.
 */
export async function withDirectoryRoles(deps: { directory?: Directory }, municipality: Municipality): Promise<Municipality> {
  if (!deps.directory) return municipality;
  const resolved = await deps.directory.resolve(municipality.tenantId, roleEntries(municipality));
  const cached = effectiveCache.get(resolved);
  if (cached?.configured === municipality) return cached.effective;
  const effective = effectiveRoles(municipality, resolved);
  effectiveCache.set(resolved, { configured: municipality, effective });
  return effective;
}

export type RoleName = "caseworkers" | "coordinators" | "socialCaseworkers" | "managers" | "administrators";

/** Someone who holds a role, and how. */
export interface RoleHolder {
  id: string;
  /** The configuration's directory name, else the directory's display name. */
  name?: string;
  /** Named in the role list itself (by object id or e-mail). */
  direct: boolean;
  /** The configured groups they hold it through, by name (or id when the group has no name). */
  via: string[];
}

export interface RoleListing {
  role: RoleName;
  /** For coordinators: the forum. */
  forum?: { id: string; name: string };
  holders: RoleHolder[];
  /** Configured groups and how many users each gives the role to (also when none). */
  groups: { id: string; name?: string; members: number }[];
  /** Entries the directory does not know: a deleted user or group, a mistyped e-mail. */
  unknown: string[];
}

/**
 * Who holds each role, by name, and through which groups (for `roller`), from the
 * configuration and what the directory says now. Coordinators are listed per forum.
 */
export function roleListings(municipality: Municipality, resolved: ResolvedEntries): RoleListing[] {
  const listing = (role: RoleName, list: string[], forum?: { id: string; name: string }): RoleListing => {
    const holders = new Map<string, RoleHolder>();
    const groups: RoleListing["groups"] = [];
    const unknown: string[] = [];
    const holder = (user: DirectoryUser): RoleHolder => {
      let h = holders.get(user.id);
      if (!h) {
        h = { id: user.id, name: municipality.directory[user.id] ?? user.name, direct: false, via: [] };
        holders.set(user.id, h);
      }
      return h;
    };
    for (const entry of list) {
      const found = resolved.get(entry);
      if (!found || found.kind === "unknown") unknown.push(entry);
      else if (found.kind === "user") holder(found).direct = true;
      else {
        groups.push({ id: found.id, name: found.name, members: found.members.length });
        for (const member of found.members) {
          const h = holder(member);
          const label = found.name ?? found.id;
          if (!h.via.includes(label)) h.via.push(label);
        }
      }
    }
    const sorted = [...holders.values()].sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id, "da"));
    return { role, ...(forum ? { forum } : {}), holders: sorted, groups, unknown };
  };
  const r = municipality.roles;
  return [
    listing("caseworkers", r.caseworkers),
    ...municipality.forums.map((f) => listing("coordinators", r.coordinators[f.id] ?? [], { id: f.id, name: f.name })),
    listing("socialCaseworkers", r.socialCaseworkers),
    listing("managers", r.managers),
    listing("administrators", r.administrators),
  ];
}

export type ListRolesOutcome = { kind: "not-administrator" } | { kind: "roles"; listings: RoleListing[] };

/**
 * `roller` (administrators): who holds each role now. `municipality` is the configuration
 * (the role lists as written); the administrator check uses the roles as resolved, so an
 * administrator through a group qualifies. Throws {@link DirectoryUnavailableError}.
 */
export async function listRoles(
  deps: { directory?: Directory },
  command: { municipality: Municipality; user: string },
): Promise<ListRolesOutcome> {
  const { municipality, user } = command;
  const resolved = deps.directory
    ? await deps.directory.resolve(municipality.tenantId, roleEntries(municipality))
    : new Map(
        // Without a directory the lists are object ids as written; an address names nobody.
        roleEntries(municipality).map((entry): [string, DirectoryEntry] => [
          entry,
          entry.includes("@") ? { kind: "unknown" } : { kind: "user", id: entry },
        ]),
      );
  if (!user || !isAdministrator(effectiveRoles(municipality, resolved), user)) return { kind: "not-administrator" };
  return { kind: "roles", listings: roleListings(municipality, resolved) };
}
