import { randomInt, randomUUID } from "node:crypto";
import type { Notification } from "../../src/domain/notification.js";
import type { OutboxMessage } from "../../src/domain/ports.js";
import { isNotFound } from "../../src/storage/storage-errors.js";
import { CASE_ROW, keys, ROW_PREFIX } from "../../src/storage/table-layout.js";
import { TableOutbox } from "../../src/storage/table-outbox.js";
import { outboxContract } from "../support/contracts/outbox-contract.js";
import { InMemoryOutbox } from "../support/in-memory/index.js";
import { azuriteTables } from "../support/table-rows.js";

outboxContract("in memory", async () => {
  const outbox = new InMemoryOutbox();
  return {
    outbox,
    tenantId: randomUUID(),
    otherTenantId: randomUUID(),
    commit: async (messages) => outbox.commit(`change|${randomUUID()}`, messages),
    announceWithoutCommit: async (messages) => outbox.announceOnly(`change|${randomUUID()}`, messages),
    stateOf: async (message) => outbox.messages().find((m) => m.id === message.id)?.state,
  };
});

outboxContract("Table Storage (Azurite)", async () => {
  const tables = await azuriteTables();
  const outbox = new TableOutbox(tables.cases, tables.outbox);
  const tenantId = randomUUID();
  /** The partition each message was (to be) committed in. */
  const partitionOf = new Map<string, string>();
  /** A case partition no case uses: somewhere to commit test messages. */
  const scratch = (messages: Notification[]) => {
    const partitionKey = keys.casePartition(tenantId, 1_000_000 + randomInt(1_000_000_000));
    for (const m of messages) if (!partitionOf.has(m.id)) partitionOf.set(m.id, partitionKey);
    return partitionKey;
  };
  return {
    outbox,
    tenantId,
    otherTenantId: randomUUID(),
    commit: (messages) => outbox.commit(scratch(messages), [], messages),
    announceWithoutCommit: async (messages) => {
      // A batch that fails on a row already there: its messages were announced, never committed.
      const partitionKey = scratch(messages);
      await tables.cases.createEntity({ partitionKey, rowKey: CASE_ROW });
      await outbox.commit(partitionKey, [["create", { partitionKey, rowKey: CASE_ROW }]], messages).then(
        () => {
          throw new Error("the batch was meant to fail");
        },
        () => undefined,
      );
    },
    stateOf: async (message) => {
      const partitionKey = partitionOf.get(message.id);
      if (!partitionKey) return undefined;
      try {
        return (await tables.cases.getEntity<{ state: OutboxMessage["state"] }>(partitionKey, ROW_PREFIX.outbox + message.id)).state;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
  };
});
