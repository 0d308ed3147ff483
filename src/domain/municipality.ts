import { z } from "zod";
import { forumScheduleSchema, localDayOffSchema } from "./calendar.js";

/**
 * Everything that differs between municipalities. Norddjurs Kommune's way of working
 * (seeds/001_55811b281ae63ad2.txt) is the default in `config/municipalities.json`.
 */
export const forumSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,32}$/, "forum id: små bogstaver, tal og bindestreg"),
    name: z.string().min(1).max(80),
    minAge: z.number().int().min(0).max(130),
    maxAge: z.number().int().min(0).max(130).optional(),
    /** Meeting cadence, length, slots and agenda deadline; Norddjurs' default for "unge"/"voksne" when left out. */
    schedule: forumScheduleSchema.optional(),
  })
  .refine((f) => f.maxAge === undefined || f.maxAge >= f.minAge, {
    message: "maxAge must be at least minAge",
  });

const principalList = z.array(z.string().min(1)).default([]);

/** A reason category a bostøtte refusal or termination is recorded with: a stable id and the Danish label users see. */
export const reasonCategorySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, "reason id: små bogstaver, tal og bindestreg"),
  label: z.string().min(1).max(60),
});
export type ReasonCategory = z.infer<typeof reasonCategorySchema>;

const reasonCategories = (defaults: ReasonCategory[]) =>
  z
    .array(reasonCategorySchema)
    .min(1)
    .max(20)
    .default(defaults)
    .refine((list) => new Set(list.map((r) => r.id)).size === list.length, { message: "a reason id is used twice" });

/** Norddjurs' defaults; the labels are configuration (SPEC §7: "reason category"). */
export const DEFAULT_REFUSAL_REASONS: ReasonCategory[] = [
  { id: "ikke-i-maalgruppen", label: "Ikke i målgruppen" },
  { id: "tilbudt-anden-indsats", label: "Tilbudt anden indsats" },
  { id: "borgeren-oensker-det-ikke", label: "Borgeren ønsker det ikke" },
  { id: "andet", label: "Andet" },
];
export const DEFAULT_TERMINATION_REASONS: ReasonCategory[] = [
  { id: "maal-naaet", label: "Mål nået" },
  { id: "borgeren-oensker-det-ikke", label: "Borgeren ønsker det ikke" },
  { id: "flyttet", label: "Flyttet" },
  { id: "anden-indsats", label: "Anden indsats" },
  { id: "andet", label: "Andet" },
];

