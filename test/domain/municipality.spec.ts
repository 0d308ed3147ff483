import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { municipalitySchema } from "../../src/domain/municipality.js";
import { DEMO_TENANT_ID, DEMO_USERS } from "../../src/dev/demo-tenant.js";

const base = {
  tenantId: "t",
  name: "Kommune",
  departments: ["Jobcenter"],
  forums: [
    { id: "unge", name: "Unge", minAge: 15, maxAge: 29 },
    { id: "voksne", name: "Voksne", minAge: 30 },
  ],
};

describe("municipality configuration", () => {
  it("accepts forums that cover every age from the minimum age", () => {
    expect(municipalitySchema.safeParse(base).success).toBe(true);
  });

  it("refuses a gap or overlap between forums, and an oldest forum with an upper age", () => {
    const gap = { ...base, forums: [{ ...base.forums[0], maxAge: 28 }, base.forums[1]] };
    const overlap = { ...base, forums: [{ ...base.forums[0], maxAge: 31 }, base.forums[1]] };
    const capped = { ...base, forums: [base.forums[0], { ...base.forums[1], maxAge: 90 }] };
    for (const bad of [gap, overlap, capped]) expect(municipalitySchema.safeParse(bad).success).toBe(false);
  });

  it("refuses a duplicate forum id", () => {
    const twice = { ...base, forums: [base.forums[0], { ...base.forums[1], id: "unge" }] };
    expect(municipalitySchema.safeParse(twice).success).toBe(false);
  });

  it("ships a valid Norddjurs default whose roles match the Playground's demo users", () => {
    const [norddjurs] = z.array(municipalitySchema).parse(JSON.parse(readFileSync("config/municipalities.json", "utf8")));
    expect(norddjurs!.tenantId).toBe(DEMO_TENANT_ID);
    expect(norddjurs!.roles.caseworkers).toContain(DEMO_USERS.caseworker.aadObjectId);
    expect(norddjurs!.roles.coordinators["unge"]).toContain(DEMO_USERS.coordinator.aadObjectId);
    expect(norddjurs!.roles.socialCaseworkers).toContain(DEMO_USERS.socialCaseworker.aadObjectId);
    expect(norddjurs!.roles.managers).toContain(DEMO_USERS.manager.aadObjectId);
  });
});
