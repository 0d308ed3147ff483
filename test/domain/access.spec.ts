import { describe, expect, it } from "vitest";
import { canDecide, canViewDetails } from "../../src/domain/access.js";
import { ageRangeOf } from "../../src/domain/municipality.js";
import type { CaseRecord } from "../../src/domain/case.js";
import { municipalitySchema } from "../../src/domain/municipality.js";
import { CASEWORKER, COORDINATOR, OUTSIDER, SOCIAL_CASEWORKER, YOUTH_COORDINATOR, testMunicipality } from "../support/fixtures.js";

const MANAGER = "aaaaaaaa-1111-4000-8000-000000000007";
const base = testMunicipality();
const withManager = (managersMayDecide: boolean) =>
  municipalitySchema.parse({ ...base, managersMayDecide, roles: { ...base.roles, managers: [MANAGER] } });
const record = { forumId: "voksne", raisedBy: CASEWORKER.aadObjectId, socialCaseworker: undefined } as unknown as CaseRecord;

describe("who may do what", () => {
  it("lets only the forum's coordinators decide, and managers only when configured", () => {
    expect(canDecide(base, "voksne", COORDINATOR.aadObjectId)).toBe(true);
    expect(canDecide(base, "voksne", YOUTH_COORDINATOR.aadObjectId)).toBe(false);
    expect(canDecide(base, "voksne", CASEWORKER.aadObjectId)).toBe(false);
    expect(canDecide(base, "voksne", "")).toBe(false);
    expect(canDecide(withManager(false), "voksne", MANAGER)).toBe(false);
    expect(canDecide(withManager(true), "voksne", MANAGER)).toBe(true);
  });

  it("shows details to the forum's coordinators, the raising caseworker and the visitated social caseworker", () => {
    expect(canViewDetails(base, record, COORDINATOR.aadObjectId)).toBe(true);
    expect(canViewDetails(base, record, CASEWORKER.aadObjectId)).toBe(true);
    expect(canViewDetails(base, record, YOUTH_COORDINATOR.aadObjectId)).toBe(false);
    expect(canViewDetails(base, record, SOCIAL_CASEWORKER.aadObjectId)).toBe(false);
    expect(canViewDetails(base, { ...record, socialCaseworker: SOCIAL_CASEWORKER.aadObjectId }, SOCIAL_CASEWORKER.aadObjectId)).toBe(true);
    expect(canViewDetails(base, record, OUTSIDER.aadObjectId)).toBe(false);
  });

  it("takes each forum's age range from the configuration, from the municipality's minimum age", () => {
    expect(ageRangeOf(base, "unge")).toEqual({ from: 15, to: 29 });
    expect(ageRangeOf(base, "voksne")).toEqual({ from: 30, to: undefined });
    expect(ageRangeOf(base, "ukendt")).toBeUndefined();
  });
});
