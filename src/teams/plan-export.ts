import type { Municipality } from "../domain/municipality.js";
import {
  localDateTimeOf,
  type Effort,
  type FollowUpKind,
  type OwnerSide,
  type PlanEndReason,
  type PlanRecord,
  type PlanState,
  type SharedInformation,
} from "../domain/plan.js";

/**
 * The joint plan as plain Danish text for the case file (journalisering, SPEC §5): what a
 * caseworker pastes into the municipality's case system. Pure; the caller audits the export
 * (`exportPlan` in src/domain/plan-use-cases.ts).
 */
export function planExportText(plan: PlanRecord, municipality: Municipality, timeZone: string): string {
  const lines: string[] = [];
  const add = (...more: string[]) => lines.push(...more);
  const blank = () => lines.push("");

  add(`FÆLLES PLAN – ${plan.reference}`, municipality.name);
  add("Helhedsorienteret plan efter lov om en aktiv beskæftigelsesindsats § 40, stk. 3.");
  add("Planen er et tilbud til borgeren og bliver først aktiv med borgerens samtykke.");
  blank();
  add(`Status: ${STATE[plan.state]}`, `Version: ${plan.version}`, `Senest ændret: ${dateTime(plan.updatedAt, timeZone)}`);
  blank();
  add("Ejere");
  add(`- Beskæftigelse: ${nameOr(plan.owners.employment.name)}`, `- Socialområdet: ${nameOr(plan.owners.social.name)}`);

  const c = plan.content;
  if (!c) {
    blank();
    add("Planen er endnu ikke udfyldt.");
  } else {
    const fixed = Object.values(plan.owners).find((o) => o.aadObjectId === c.fixedCaseworker);
    add(`Fast sagsbehandler (borgerens indgang): ${nameOr(fixed?.name)}`);
    blank();
    add("Indsatser");
    c.efforts.forEach((effort, i) => {
      add(`${i + 1}. ${effort.title}`);
      add(...indented("   Formål: ", effort.purpose));
      add(`   Varetages af: ${effort.department}, ${effort.performer.name}`);
      add(`   Periode: ${date(effort.from)} – ${date(effort.to)}`);
      add(`   Rækkefølge: ${order(effort, c.efforts)}`);
    });
    blank();
    add("Rammen for samarbejdet", ...c.framework.split("\n"));
    blank();
    add("Opfølgning");
    add(`- ${FOLLOW_UP[`employment`]}: ${date(c.employmentFollowUp)}`, `- ${FOLLOW_UP.social}: ${date(c.socialFollowUp)}`);
    add(`- ${FOLLOW_UP.forum}: ${c.forumFollowUp ? date(c.forumFollowUp) : "ingen"}`);
    blank();
    add(
      c.budgetKr === undefined
        ? "Budget-/handleramme: ingen"
        : `Budget-/handleramme: ${kroner(c.budgetKr)} (den faste sagsbehandler kan handle alene inden for rammen)`,
    );
  }

  blank();
  add(`Godkendelser (version ${plan.version})`);
  for (const side of ["employment", "social"] as const) {
    const approval = plan.approvals.find((a) => a.side === side && a.version === plan.version);
    const owner = plan.owners[side];
    add(
      `- ${nameOr(approval?.name || owner.name)} (${SIDE[side]}): ${approval ? `godkendt ${dateTime(approval.at, timeZone)}` : "ikke godkendt"}`,
    );
  }

  blank();
  add(`Koordineringsmøde: ${plan.meetings?.coordinationMeeting ? date(plan.meetings.coordinationMeeting) : "ikke registreret"}`);
  add(`Fællessamtale: ${plan.meetings?.jointConversation ? date(plan.meetings.jointConversation) : "ikke registreret"}`);

  blank();
  if (plan.consent) {
    const consent = plan.consent;
    const titles = new Map(c?.efforts.map((e) => [e.id, e.title]));
    add("Samtykke");
    add(`Givet: ${date(consent.givenOn)} (til version ${consent.version})`);
    add(`Omfatter indsatserne: ${consent.efforts.map((id) => titles.get(id) ?? `${id} (ikke længere i planen)`).join(", ")}`);
    add(
      `Oplysninger der må deles mellem afdelingerne: ${consent.sharedInformation.length ? consent.sharedInformation.map((s) => SHARED[s]).join(", ") : "ingen"}`,
    );
    if (consent.note) add(...indented("Note: ", consent.note));
    if (consent.withdrawnOn) {
      add(`Trukket tilbage: ${date(consent.withdrawnOn)}`);
      if (consent.withdrawalNote) add(...indented("Note: ", consent.withdrawalNote));
    }
  } else if (plan.refusal) {
    add("Afslag");
    add(`Borgeren takkede nej til planen: ${date(plan.refusal.on)}`);
    if (plan.refusal.note) add(...indented("Note: ", plan.refusal.note));
  } else {
    add("Samtykke: ikke registreret");
  }

  if (plan.followUps.length > 0) {
    blank();
    add("Afholdte opfølgninger");
    for (const f of plan.followUps) add(...indented(`- ${FOLLOW_UP[f.kind]} ${date(f.date)}, afholdt ${date(f.heldOn)}: `, f.note));
  }

  if (plan.ended) {
    blank();
    add(`Afsluttet: ${dateTime(plan.ended.at, timeZone)} – ${END[plan.ended.reason]}`);
    if (plan.ended.note && plan.ended.reason !== "refused" && plan.ended.reason !== "consent-withdrawn")
      add(...indented("Note: ", plan.ended.note));
  }
  return lines.join("\n") + "\n";
}

