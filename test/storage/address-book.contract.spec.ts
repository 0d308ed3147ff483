import { randomUUID } from "node:crypto";
import { TableAddressBook } from "../../src/storage/table-address-book.js";
import { addressBookContract } from "../support/contracts/address-book-contract.js";
import { InMemoryAddressBook } from "../support/in-memory/index.js";
import { azuriteTables } from "../support/table-rows.js";

addressBookContract("in memory", async () => ({
  addresses: new InMemoryAddressBook(),
  tenantId: randomUUID(),
  otherTenantId: randomUUID(),
}));

addressBookContract("Table Storage (Azurite)", async () => ({
  addresses: new TableAddressBook((await azuriteTables()).addresses),
  tenantId: randomUUID(),
  otherTenantId: randomUUID(),
}));
