import { describe, expect, it } from "vitest";
import type { AddressBook, ForumChannel } from "../../../src/domain/ports.js";
import { ADMINISTRATOR, CASEWORKER } from "../fixtures.js";

/** An address book with two tenants nobody else uses. */
export interface AddressBookUnderTest {
  addresses: AddressBook;
  tenantId: string;
  otherTenantId: string;
}

function channel(forumId: string, conversationId: string, channelName = "Sparring"): ForumChannel {
  return {
    forumId,
    conversationId,
    channelName,
    boundBy: ADMINISTRATOR.aadObjectId,
    reference: JSON.stringify({ conversation: { id: conversationId }, serviceUrl: "https://smba.trafficmanager.net/emea/" }),
    savedAt: "2026-11-23T08:00:00.000Z",
  };
}

/** What every {@link AddressBook} must do, whatever stores it. */
export function addressBookContract(name: string, make: () => Promise<AddressBookUnderTest>): void {
  describe(`AddressBook contract: ${name}`, () => {
    it("knows no channel for a forum nobody bound", async () => {
      const { addresses, tenantId } = await make();
      expect(await addresses.forumChannel(tenantId, "unge")).toBeUndefined();
    });

    it("binds a forum to a channel and reads the binding back", async () => {
      const { addresses, tenantId } = await make();
      const bound = channel("unge", "19:unge@thread.tacv2", "Sparring unge");
      expect(await addresses.bindForumChannel(tenantId, bound)).toBeUndefined();
      expect(await addresses.forumChannel(tenantId, "unge")).toEqual(bound);
      expect(await addresses.forumChannel(tenantId, "voksne")).toBeUndefined();
    });

    it("replaces a forum's binding, returning the one replaced", async () => {
      const { addresses, tenantId } = await make();
      const first = channel("voksne", "19:first@thread.tacv2");
      const second = { ...channel("voksne", "19:second@thread.tacv2", "Nyt sparringsforum"), savedAt: "2026-11-24T08:00:00.000Z" };
      await addresses.bindForumChannel(tenantId, first);
      expect(await addresses.bindForumChannel(tenantId, second)).toEqual(first);
      expect(await addresses.forumChannel(tenantId, "voksne")).toEqual(second);
    });

    it("saves a user's personal chat, the latest save winning", async () => {
      const { addresses, tenantId } = await make();
      expect(await addresses.personalChat(tenantId, CASEWORKER.aadObjectId)).toBeUndefined();
      await addresses.savePersonalChat(tenantId, CASEWORKER.aadObjectId, {
        reference: '{"conversation":{"id":"a:1"}}',
        savedAt: "2026-11-23T08:00:00.000Z",
      });
      await addresses.savePersonalChat(tenantId, CASEWORKER.aadObjectId, {
        reference: '{"conversation":{"id":"a:2"}}',
        savedAt: "2026-11-24T08:00:00.000Z",
      });
      expect(await addresses.personalChat(tenantId, CASEWORKER.aadObjectId)).toEqual({
        reference: '{"conversation":{"id":"a:2"}}',
        savedAt: "2026-11-24T08:00:00.000Z",
      });
    });

    it("keeps tenants apart", async () => {
      const { addresses, tenantId, otherTenantId } = await make();
      await addresses.bindForumChannel(tenantId, channel("unge", "19:unge@thread.tacv2"));
      await addresses.savePersonalChat(tenantId, CASEWORKER.aadObjectId, { reference: "{}", savedAt: "2026-11-23T08:00:00.000Z" });
      expect(await addresses.forumChannel(otherTenantId, "unge")).toBeUndefined();
      expect(await addresses.personalChat(otherTenantId, CASEWORKER.aadObjectId)).toBeUndefined();
    });
  });
}