const STATE: Record<PlanState, string> = {
  draft: "Kladde (ikke godkendt af begge sagsbehandlere)",
  agreed: "Godkendt af begge sagsbehandlere, afventer borgerens samtykke",
  active: "Aktiv",
  ended: "Afsluttet",
};

const SIDE: Record<OwnerSide, string> = { employment: "beskæftigelse", social: "socialområdet" };

const FOLLOW_UP: Record<FollowUpKind, string> = {
  employment: "Beskæftigelsesrettet indsats",
  social: "Social indsats",
  forum: "Sparringsforum",
};

const SHARED: Record<SharedInformation, string> = {
  health: "helbredsforhold",
  social: "sociale forhold",
  employment: "beskæftigelse",
  education: "uddannelse",
  housing: "bolig",
  finances: "økonomi",
  "substance-use": "misbrug",
  family: "familieforhold",
};

const END: Record<PlanEndReason, string> = {
  refused: "borgeren takkede nej til planen",
  "consent-withdrawn": "borgeren trak sit samtykke tilbage",
  completed: "indsatserne er gennemført",
  cancelled: "planen er opgivet",
};

function order(effort: Effort, efforts: readonly Effort[]): string {
  if (!effort.after) return "parallelt";
  const before = efforts.find((e) => e.id === effort.after);
  return `efter "${before?.title ?? effort.after}"`;
}

/** "2026-12-01" → "01.12.2026" */
function date(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${d}.${m}.${y}`;
}

/** "23.11.2026 kl. 08.00" in the municipality's time zone. */
function dateTime(instant: string, timeZone: string): string {
  const local = localDateTimeOf(instant, timeZone);
  return `${date(local.date)} kl. ${local.time.replace(":", ".")}`;
}

/** 50000 → "50.000 kr." */
function kroner(amount: number): string {
  return `${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ".")} kr.`;
}

function nameOr(name: string | undefined): string {
  return name?.trim() || "(ukendt)";
}

/** A label and a text of several lines, the later lines indented under the first. */
function indented(label: string, text: string): string[] {
  const pad = " ".repeat(label.length - label.trimStart().length + 2);
  return text.split("\n").map((line, i) => (i === 0 ? label + line : pad + line));
}
