import type { Directory, DirectoryEntry, ResolvedEntries } from "../domain/roles.js";

/**
 * Local mode without Microsoft Graph: every entry is taken as the object id of a single
 * user, as the role lists of `config/municipalities.json` are today. Groups and e-mail
 * addresses cannot be looked up here, so an e-mail entry gives nobody a role.
 */
export class LocalDirectory implements Directory {
  private readonly resolved = new Map<string, ResolvedEntries>();

  async resolve(tenantId: string, entries: readonly string[]): Promise<ResolvedEntries> {
    const key = `${tenantId}\n${entries.join("\n")}`;
    let found = this.resolved.get(key);
    if (!found) {
      found = new Map(
        entries.map((entry): [string, DirectoryEntry] => [entry, entry.includes("@") ? { kind: "unknown" } : { kind: "user", id: entry }]),
      );
      this.resolved.set(key, found);
    }
    return found;
  }
}
