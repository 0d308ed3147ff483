import { TableClient, TableServiceClient } from "@azure/data-tables";
import { TABLES } from "./table-layout.js";

export interface TableClients {
  cases: TableClient;
  caseIndex: TableClient;
  addresses: TableClient;
  outbox: TableClient;
  leases: TableClient;
  service: TableServiceClient;
}

/** Opens (and creates when missing) every table the product uses. */
export async function openTables(connectionString: string): Promise<TableClients> {
  const options = { allowInsecureConnection: isLocal(connectionString) };
  const client = (table: string) => TableClient.fromConnectionString(connectionString, table, options);
  const clients: TableClients = {
    cases: client(TABLES.cases),
    caseIndex: client(TABLES.caseIndex),
    addresses: client(TABLES.addresses),
    outbox: client(TABLES.outbox),
    leases: client(TABLES.leases),
    service: TableServiceClient.fromConnectionString(connectionString, options),
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

function isLocal(connectionString: string): boolean {
  return /(127\.0\.0\.1|localhost|UseDevelopmentStorage=true)/i.test(connectionString);
}