export const municipalitySchema = z
  .object({
    tenantId: z.string().min(1),
    name: z.string().min(1),
    /** Departments a raising caseworker can belong to; names are configuration (SPEC: the 2026 reform). */
    departments: z.array(z.string().min(1).max(60)).min(1),
    /** Citizens younger than this are not handled by the forums. */
    minimumAge: z.number().int().min(0).max(30).default(15),
    forums: z.array(forumSchema).min(1),
    /** Local days off on top of the public holidays, e.g. "12-24", "12-31", "06-05" or "2026-12-28". */
    localDaysOff: z.array(localDayOffSchema).default([]),
    /**
     * Who holds each role (SPEC §1). An entry is a user's Entra object id or e-mail/UPN, or an
     * Entra security group's object id (its members count, nested groups included); with
     * Microsoft Graph they are resolved per turn, see `roles.ts`. Locally: object ids only.
     */
    roles: z
      .object({
        /** Entra object ids of employment caseworkers who may raise cases. */
        caseworkers: principalList,
        coordinators: z.record(z.string(), principalList).default({}),
        socialCaseworkers: principalList,
        managers: principalList,
        administrators: principalList,
      })
      .default({}),
    /** Managers may record forum decisions like a coordinator (SPEC §1, config). */
    managersMayDecide: z.boolean().default(false),
    /** Display names for object ids, used where a card names a person (e.g. the social caseworkers to choose from). */
    directory: z.record(z.string(), z.string().min(1).max(100)).default({}),
    /** A plan follow-up not recorded this many working days after its date counts as overdue (SPEC §8). */
    planFollowUpGraceWorkingDays: z.number().int().min(0).max(60).default(5),
    /**
     * Bostøtte decisions (SPEC §7; seed 001 "Afgørelser om bostøtte"): the reason categories
     * a refusal or a termination is recorded with, and who is told when no employment
     * caseworker is linked to the citizen ("forum-channel": the channel of the forum the
     * citizen's age belongs to, as a card without CPR or text).
     */
    bostotte: z
      .object({
        refusalReasons: reasonCategories(DEFAULT_REFUSAL_REASONS),
        terminationReasons: reasonCategories(DEFAULT_TERMINATION_REASONS),
        fallback: z.enum(["forum-channel"]).default("forum-channel"),
        /** Entra app (client) ids allowed to report decisions to POST /api/bostotte/events: the municipality's case system. */
        callerAppIds: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
      })
      .default({}),
    /** Ages at which a citizen changes target group (målgruppeskift, seed 001 "gensidig orientering"): both caseworkers are told. */
    targetGroupAges: z
      .array(z.number().int().min(1).max(130))
      .max(10)
      .default([18, 30])
      .refine((ages) => new Set(ages).size === ages.length, { message: "an age in targetGroupAges is listed twice" }),
    /**
     * The managers' overview (SPEC §8): when subscribers get it (weekday 1 = Monday, local
     * time), how many days it covers by default, and below which count a number is hidden.
     */
    overview: z
      .object({
        schedule: z
          .object({
            weekday: z.number().int().min(1).max(7).default(1),
            time: z
              .string()
              .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "overview time: HH:mm, e.g. 08:00")
              .default("08:00"),
          })
          .default({}),
        days: z.number().int().min(1).max(365).default(7),
        smallCountThreshold: z.number().int().min(1).max(20).default(3),
      })
      .default({}),
    /**
     * Retention (SPEC §9, `retention.ts`): the case itself is journalised in the municipality's
     * own case system, so Sparring's copy lives only as long as the cooperation needs it.
     * A finished case's personal data is deleted `closedCaseMonths` after it was closed
     * ("Ikke grundlag"), withdrawn, or its joint plan ended; a visitated case with no joint
     * plan counts as closed `unplannedVisitationMonths` after the visitation. Audit rows are
     * deleted after `auditMonths` (SPEC §9: default 6 months).
     */
    retention: z
      .object({
        closedCaseMonths: z.number().int().min(1).max(120).default(12),
        unplannedVisitationMonths: z.number().int().min(1).max(60).default(6),
        auditMonths: z.number().int().min(1).max(120).default(6),
      })
      .default({}),
  })
  .superRefine((m, ctx) => {
    const ids = new Set<string>();
    for (const forum of m.forums) {
      if (ids.has(forum.id)) ctx.addIssue({ code: "custom", message: `forum id "${forum.id}" is used twice` });
      ids.add(forum.id);
    }
    const sorted = [...m.forums].sort((a, b) => a.minAge - b.minAge);
    if ((sorted[0]?.minAge ?? 0) > m.minimumAge) {
      ctx.addIssue({ code: "custom", message: `no forum takes citizens aged ${m.minimumAge}` });
    }
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const next = sorted[i]!;
      if (prev.maxAge === undefined || prev.maxAge + 1 !== next.minAge) {
        ctx.addIssue({
          code: "custom",
          message: `forums "${prev.id}" and "${next.id}" must cover consecutive ages (gap or overlap at ${next.minAge})`,
        });
      }
    }
    for (const forum of m.forums) {
      if (!forum.schedule && forum.id !== "unge" && forum.id !== "voksne") {
        ctx.addIssue({ code: "custom", message: `forum "${forum.id}" needs a schedule (only "unge" and "voksne" have defaults)` });
      }
    }
    if (sorted[sorted.length - 1]?.maxAge !== undefined) {
      ctx.addIssue({ code: "custom", message: "the oldest forum must have no maxAge" });
    }
  });

export type Municipality = z.infer<typeof municipalitySchema>;
export type Forum = z.infer<typeof forumSchema>;

/**
 * The forum for a citizen of `age` (seed 001: "op til og med 29 år" → unge, "30 år og ældre" → voksne).
 * Returns undefined below the municipality's minimum age.
 */
export function forumForAge(municipality: Municipality, age: number): Forum | undefined {
  if (age < municipality.minimumAge) return undefined;
  return municipality.forums.find((f) => age >= f.minAge && (f.maxAge === undefined || age <= f.maxAge));
}

export function isCaseworker(municipality: Municipality, aadObjectId: string): boolean {
  return municipality.roles.caseworkers.includes(aadObjectId);
}

export function isAdministrator(municipality: Municipality, aadObjectId: string): boolean {
  return municipality.roles.administrators.includes(aadObjectId);
}

/**
 * Finds a forum by what an administrator typed: its id ("unge") or the start of its
 * name ("sparring voksne"), case-insensitively.
 */
export function findForum(municipality: Municipality, typed: string): Forum | undefined {
  const wanted = typed.trim().toLowerCase();
  if (!wanted) return undefined;
  return municipality.forums.find((f) => f.id === wanted) ?? municipality.forums.find((f) => f.name.toLowerCase().startsWith(wanted));
}

/** The name the municipality's directory gives a person, if any. */
export function displayName(municipality: Municipality, aadObjectId: string): string | undefined {
  return municipality.directory[aadObjectId];
}

/** The ages a forum takes (from the municipality's minimum age), e.g. 15–29 or 30 and up. */
export function ageRangeOf(municipality: Municipality, forumId: string): { from: number; to: number | undefined } | undefined {
  const forum = municipality.forums.find((f) => f.id === forumId);
  return forum && { from: Math.max(forum.minAge, municipality.minimumAge), to: forum.maxAge };
}
