import { describe, expect, it } from "vitest";
import { CachedDirectory } from "../../src/directory/cached-directory.js";
import { DirectoryUnavailableError, type Directory, type DirectoryEntry, type ResolvedEntries } from "../../src/domain/roles.js";

/** A directory that counts its look-ups and can be made to fail. */
function countingDirectory() {
  const calls: string[] = [];
  let failing = false;
  const directory: Directory = {
    async resolve(tenantId, entries): Promise<ResolvedEntries> {
      calls.push(tenantId);
      if (failing) throw new DirectoryUnavailableError("Microsoft Graph answered 503");
      return new Map(entries.map((e): [string, DirectoryEntry] => [e, { kind: "user", id: e }]));
    },
  };
  return { directory, calls, fail: (on: boolean) => (failing = on) };
}

function clockAt(start: string) {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (seconds: number) => (now += seconds * 1000) };
}

describe("CachedDirectory: Graph asked once per tenant within ROLE_CACHE_SECONDS, again after", () => {
  it("answers from memory within the period and asks again once it has passed", async () => {
    const inner = countingDirectory();
    const clock = clockAt("2026-11-23T07:00:00Z");
    const cached = new CachedDirectory(inner.directory, 300_000, clock);

    const first = await cached.resolve("tenant-a", ["u1"]);
    clock.advance(299);
    expect(await cached.resolve("tenant-a", ["u1"])).toBe(first);
    expect(inner.calls).toEqual(["tenant-a"]);

    await cached.resolve("tenant-b", ["u1"]);
    expect(inner.calls).toEqual(["tenant-a", "tenant-b"]);

    clock.advance(1);
    expect(await cached.resolve("tenant-a", ["u1"])).not.toBe(first);
    expect(inner.calls).toEqual(["tenant-a", "tenant-b", "tenant-a"]);
  });

  it("shares one look-up between turns arriving together", async () => {
    const inner = countingDirectory();
    const cached = new CachedDirectory(inner.directory, 300_000, clockAt("2026-11-23T07:00:00Z"));
    const [a, b] = await Promise.all([cached.resolve("t", ["u1"]), cached.resolve("t", ["u1"])]);
    expect(a).toBe(b);
    expect(inner.calls).toHaveLength(1);
  });

  it("does not remember a failure: the next turn asks Graph again", async () => {
    const inner = countingDirectory();
    const cached = new CachedDirectory(inner.directory, 300_000, clockAt("2026-11-23T07:00:00Z"));
    inner.fail(true);
    await expect(cached.resolve("t", ["u1"])).rejects.toBeInstanceOf(DirectoryUnavailableError);
    inner.fail(false);
    await expect(cached.resolve("t", ["u1"])).resolves.toBeInstanceOf(Map);
    expect(inner.calls).toHaveLength(2);
  });
});
