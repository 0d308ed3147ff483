import { randomUUID } from "node:crypto";
import type { CaseRecord } from "../../../src/domain/case.js";
import type { Municipality } from "../../../src/domain/municipality.js";
import type { CaseRepository, NewCase } from "../../../src/domain/ports.js";
import { CASEWORKER, fakeCprForAge, SOCIAL_CASEWORKER } from "../fixtures.js";
import { inMemoryPorts, MONDAY_MORNING } from "./index.js";
import { InMemoryPlanRepository } from "./plan-repository.js";

/** Every port in memory, plus the plans, committing to the same outbox. */
export function inMemoryPlanPorts(options: { now?: Date | string } = {}) {
  const ports = inMemoryPorts(options);
  return { ...ports, plans: new InMemoryPlanRepository(ports.outbox) };
}

export type InMemoryPlanPorts = ReturnType<typeof inMemoryPlanPorts>;

/** A case about a citizen of `age` (fictitious CPR), raised by CASEWORKER, not yet booked anywhere (acute). */
export function newCase(tenantId: string, age = 40, overrides: Partial<NewCase> = {}): NewCase {
  const cpr = fakeCprForAge(age, MONDAY_MORNING).replace("-", "");
  return {
    tenantId,
    cprDigits: cpr,
    age,
    forumId: age <= 29 ? "unge" : "voksne",
    department: "Jobcenter",
    health: "Kroniske smerter",
    social: "Gæld",
    question: "Skal sagen startes i myndighedsafdelingen?",
    acute: true,
    acuteReason: "Udsættelse af bolig",
    raisedBy: CASEWORKER.aadObjectId,
    raisedByName: CASEWORKER.name,
    raisedAt: MONDAY_MORNING.toISOString(),
    ...overrides,
  };
}

/**
 * A case the forum decided to start in the authority department, visitated to
 * SOCIAL_CASEWORKER (SPEC §5): what a plan is opened for.
 */
export async function visitatedCase(cases: CaseRepository, municipality: Municipality, age = 40): Promise<CaseRecord> {
  const { record } = await cases.raise(
    randomUUID(),
    newCase(municipality.tenantId, age),
    async () => ({ state: "acute" }),
    () => [],
  );
  const changed = await cases.change(
    municipality.tenantId,
    record.caseNo,
    record.version,
    { state: "visitated", decision: "start", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId, decidedAt: MONDAY_MORNING.toISOString() },
    { at: MONDAY_MORNING.toISOString(), user: "test", action: "decide", purpose: "start" },
  );
  if (!changed) throw new Error("could not visitate the case");
  return changed;
}
