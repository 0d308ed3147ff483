import { TableClient, TableServiceClient } from "@azure/data-tables";
import type { TokenCredential } from "@azure/identity";
import { TABLES } from "./table-layout.js";

/**
 * How the tables are reached: with the account's URL and an Entra ID credential (the
 * app's managed identity in production; no key anywhere), or with a connection string
 * (Azurite, and municipalities that insist on an account key). A bare string is a
 * connection string.
 */
export type TableAccess = string | { connectionString: string } | { accountUrl: string; credential: TokenCredential };

export interface TableClients {
  cases: TableClient;
  caseIndex: TableClient;
  addresses: TableClient;
  outbox: TableClient;
  leases: TableClient;
  service: TableServiceClient;
}

/** Opens (and creates when missing) every table the product uses. */
export async function openTables(access: TableAccess): Promise<TableClients> {
  const endpoint = tableEndpoint(access);
  const client = (table: string) => endpoint.table(table);
  const clients: TableClients = {
    cases: client(TABLES.cases),
    caseIndex: client(TABLES.caseIndex),
    addresses: client(TABLES.addresses),
    outbox: client(TABLES.outbox),
    leases: client(TABLES.leases),
    service: endpoint.service(),
  };
  await Promise.all(
    [clients.cases, clients.caseIndex, clients.addresses, clients.outbox, clients.leases].map((table) => table.createTable()),
  );
  return clients;
}

/** True when storage answers; used by `GET /api/health`. */
export async function storageReachable(clients: TableClients): Promise<boolean> {
  try {
    const iterator = clients.service.listTables().byPage({ maxPageSize: 1 });
    await iterator.next();
    return true;
  } catch {
    return false;
  }
}

/**
 * Retries of a failed storage call: a few, quickly. A user's turn waits for them, and Teams
 * shows an error after 5 s; with the SDK's default (3 retries from 1 s, doubling) a turn
 * during a storage outage took 7 s to say "prøv igen". A blip still heals within the turn;
 * anything longer is answered at once, and background work tries again on its next run.
 */
export const STORAGE_RETRY_OPTIONS = { maxRetries: 3, retryDelayInMs: 100, maxRetryDelayInMs: 800 } as const;

function tableEndpoint(access: TableAccess): { table(name: string): TableClient; service(): TableServiceClient } {
  if (typeof access === "string" || "connectionString" in access) {
    const connectionString = typeof access === "string" ? access : access.connectionString;
    const options = { allowInsecureConnection: isLocal(connectionString), retryOptions: STORAGE_RETRY_OPTIONS };
    return {
      table: (name) => TableClient.fromConnectionString(connectionString, name, options),
      service: () => TableServiceClient.fromConnectionString(connectionString, options),
    };
  }
  const url = access.accountUrl.replace(/\/+$/, "");
  const options = {
    allowInsecureConnection: ["127.0.0.1", "localhost"].includes(new URL(url).hostname),
    retryOptions: STORAGE_RETRY_OPTIONS,
  };
  return {
    table: (name) => new TableClient(url, name, access.credential, options),
    service: () => new TableServiceClient(url, access.credential, options),
  };
}

function isLocal(connectionString: string): boolean {
  return /(127\.0\.0\.1|localhost|UseDevelopmentStorage=true)/i.test(connectionString);
}
