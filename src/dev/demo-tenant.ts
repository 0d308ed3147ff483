/**
 * The demo municipality the local Playground is preloaded with. Every person here is
 * fictitious; their object ids match the roles in `config/municipalities.json`.
 */
export const DEMO_TENANT_ID = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";

export const DEMO_USERS = {
  caseworker: {
    id: "user-mette",
    name: "Mette Holm",
    role: "Sagsbehandler, Jobcenter",
    aadObjectId: "aaaaaaaa-0000-4000-8000-000000000001",
    upn: "mette.holm",
  },
  youthCaseworker: {
    id: "user-anders",
    name: "Anders Berg",
    role: "Sagsbehandler, Ungeindsatsen",
    aadObjectId: "aaaaaaaa-0000-4000-8000-000000000002",
    upn: "anders.berg",
  },
  coordinator: {
    id: "user-hanne",
    name: "Hanne Lund",
    role: "Faglig koordinator (begge fora)",
    aadObjectId: "aaaaaaaa-0000-4000-8000-000000000003",
    upn: "hanne.lund",
  },
  adultCoordinator: {
    id: "user-peter",
    name: "Peter Skov",
    role: "Faglig koordinator (voksne)",
    aadObjectId: "aaaaaaaa-0000-4000-8000-000000000004",
    upn: "peter.skov",
  },
  socialCaseworker: {
    id: "user-jonas",
    name: "Jonas Dahl",
    role: "Sagsbehandler, Myndighedsafdelingen",
    aadObjectId: "aaaaaaaa-0000-4000-8000-000000000005",
    upn: "jonas.dahl",
  },
  manager: {
    id: "user-birgitte",
    name: "Birgitte Krogh",
    role: "Leder",
    aadObjectId: "aaaaaaaa-0000-4000-8000-000000000006",
    upn: "birgitte.krogh",
  },
} as const;

export type DemoUserKey = keyof typeof DEMO_USERS;

export const DEMO_TEAM = {
  id: "19:tvaergaaende-sager@thread.tacv2",
  name: "Tværgående sager",
  aadGroupId: "bbbbbbbb-0000-4000-8000-000000000001",
  /** The Playground supports the General channel plus one more (its config schema's limit). */
  channels: [{ id: "19:sparring-unge@thread.tacv2", name: "Sparring unge (15-29)" }],
};

/**
 * A Playground config file (YAML is a superset of JSON, so JSON is written) with
 * `current` as the signed-in user and everyone else as the tenant's other users.
 */
export function playgroundConfig(current: DemoUserKey, personalChatId: string): Record<string, unknown> {
  const asUser = (key: DemoUserKey) => {
    const u = DEMO_USERS[key];
    const [givenName = "", surname = ""] = u.name.split(" ");
    return {
      id: u.id,
      name: u.name,
      userPrincipleName: `${u.upn}@norddjurs.example`,
      aadObjectId: u.aadObjectId,
      givenName,
      surname,
      email: `${u.upn}@norddjurs.example`,
    };
  };
  const others = (Object.keys(DEMO_USERS) as DemoUserKey[]).filter((k) => k !== current);
  return {
    version: "0.1.1",
    tenantId: DEMO_TENANT_ID,
    bot: { id: "sparring-bot-local", name: "Sparring" },
    currentUser: asUser(current),
    users: others.map(asUser),
    personalChat: { id: personalChatId },
    groupChat: { id: "19:demo-groupchat@thread.v2", name: "Gruppechat" },
    team: DEMO_TEAM,
  };
}

/** The demo user named by `--as` on the command line (default: the caseworker), or exit with the choices. */
export function demoUserFromArgs(argv: readonly string[]): DemoUserKey {
  const i = argv.indexOf("--as");
  const chosen = i >= 0 ? argv[i + 1] : "caseworker";
  if (chosen && chosen in DEMO_USERS) return chosen as DemoUserKey;
  process.stderr.write(`Unknown demo user "${chosen}". Choose one of: ${Object.keys(DEMO_USERS).join(", ")}\n`);
  process.exit(2);
}
