import type { AddressBook, ConversationAddress, ForumChannel } from "../../../src/domain/ports.js";

/** Conversation addresses in memory, with the semantics of `TableAddressBook`. */
export class InMemoryAddressBook implements AddressBook {
  private readonly channels = new Map<string, ForumChannel>();
  private readonly chats = new Map<string, ConversationAddress>();

  async bindForumChannel(tenantId: string, channel: ForumChannel): Promise<ForumChannel | undefined> {
    const previous = await this.forumChannel(tenantId, channel.forumId);
    this.channels.set(`${tenantId}|${channel.forumId}`, { ...channel });
    return previous;
  }

  async forumChannel(tenantId: string, forumId: string): Promise<ForumChannel | undefined> {
    const channel = this.channels.get(`${tenantId}|${forumId}`);
    return channel && { ...channel };
  }

  async savePersonalChat(tenantId: string, aadObjectId: string, address: ConversationAddress): Promise<void> {
    this.chats.set(`${tenantId}|${aadObjectId}`, { reference: address.reference, savedAt: address.savedAt });
  }

  async personalChat(tenantId: string, aadObjectId: string): Promise<ConversationAddress | undefined> {
    const chat = this.chats.get(`${tenantId}|${aadObjectId}`);
    return chat && { ...chat };
  }
}
