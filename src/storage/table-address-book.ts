import type { TableClient } from "@azure/data-tables";
import type { AddressBook, ConversationAddress, ForumChannel } from "../domain/ports.js";
import { assertWithinTableLimits } from "./entity-limits.js";
import { isNotFound } from "./storage-errors.js";
import { assertSafeKeyPart, keys } from "./table-layout.js";

export class TableAddressBook implements AddressBook {
  constructor(private readonly table: TableClient) {}

  async bindForumChannel(tenantId: string, channel: ForumChannel): Promise<ForumChannel | undefined> {
    const previous = await this.forumChannel(tenantId, channel.forumId);
    const entity = {
      partitionKey: keys.forumChannelPartition(assertSafeKeyPart(tenantId, "tenant id")),
      rowKey: assertSafeKeyPart(channel.forumId, "forum id"),
      ...channel,
    };
    assertWithinTableLimits(entity);
    await this.table.upsertEntity(entity, "Replace");
    return previous;
  }

  async forumChannel(tenantId: string, forumId: string): Promise<ForumChannel | undefined> {
    const row = await this.read<ForumChannel>(keys.forumChannelPartition(tenantId), forumId);
    if (!row) return undefined;
    // Rows bound before conversationId was stored carry it only inside the reference.
    const conversationId = row.conversationId || ((JSON.parse(row.reference) as { conversation?: { id?: string } }).conversation?.id ?? "");
    return {
      forumId: row.forumId,
      conversationId,
      channelName: row.channelName,
      boundBy: row.boundBy,
      reference: row.reference,
      savedAt: row.savedAt,
    };
  }

  async savePersonalChat(tenantId: string, aadObjectId: string, address: ConversationAddress): Promise<void> {
    const entity = {
      partitionKey: keys.personalChatPartition(assertSafeKeyPart(tenantId, "tenant id")),
      rowKey: assertSafeKeyPart(aadObjectId, "user id"),
      ...address,
    };
    assertWithinTableLimits(entity);
    await this.table.upsertEntity(entity, "Replace");
  }

  async personalChat(tenantId: string, aadObjectId: string): Promise<ConversationAddress | undefined> {
    const row = await this.read<ConversationAddress>(keys.personalChatPartition(tenantId), aadObjectId);
    return row && { reference: row.reference, savedAt: row.savedAt };
  }

  private async read<T extends object>(pk: string, rk: string): Promise<T | undefined> {
    try {
      return await this.table.getEntity<T>(pk, rk);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
