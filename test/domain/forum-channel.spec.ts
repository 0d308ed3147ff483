import { beforeEach, describe, expect, it } from "vitest";
import { bindForum, forumOfChannel, rememberPersonalChat, type ChannelSeen } from "../../src/domain/forum-channel.js";
import type { Municipality } from "../../src/domain/municipality.js";
import { ADMINISTRATOR, CASEWORKER, COORDINATOR, testMunicipality } from "../support/fixtures.js";
import { InMemoryAddressBook, inMemoryPorts, MONDAY_MORNING, type InMemoryPorts } from "../support/in-memory/index.js";

let ports: InMemoryPorts;
let municipality: Municipality;

beforeEach(() => {
  ports = inMemoryPorts({ now: MONDAY_MORNING });
  municipality = testMunicipality();
});

const channel = (name: string): ChannelSeen => ({
  conversationId: `19:${name}@thread.tacv2`,
  channelName: name,
  reference: JSON.stringify({ conversation: { id: `19:${name}@thread.tacv2` } }),
});
const bind = (typed: string, seen = channel("sparring-unge"), user = ADMINISTRATOR.aadObjectId) =>
  bindForum(ports, { municipality, user, typed, channel: seen });

describe("binding a forum to a channel (SPEC §1)", () => {
  it("binds the forum an administrator names to the channel the command came from", async () => {
    expect(await bind("unge")).toMatchObject({ kind: "bound", forum: { id: "unge" }, replaced: false });
    expect(await ports.addresses.forumChannel(municipality.tenantId, "unge")).toEqual({
      forumId: "unge",
      conversationId: "19:sparring-unge@thread.tacv2",
      channelName: "sparring-unge",
      boundBy: ADMINISTRATOR.aadObjectId,
      reference: channel("sparring-unge").reference,
      savedAt: MONDAY_MORNING.toISOString(),
    });
  });

  it("finds a forum by the start of its name, whatever the case", async () => {
    expect(await bind("  Sparring VOKSNE ", channel("voksne"))).toMatchObject({ kind: "bound", forum: { id: "voksne" } });
  });

  it("says replaced only when another channel was bound before", async () => {
    await bind("unge", channel("gammel"));
    expect(await bind("unge", channel("gammel"))).toMatchObject({ replaced: false });
    expect(await bind("unge", channel("ny"))).toMatchObject({ kind: "bound", replaced: true });
    expect((await ports.addresses.forumChannel(municipality.tenantId, "unge"))?.conversationId).toBe("19:ny@thread.tacv2");
  });

  it("is for administrators only, binding nothing otherwise", async () => {
    expect(await bind("unge", channel("x"), COORDINATOR.aadObjectId)).toEqual({ kind: "not-administrator" });
    expect(await ports.addresses.forumChannel(municipality.tenantId, "unge")).toBeUndefined();
  });

  it("names the forums to choose from when the typed one is unknown", async () => {
    expect(await bind("  ældre ")).toEqual({ kind: "unknown-forum", typed: "ældre", choices: ["unge", "voksne"] });
    expect(await bind("")).toEqual({ kind: "unknown-forum", typed: "", choices: ["unge", "voksne"] });
  });
});

describe("the forum of a channel", () => {
  it("is the forum bound to that conversation, and none for any other", async () => {
    await bind("unge", channel("unge"));
    await bind("voksne", channel("voksne"));
    expect((await forumOfChannel(ports, municipality, "19:voksne@thread.tacv2"))?.id).toBe("voksne");
    expect(await forumOfChannel(ports, municipality, "19:andet@thread.tacv2")).toBeUndefined();
  });
});

describe("remembering a user's personal chat (SPEC §11)", () => {
  it("saves where to reach the user later", async () => {
    expect(
      await rememberPersonalChat(ports, { municipality, user: CASEWORKER.aadObjectId, reference: '{"conversation":{"id":"a:1"}}' }),
    ).toEqual({ kind: "saved" });
    expect(await ports.addresses.personalChat(municipality.tenantId, CASEWORKER.aadObjectId)).toEqual({
      reference: '{"conversation":{"id":"a:1"}}',
      savedAt: MONDAY_MORNING.toISOString(),
    });
  });

  it("reports, without failing, that it could not save when the address book is down", async () => {
    const down = new Error("storage down");
    class UnreachableAddressBook extends InMemoryAddressBook {
      override async savePersonalChat(): Promise<void> {
        throw down;
      }
    }
    expect(
      await rememberPersonalChat(
        { addresses: new UnreachableAddressBook(), clock: ports.clock },
        { municipality, user: CASEWORKER.aadObjectId, reference: "{}" },
      ),
    ).toEqual({ kind: "not-saved", error: down });
  });
});
