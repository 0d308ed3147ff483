import { randomUUID } from "node:crypto";
import { keys } from "../../src/storage/table-layout.js";
import { TableMeetingRepository } from "../../src/storage/table-meeting-repository.js";
import { TableOutbox } from "../../src/storage/table-outbox.js";
import { meetingRepositoryContract } from "../support/contracts/meeting-repository-contract.js";
import { InMemoryMeetingRepository, InMemoryOutbox, meetingSource } from "../support/in-memory/index.js";
import { azuriteTables, messageRows } from "../support/table-rows.js";

meetingRepositoryContract("in memory", async () => {
  const outbox = new InMemoryOutbox();
  const tenantId = randomUUID();
  return {
    meetings: new InMemoryMeetingRepository(outbox),
    tenantId,
    otherTenantId: randomUUID(),
    messagesOf: async (meeting) =>
      outbox.messagesOf(meetingSource(tenantId, meeting)).map(({ id, target, content, state }) => ({ id, target, content, state })),
  };
});

meetingRepositoryContract("Table Storage (Azurite)", async () => {
  const tables = await azuriteTables();
  const tenantId = randomUUID();
  return {
    meetings: new TableMeetingRepository(tables.cases, new TableOutbox(tables.cases, tables.outbox)),
    tenantId,
    otherTenantId: randomUUID(),
    messagesOf: async (meeting) =>
      (await messageRows(tables.cases, keys.meetingPartition(tenantId, meeting.forumId, meeting.date))).map(
        ({ id, target, content, state }) => ({ id, target, content, state }),
      ),
  };
});
