import { describe, expect, it } from "vitest";
import { LocalDirectory } from "../../src/directory/local-directory.js";
import { canDecide, isCoordinatorOf } from "../../src/domain/access.js";
import { isAdministrator, isCaseworker, municipalitySchema } from "../../src/domain/municipality.js";
import {
  effectiveRoles,
  listRoles,
  roleEntries,
  roleListings,
  withDirectoryRoles,
  type Directory,
  type DirectoryEntry,
} from "../../src/domain/roles.js";

const HANNE = "aaaaaaaa-3333-4000-8000-000000000001";
const PETER = "aaaaaaaa-3333-4000-8000-000000000002";
const METTE = "aaaaaaaa-3333-4000-8000-000000000003";
const JONAS = "aaaaaaaa-3333-4000-8000-000000000004";
const ADULT_GROUP = "bbbbbbbb-3333-4000-8000-000000000001";
const ADMIN_GROUP = "bbbbbbbb-3333-4000-8000-000000000002";
const GONE = "cccccccc-3333-4000-8000-000000000001";

const configured = municipalitySchema.parse({
  tenantId: "tenant-roles",
  name: "Testkommune",
  departments: ["Jobcenter"],
  forums: [
    { id: "unge", name: "Sparring unge (15-29)", minAge: 15, maxAge: 29 },
    { id: "voksne", name: "Sparring voksne (30+)", minAge: 30 },
  ],
  roles: {
    caseworkers: ["mette.holm@kommune.example"],
    coordinators: { unge: [HANNE], voksne: [ADULT_GROUP, HANNE] },
    socialCaseworkers: [JONAS, GONE],
    administrators: [ADMIN_GROUP],
  },
  directory: { [HANNE]: "Hanne Lund (koordinator)" },
});

/** What Graph says now: Peter is in the adult coordinators' group through a nested team; Hanne is an administrator by group. */
const resolved = new Map<string, DirectoryEntry>([
  ["mette.holm@kommune.example", { kind: "user", id: METTE, name: "Mette Holm" }],
  [HANNE, { kind: "user", id: HANNE, name: "Hanne Lund" }],
  [
    ADULT_GROUP,
    {
      kind: "group",
      id: ADULT_GROUP,
      name: "Sparring koordinatorer voksne",
      members: [
        { id: PETER, name: "Peter Skov" },
        { id: HANNE, name: "Hanne Lund" },
      ],
    },
  ],
  [JONAS, { kind: "user", id: JONAS, name: "Jonas Dahl" }],
  [GONE, { kind: "unknown" }],
  [ADMIN_GROUP, { kind: "group", id: ADMIN_GROUP, name: "Sparring administratorer", members: [{ id: HANNE, name: "Hanne Lund" }] }],
]);

const directoryOf = (entries: Map<string, DirectoryEntry>): Directory => ({ resolve: async () => entries });

describe("roles from Entra ID: the municipality as the domain checks it", () => {
  it("puts each qualifying user's object id in the role lists: named directly, by e-mail, or through a (nested) group", () => {
    const m = effectiveRoles(configured, resolved);
    expect(m.roles.caseworkers).toEqual([METTE]);
    expect(m.roles.coordinators["voksne"]).toEqual([PETER, HANNE]);
    expect(m.roles.coordinators["unge"]).toEqual([HANNE]);
    expect(m.roles.administrators).toEqual([HANNE]);
    // The synchronous checks work unchanged.
    expect(isCaseworker(m, METTE)).toBe(true);
    expect(canDecide(m, "voksne", PETER)).toBe(true);
    expect(isCoordinatorOf(m, "unge", PETER)).toBe(false);
    expect(isAdministrator(m, HANNE)).toBe(true);
  });

  it("never gives a role by a group's id, an e-mail text or an entry the directory does not know", () => {
    const m = effectiveRoles(configured, resolved);
    expect(m.roles.coordinators["voksne"]).not.toContain(ADULT_GROUP);
    expect(m.roles.caseworkers).not.toContain("mette.holm@kommune.example");
    expect(m.roles.socialCaseworkers).toEqual([JONAS]);
  });

  it("adds the directory's names for people the configuration does not name; the configuration's names win", () => {
    const m = effectiveRoles(configured, resolved);
    expect(m.directory[PETER]).toBe("Peter Skov");
    expect(m.directory[HANNE]).toBe("Hanne Lund (koordinator)");
  });

  it("leaves a configuration of object ids exactly as it was in local mode, without Graph", async () => {
    const local = municipalitySchema.parse({ ...configured, roles: { caseworkers: [METTE], coordinators: { voksne: [HANNE] } } });
    expect(await withDirectoryRoles({ directory: new LocalDirectory() }, local)).toBe(local);
    expect(await withDirectoryRoles({}, local)).toBe(local);
    // An e-mail entry gives nobody a role when it cannot be looked up.
    const byMail = await withDirectoryRoles({ directory: new LocalDirectory() }, configured);
    expect(byMail.roles.caseworkers).toEqual([]);
  });

  it("lists every entry of the role lists once, for one look-up", () => {
    expect(roleEntries(configured)).toEqual(["mette.holm@kommune.example", HANNE, ADULT_GROUP, JONAS, GONE, ADMIN_GROUP]);
  });
});

describe("`roller`: who holds each role, by name, and through which groups", () => {
  it("lists holders per role and per forum, how they hold it, the groups and the entries not found", () => {
    const listings = roleListings(configured, resolved);
    const adults = listings.find((l) => l.role === "coordinators" && l.forum?.id === "voksne")!;
    expect(adults.holders).toEqual([
      { id: HANNE, name: "Hanne Lund (koordinator)", direct: true, via: ["Sparring koordinatorer voksne"] },
      { id: PETER, name: "Peter Skov", direct: false, via: ["Sparring koordinatorer voksne"] },
    ]);
    expect(adults.groups).toEqual([{ id: ADULT_GROUP, name: "Sparring koordinatorer voksne", members: 2 }]);
    expect(listings.find((l) => l.role === "socialCaseworkers")!.unknown).toEqual([GONE]);
    expect(listings.map((l) => l.forum?.id ?? l.role)).toEqual([
      "caseworkers",
      "unge",
      "voksne",
      "socialCaseworkers",
      "managers",
      "administrators",
    ]);
  });

  it("is for administrators only, also an administrator through a group", async () => {
    const deps = { directory: directoryOf(resolved) };
    expect((await listRoles(deps, { municipality: configured, user: HANNE })).kind).toBe("roles");
    expect(await listRoles(deps, { municipality: configured, user: PETER })).toEqual({ kind: "not-administrator" });
    expect(await listRoles(deps, { municipality: configured, user: "" })).toEqual({ kind: "not-administrator" });
  });
});
