import type { EffortDraft, PlanDraft } from "../../src/domain/plan.js";
import { CASEWORKER, SOCIAL_CASEWORKER } from "./fixtures.js";

/** Monday 23 November 2026 in Copenhagen: "today" of the plan specs. */
export const TODAY = "2026-11-23";

/** The two owners of a plan: the raising (employment) caseworker and the social caseworker. */
export const OWNERS = [CASEWORKER.aadObjectId, SOCIAL_CASEWORKER.aadObjectId];

export function effortDraft(overrides: Partial<EffortDraft> = {}): EffortDraft {
  return {
    id: "e1",
    title: "Mentorforløb",
    purpose: "Borgeren får en mentor, der støtter fremmøde i praktik.",
    department: "Jobcenter",
    personId: "",
    personName: "Mette Mentor",
    from: "2026-12-01",
    to: "2027-05-31",
    after: "",
    ...overrides,
  };
}

/** A complete, valid plan form: two efforts, the second after the first, all follow-ups ahead of {@link TODAY}. */
export function planDraft(overrides: Partial<PlanDraft> = {}): PlanDraft {
  return {
    efforts: [
      effortDraft(),
      effortDraft({
        id: "e2",
        title: "Socialpædagogisk bostøtte",
        purpose: "Støtte til at fastholde boligen og få struktur på hverdagen.",
        department: "Myndighedsafdelingen",
        personId: SOCIAL_CASEWORKER.aadObjectId,
        personName: "",
        from: "2026-12-15",
        to: "2027-06-30",
        after: "e1",
      }),
    ],
    framework: "Sagsbehandlerne taler sammen hver anden uge.\nBorgeren har én fast indgang.",
    employmentFollowUp: "2027-01-15",
    socialFollowUp: "2027-01-22",
    fixedCaseworker: SOCIAL_CASEWORKER.aadObjectId,
    budgetKr: "50.000",
    forumFollowUp: "2027-02-01",
    ...overrides,
  };
}
