import { TableLeases } from "../../src/storage/table-leases.js";
import { leaseStoreContract } from "../support/contracts/lease-store-contract.js";
import { InMemoryLeaseStore } from "../support/in-memory/index.js";
import { azuriteTables } from "../support/table-rows.js";

leaseStoreContract("in memory", async () => new InMemoryLeaseStore());

leaseStoreContract("Table Storage (Azurite)", async () => new TableLeases((await azuriteTables()).leases));
