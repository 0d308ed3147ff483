import type { CaseState, DecisionKind } from "../domain/case-lifecycle.js";
import { MAX_CHARS, MAX_LINES, type FieldErrorCode } from "../domain/case.js";
import type { BostotteFieldErrorCode, BostotteKind, HoursUnit, LegalBasis } from "../domain/bostotte.js";
import type { FollowPurpose, UnfollowReason } from "../domain/citizen.js";
import type { DecisionFieldError } from "../domain/decide-case.js";
import type { MoveReason } from "../domain/move-case.js";
import {
  MAX_BUDGET_KR,
  MAX_EFFORTS,
  MAX_NOTE_CHARS,
  type EffortField,
  type FollowUpKind,
  type OwnerSide,
  type PlanChange,
  type PlanEndReason,
  type PlanFieldErrorCode,
  type PlanState,
  type SharedInformation,
} from "../domain/plan.js";
import type { ConsentFieldError, DatedNoteFieldError, FollowUpFieldError, MeetingsFieldError } from "../domain/plan-use-cases.js";

/** Danish text for domain error codes. The domain speaks codes; users read this. */
export function fieldErrorText(code: FieldErrorCode, minimumAge: number): string {
  switch (code) {
    case "required":
      return "Feltet skal udfyldes.";
    case "too-many-lines":
      return `Skriv højst ${MAX_LINES} linjer.`;
    case "too-long":
      return `Skriv højst ${MAX_CHARS} tegn.`;
    case "cpr.format":
      return "CPR-nummeret skal have 10 cifre: DDMMÅÅ-XXXX (bindestreg valgfri).";
    case "cpr.date":
      return "CPR-nummeret indeholder ikke en gyldig fødselsdato.";
    case "cpr.too-young":
      return `Borgeren er under ${minimumAge} år. Sparringsforum behandler borgere fra ${minimumAge} år.`;
    case "cpr.future":
      return "Fødselsdatoen i CPR-nummeret ligger i fremtiden.";
    case "department.unknown":
      return "Vælg en afdeling fra listen.";
  }
}

export const TEXT = {
  formHasErrors: "Sagen er ikke sendt. Ret felterne markeret med rødt — det, du har skrevet, er bevaret.",
  storageDown:
    "Sparring kunne ikke gemme sagen lige nu, fordi lageret ikke svarer. Det, du har skrevet, er bevaret — tryk på knappen igen om lidt.",
  notCaseworker:
    "Du er ikke registreret som sagsbehandler i Sparring, så du kan ikke oprette sager. Kontakt jeres Sparring-administrator, hvis det er en fejl.",
  unknownTenant: "Din organisation er ikke sat op til at bruge Sparring.",
  expiredForm: "Formularen kunne ikke læses. Skriv **ny sag** for at få en ny formular.",
  personalChatOnly:
    "Sager oprettes i en personlig chat med mig, så borgerens oplysninger ikke står i kanalen. Åbn en chat med Sparring og skriv **ny sag**. I en forumkanal kan en administrator skrive **@Sparring tilknyt forum** efterfulgt af forummets navn.",
  notUnderstood: "Det forstod jeg ikke.",
  genericError: "Der skete en fejl i Sparring. Intet er ændret — prøv igen om lidt.",
  /** A card action that failed (storage down): the card stays as it was in Teams, with what was typed on it. */
  actionFailed: "Sparring kunne ikke gøre det lige nu. Kortet er, som du forlod det, med det, du har skrevet — prøv igen om lidt.",
  nextStepRaised: "Du får besked her i chatten, hvis sagen flyttes, og når forummet har truffet en beslutning.",
  booked: (_forum: string, deadline: string) => `Dagsordenen sendes ud i forummets kanal ${deadline}.`,
  acuteRaised: (forum: string) => `Sagen er akut og er sendt til ${forum} med det samme; koordinatorerne får besked.`,
  meetingsFull: (dates: string[]) => `Mødet ${dates.join(", ")} var fuldt, så sagen er sat på det næste møde med en ledig plads.`,
  noFreeMeeting:
    "Sagen er ikke sendt: alle forummets kommende møder er fulde. Det, du har skrevet, er bevaret. Kontakt koordinatorerne, eller send sagen som akut, hvis den ikke kan vente.",
  unknownCase: "Sagen findes ikke (længere). Intet er ændret.",
  unknownAction:
    "Den knap kender Sparring ikke (længere): kortet er fra en ældre udgave, eller det kunne ikke læses. Intet er ændret. Skriv **hjælp** for at komme videre.",
  detailsRefused:
    "Du har ikke adgang til sagens detaljer. Kun forummets koordinatorer og sagens sagsbehandler kan se dem. Forsøget er logget.",
  agendaNoForum: "Denne kanal er ikke tilknyttet et forum. En administrator kan skrive @Sparring tilknyt forum unge (eller voksne).",
  agendaNoMeeting: (forum: string) => `${forum} har ingen kommende møder i kalenderen.`,
  nextStepNoChannel: (forum: string) =>
    `${forum} har endnu ingen kanal i Teams, så koordinatorerne kan ikke se sagen dér endnu. Bed jeres Sparring-administrator skrive "@Sparring tilknyt forum" i forummets kanal. Sagen er gemt — der går intet tabt.`,
  bindOnlyInChannel:
    "Et forum tilknyttes i den kanal, hvor forummets sager skal vises: skriv @Sparring tilknyt forum unge (eller voksne) dér.",
  bindNotAdministrator: "Kun en Sparring-administrator kan tilknytte en kanal til et forum. Intet er ændret.",
  bindUnknownForum: (typed: string, choices: string) =>
    typed
      ? `Jeg kender ikke forummet "${typed}". Skriv tilknyt forum ${choices}.`
      : `Skriv hvilket forum kanalen er til: tilknyt forum ${choices}.`,
  bound: (forum: string, replaced: boolean) =>
    `Kanalen er nu tilknyttet ${forum}.${replaced ? " Den erstatter forummets tidligere kanal." : ""} Forummets sager og dagsordener vises her.`,
  acuteAlert: (reference: string, forum: string) => `AKUT: sag ${reference} er sendt til ${forum} og skal vurderes hurtigst muligt.`,
  onlyCoordinators: "Kun forummets koordinatorer kan gøre det. Intet er ændret.",
  notBooked: "Sagen er ikke booket til et møde (den er akut eller afgjort), så den kan ikke flyttes.",
  chooseMeeting: "Vælg det møde, sagen skal flyttes til.",
  meetingNotAvailable: "Det møde findes ikke (længere) i forummets kalender. Vælg et andet.",
  meetingFull: "Mødet er fuldt. Vælg et andet møde.",
  alreadyCancelled: "Mødet er allerede aflyst.",
  cancelQuestion: (booked: number) =>
    booked === 0
      ? "Der er ingen sager på mødet."
      : `${booked} ${booked === 1 ? "sag flyttes" : "sager flyttes"} til næste møde med ledig plads, og sagsbehandlerne får besked.`,
  cancelled: (moved: number, unplaced: number) =>
    `${moved} ${moved === 1 ? "sag er flyttet" : "sager er flyttet"}, og sagsbehandlerne har fået besked.${unplaced > 0 ? ` ${unplaced} kunne ikke placeres — de står stadig på listen og prøves igen.` : ""}`,
  agendaPreliminary: (deadline: string) => `Foreløbig dagsorden: den sendes ud ${deadline}, og sager kan stadig komme på.`,
  agendaLate: "Dagsordenen kommer for sent: Sparring var ikke i drift ved fristen.",
  caseMoved: (reference: string, meeting: string, reason: MoveReason) =>
    `Din sag ${reference} er flyttet ${MOVE_REASONS[reason]}. Nyt møde: ${meeting}.`,
  stateText: {
    booked: "Booket til møde",
    acute: "Akut",
    "awaiting-information": "Afventer mere information fra sagsbehandleren",
    visitated: "Visiteret til myndighedsafdelingen",
    closed: "Afsluttet",
    withdrawn: "Trukket tilbage af sagsbehandleren",
  } satisfies Record<CaseState, string>,
  decisionLabel: {
    start: "Start sag i myndighedsafdelingen",
    "no-basis": "Ikke grundlag for tværgående sag",
    "more-information": "Mere information",
    postpone: "Udsat til næste møde",
  } satisfies Record<DecisionKind, string>,
  decisionFieldError: {
    "decision.required": "Vælg en beslutning.",
    "social-caseworker.required": "Vælg den sagsbehandler i myndighedsafdelingen, sagen visiteres til.",
    "note.required": "Skriv en kort begrundelse eller hvad der mangler.",
    "note.too-long": `Skriv højst ${MAX_LINES} linjer og ${MAX_CHARS} tegn.`,
  } satisfies Record<DecisionFieldError, string>,
  decisionInvalid: "Beslutningen er ikke registreret. Ret det markerede — det, du har valgt og skrevet, er bevaret.",
  decisionNotAllowed: "Kun forummets koordinatorer kan registrere en beslutning. Intet er ændret, og forsøget er logget.",
  decisionStale: "Kortet var ikke opdateret: sagen er ændret siden. Her er den, som den er nu — intet er ændret.",
  alreadyDecided: (by: string, when: string) => `Beslutningen var allerede truffet af ${by}, ${when}. Intet er ændret.`,
  decisionNotNow: "Sagen kan ikke afgøres i sin nuværende tilstand. Intet er ændret.",
  postponeNoMeeting: "Der er ingen kommende møder med ledig plads, så sagen kan ikke udsættes. Intet er ændret.",
  decisionTitle: { raiser: "Forummet har truffet en beslutning", "social-caseworker": "En sag er visiteret til dig" } satisfies Record<
    DecisionAudience,
    string
  >,
  /** The label above the decision's note, for the raising caseworker. */
  decisionNoteLabel: { start: "", "no-basis": "Begrundelse", "more-information": "Forummet mangler", postpone: "" } satisfies Record<
    DecisionKind,
    string
  >,
  visitatedTo: (label: string, social: string) => `${label} — visiteret til ${social}`,
  nextStepAfter: {
    start: (social: string) =>
      `Sagen er visiteret til ${social} i myndighedsafdelingen. I aftaler den fælles plan, før borgeren inddrages.`,
    "no-basis": () => "Sagen er afsluttet i sparringsforum.",
    "more-information": () => "Tilføj oplysningerne herunder; så kommer sagen på dagsordenen til næste møde med ledig plads.",
    postpone: () => "",
  } satisfies Record<DecisionKind, (social: string) => string>,
  nextStepSocial: (raiser: string) =>
    `Sagen er rejst af ${raiser}. I aftaler den fælles plan sammen, før borgeren inddrages. Se borgerens oplysninger med Vis detaljer.`,
  informationAdded: (reference: string, meeting: string) =>
    `Tak. Oplysningerne er tilføjet sag ${reference}, og sagen er sat på mødet ${meeting}.`,
  informationNotAwaited: "Forummet venter ikke på oplysninger i denne sag (længere). Intet er ændret.",
  onlyRaiserAddsInformation: "Kun sagsbehandleren, der rejste sagen, kan tilføje oplysninger.",

  withdrawQuestion: (reference: string) =>
    `Træk sag ${reference} tilbage fra sparringsforum? Pladsen på mødet gives fri, og koordinatorerne skal ikke længere tage stilling til sagen. Kortet i forummets kanal kommer til at stå som "Trukket tilbage" — uden begrundelse.`,
  withdrawn: (reference: string) => `Sag ${reference} er trukket tilbage. Koordinatorerne skal ikke længere tage stilling til den.`,
  withdrawOnlyRaiser: "Kun sagsbehandleren, der rejste sagen, kan trække den tilbage. Intet er ændret.",
  withdrawTooLate: (state: string) => `Sagen kan ikke trækkes tilbage, fordi den allerede er ${state.toLowerCase()}. Intet er ændret.`,
  withdrawStale: "Sagen er ændret, siden du åbnede den. Se den i **mine sager** og prøv igen. Intet er ændret.",
  caseWithdrawnBanner: "Sagen er trukket tilbage af sagsbehandleren. Der skal ikke træffes beslutning.",
  statusOnlyAdministrators: "Kun en Sparring-administrator kan se status. Intet er ændret.",
  statusAllDelivered: "Status: alle beskeder fra Sparring er leveret. Ingen venter på en modtager, der ikke kan nås.",
  statusParked: (count: number, oldest: string) =>
    `Status: ${count} ${count === 1 ? "besked kunne" : "beskeder kunne"} ikke leveres, fordi modtageren har blokeret Sparring eller samtalen ikke findes længere. Den ældste er fra ${oldest}. Beskederne er gemt — ingen er tabt — og tælles med i ledernes overblik. Bed modtagerne åbne Sparring i Teams igen.`,
  movedToForum: (forum: string, meeting: string) =>
    `Sagen er flyttet til ${forum}, fordi borgeren har skiftet målgruppe. Nyt møde: ${meeting}.`,
  greeting: (name: string) => (name ? `Hej ${name}! Jeg er Sparring.` : "Hej! Jeg er Sparring."),

  meetingAcute: "Akut — drøftes hurtigst muligt, uden for mødekalenderen",
  meetingNotBooked: "Ikke booket",
  meetingOnDate: (date: string) => `Møde ${date}`,
  meetingSlot: (when: string, slot: number, capacity: number) => `${when} (plads ${slot} af ${capacity})`,
  ageGroup: (from: number, to: number | undefined) => (to === undefined ? `${from}+ år` : `${from}–${to} år`),
  ageRange: (from: number, to: number | undefined) => (to === undefined ? `${from} år og ældre` : `${from}–${to} år`),
  unknownPerson: "ukendt medarbejder",
  myCasesSummary: (count: number, limited: boolean) =>
    limited ? `Dine ${count} nyeste sager, nyeste først.` : `${count} ${count === 1 ? "sag" : "sager"}, nyeste først.`,
  acuteStatePrefix: "AKUT · ",
  cancelTitle: (forum: string) => `Aflys ${forum}s møde?`,
  moveChoice: (when: string, free: number) => `${when} — ${free > 0 ? `${free} ledige` : "fuldt"}`,
  movedLine: (reference: string, when: string) => `${reference} → ${when}`,
  unplacedLine: (reference: string) => `${reference}: ingen ledig plads på de kommende møder`,
  decidedBy: (name: string, when: string) => `${name}, ${when}`,
};

const BOSTOTTE_TEXT_KIND = { bevilling: "Bevilling", afslag: "Afslag", ophoer: "Ophør" } satisfies Record<BostotteKind, string>;
const BOSTOTTE_HOURS_PER = { week: "om ugen", month: "om måneden" } satisfies Record<HoursUnit, string>;

/** Bostøtte (SPEC §7): what the social caseworker's form and the employment caseworker's message say. */
export const BOSTOTTE_TEXT = {
  kindTitle: { bevilling: "Bostøtte bevilget", afslag: "Bostøtte afslået", ophoer: "Bostøtte ophører" } satisfies Record<
    BostotteKind,
    string
  >,
  kindLabel: BOSTOTTE_TEXT_KIND,
  formTitle: { bevilling: "Bostøtte: bevilling", afslag: "Bostøtte: afslag", ophoer: "Bostøtte: ophør" } satisfies Record<
    BostotteKind,
    string
  >,
  formIntro: {
    bevilling:
      "Bevillingsrammen: hjemmel, timer, periode (til-dato eller revurdering) og formål. Jobcenteret/ungeindsatsen får rammen at vide.",
    afslag: "Afslaget med årsag. Et afslag giver ofte en reaktion hos borgeren, som påvirker beskæftigelsessagen.",
    ophoer: "Hvornår bostøtten ophører, og hvorfor. Ophør giver ofte en reaktion hos borgeren, som påvirker beskæftigelsessagen.",
  } satisfies Record<BostotteKind, string>,
  legalBasis: {
    "sel-85": "Serviceloven § 85 — socialpædagogisk bistand (KLE 27.36.12)",
    "sel-85a": "Serviceloven § 85 a — bostøtte efter ophold på forsorgshjem (KLE 27.36.14)",
  } satisfies Record<LegalBasis, string>,
  hoursPer: BOSTOTTE_HOURS_PER,
  fieldError: {
    required: "Feltet skal udfyldes.",
    "too-long": `Skriv højst ${MAX_CHARS} tegn.`,
    "too-many-lines": `Skriv højst ${MAX_LINES} linjer.`,
    "cpr.format": "CPR-nummeret skal have 10 cifre: DDMMÅÅ-XXXX (bindestreg valgfri).",
    "cpr.date": "CPR-nummeret indeholder ikke en gyldig fødselsdato.",
    "cpr.too-young": "Borgeren er yngre end de borgere, kommunens sparringsfora arbejder med.",
    "cpr.future": "Fødselsdatoen i CPR-nummeret ligger i fremtiden.",
    "kind.unknown": "Vælg bevilling, afslag eller ophør.",
    "legal-basis.unknown": "Vælg § 85 eller § 85 a.",
    "hours.format": "Skriv timetallet som et tal, fx 5 eller 7,5.",
    "hours.not-positive": "Timetallet skal være mere end 0.",
    "hours.too-many": "Så mange timer kan ikke passe — højst 60 om ugen eller 260 om måneden.",
    "hours-per.unknown": "Vælg om timerne er pr. uge eller pr. måned.",
    "date.invalid": "Skriv en gyldig dato.",
    "date.before-from": "Datoen ligger før fra-datoen.",
    "period.end-required": "Udfyld en til-dato eller en revurderingsdato.",
    "reason.unknown": "Vælg en årsag fra listen.",
  } satisfies Record<BostotteFieldErrorCode, string>,
  formHasErrors: "Afgørelsen er ikke registreret. Ret felterne markeret med rødt — det, du har skrevet, er bevaret.",
  onlySocialCaseworkers: "Kun sagsbehandlere i myndighedsafdelingen registrerer afgørelser om bostøtte. Intet er registreret.",
  storageDown:
    "Sparring kunne ikke gemme afgørelsen lige nu, fordi lageret ikke svarer. Det, du har skrevet, er bevaret — tryk på knappen igen om lidt.",
  conflict: "Formularen er allerede brugt til en anden afgørelse. Skriv **bostøtte** for at få en ny formular. Intet er ændret.",
  expiredForm: "Formularen kunne ikke læses. Skriv **bostøtte** for at få en ny formular.",
  recordedTitle: (kind: BostotteKind) => `Registreret: ${BOSTOTTE_TEXT_KIND[kind].toLowerCase()} af bostøtte`,
  toldCaseworkers: (count: number) =>
    count === 1
      ? "Borgerens sagsbehandler i beskæftigelsen har fået besked."
      : `Borgerens ${count} sagsbehandlere i beskæftigelsen har fået besked.`,
  toldForum: (forum: string) =>
    `Ingen sagsbehandler i beskæftigelsen følger borgeren eller har en sag om borgeren, så ${forum}s kanal har fået besked — uden CPR-nummer og tekst.`,
  noticeIntro: {
    bevilling: "Myndighedsafdelingen har bevilget bostøtte til en borger, du følger eller har en sag om. Her er bevillingsrammen.",
    afslag:
      "Myndighedsafdelingen har givet afslag på bostøtte til en borger, du følger eller har en sag om. Afslag giver ofte en reaktion hos borgeren.",
    ophoer:
      "Myndighedsafdelingen stopper bostøtten til en borger, du følger eller har en sag om. Ophør giver ofte en reaktion hos borgeren.",
  } satisfies Record<BostotteKind, string>,
  detailsTitle: (kind: BostotteKind) => `Afgørelse om bostøtte: ${BOSTOTTE_TEXT_KIND[kind].toLowerCase()}`,
  detailsRefused:
    "Du har ikke adgang til afgørelsen. Kun borgerens sagsbehandlere, den der registrerede den, og — når forummet fik besked — forummets koordinatorer kan se den. Forsøget er logget.",
  unknownDecision: "Afgørelsen findes ikke (længere).",
  fact: {
    citizen: "Borger",
    ageGroup: "Aldersgruppe",
    kind: "Afgørelse",
    legalBasis: "Hjemmel",
    hours: "Timer",
    period: "Periode",
    review: "Revurderes",
    endDate: "Ophører fra",
    reason: "Årsag",
    decidedBy: "Afgjort af",
    recordedAt: "Registreret",
    purpose: "Formål",
    source: "Kilde",
  },
  periodText: (from: string, to: string | undefined) => (to ? `${from} – ${to}` : `fra ${from}`),
  hoursText: (hours: number, per: HoursUnit) => `${String(hours).replace(".", ",")} timer ${BOSTOTTE_HOURS_PER[per]}`,
  sourceText: { bot: "Registreret i Sparring", api: "Fra kommunens sagssystem" } as const,
  textLabel: { bevilling: "Formål", afslag: "Uddybning", ophoer: "Uddybning" } satisfies Record<BostotteKind, string>,
};

/** Following a citizen, and sagsbehandlerskift and målgruppeskift (SPEC §7; seed 001 "gensidig orientering"). */
export const FOLLOW_TEXT = {
  purpose: {
    "bostotte-orientering": "Orientering om bostøtte",
    beskaeftigelsessag: "Igangværende beskæftigelsessag",
    andet: "Andet",
  } satisfies Record<FollowPurpose, string>,
  unfollowReason: {
    "ikke-relevant": "Ikke længere relevant",
    "sagen-afsluttet": "Sagen er afsluttet",
    andet: "Andet",
  } satisfies Record<UnfollowReason, string>,
  fieldError: {
    required: "Feltet skal udfyldes.",
    "cpr.format": "CPR-nummeret skal have 10 cifre: DDMMÅÅ-XXXX (bindestreg valgfri).",
    "cpr.date": "CPR-nummeret indeholder ikke en gyldig fødselsdato.",
    "cpr.too-young": "Borgeren er yngre end de borgere, kommunens sparringsfora arbejder med.",
    "cpr.future": "Fødselsdatoen i CPR-nummeret ligger i fremtiden.",
    "purpose.unknown": "Vælg et formål fra listen.",
    "reason.unknown": "Vælg en årsag fra listen.",
  },
  formHasErrors: "Du følger ikke borgeren endnu. Ret det markerede — det, du har skrevet, er bevaret.",
  followed: (masked: string) =>
    `Du følger nu borgeren ${masked}. Du får besked her, når myndighedsafdelingen bevilger, afslår eller stopper bostøtte.`,
  alreadyFollowing: (masked: string) => `Du følger allerede borgeren ${masked}. Intet er ændret.`,
  tooManyFollowers: "Borgeren har allerede det største antal følgere, Sparring tillader. Intet er ændret.",
  onlyCaseworkers: "Kun sagsbehandlere i jobcenteret og ungeindsatsen kan følge borgere. Intet er ændret.",
  listSummary: (count: number) => `Du følger ${count} ${count === 1 ? "borger" : "borgere"}, nyeste først.`,
  listSummaryCut: (count: number, shown: number) =>
    `Du følger ${count === 100 ? "100 eller flere" : count} borgere; her er de ${shown} nyeste.`,
  notFollowing: "Du følger ikke den borger. Skriv **følger** for at se, hvem du følger.",
  unfollowQuestion: (masked: string) => `Stop med at følge ${masked}? Vælg hvorfor — det bliver logget.`,
  unfollowed: "Du følger ikke længere borgeren og får ikke flere beskeder om bostøtte.",
  followCommandHelp: "Skriv **følg** efterfulgt af borgerens CPR-nummer, fx følg 610190-4321.",
  followingHandedOver: (masked: string, from: string) =>
    `${from} har givet dig borgeren ${masked} videre: du følger nu borgeren og får besked om bostøtte. Skriv **følger** for at se dine borgere.`,
  targetGroupChange: (references: string, masked: string, age: number, date: string, forum: string) =>
    `Målgruppeskift: borgeren ${masked} (sag ${references}) fylder ${age} år ${date} og hører nu til ${forum}. Orientér hinanden om, hvad det betyder for indsatsen.`,
  handOverFollowingQuestion: (masked: string) =>
    `Hvem skal følge borgeren ${masked} i stedet for dig? Kollegaen får besked og får fremover besked om bostøtte; du gør ikke.`,
  followingHandedOver2: (masked: string, to: string) => `${to} følger nu borgeren ${masked} i stedet for dig og har fået besked.`,
  handOverFollowingAlready: "Kollegaen følger allerede borgeren. Intet er ændret.",
  handOverOnlyCaseworker: "Kun sagens sagsbehandler (eller en administrator) kan give sagen videre. Intet er ændret.",
  handOverClosed: "Sagen er afsluttet og kan ikke gives videre. Intet er ændret.",
  handOverChoose: "Vælg en kollega fra listen.",
  handOverNotCaseworker: "Den valgte er ikke sagsbehandler i jobcenteret eller ungeindsatsen. Vælg en anden.",
  handOverStale: "Sagen er ændret, siden du åbnede den. Her er den, som den er nu — vælg igen.",
  handedOver: (reference: string, to: string) =>
    `Sag ${reference} er givet videre til ${to}. ${to}, myndighedsafdelingen og forummets kanal får besked.`,
  alreadyHandedOver: (reference: string, to: string) => `Sag ${reference} er allerede givet videre til ${to}. Intet er ændret.`,
  caseworkerChange: {
    "new-caseworker": (reference: string) =>
      `Du har overtaget sag ${reference}. Den står nu i **mine sager**, og du får besked om forummets beslutninger og om bostøtte.`,
    "previous-caseworker": (reference: string, next: string) =>
      `Sag ${reference} er givet videre til ${next}. Du får ikke længere besked om den.`,
    "social-caseworker": (reference: string, next: string) => `Sag ${reference} har fået en ny sagsbehandler i beskæftigelsen: ${next}.`,
  },
};

const MOVE_REASONS = {
  "meeting-cancelled": "fordi mødet er aflyst",
  "rolled-over": "fordi den ikke nåede at blive behandlet på mødet",
  postponed: "fordi forummet har udsat den",
  "information-added": "efter dine nye oplysninger",
  moved: "af en koordinator",
} satisfies Record<MoveReason, string>;

export type DecisionAudience = "raiser" | "social-caseworker";

/** Which plan notice an owner gets (SPEC §7): the `event` of a `plan` notification. */
export type PlanNoticeEvent =
  "opened" | "changed" | "approved" | "agreed" | "active" | "ended" | "follow-up-due" | "forum-follow-up-booked";

const PLAN_FOLLOW_UP = {
  employment: "Beskæftigelsesrettet indsats",
  social: "Social indsats",
  forum: "Sparringsforum",
} satisfies Record<FollowUpKind, string>;

/**
 * The joint plan (fælles plan, SPEC §5; seed 001 "Borgers plan"; seed 002): what its two
 * caseworkers read on the plan's cards and in their chat.
 */
export const PLAN_TEXT = {
  state: { draft: "Kladde", agreed: "Enige", active: "Aktiv", ended: "Afsluttet" } satisfies Record<PlanState, string>,
  stateHint: {
    draft: "I skriver planen sammen. Når I begge har godkendt den samme version, er I enige.",
    agreed: "I er enige. Præsentér planen for borgeren ved fællessamtalen, og registrér borgerens samtykke eller afslag.",
    active: "Borgeren har givet samtykke: planen er aktiv.",
    ended: "Planen er afsluttet og kan ikke ændres.",
  } satisfies Record<PlanState, string>,
  side: { employment: "beskæftigelse", social: "socialområdet" } satisfies Record<OwnerSide, string>,
  followUp: PLAN_FOLLOW_UP,
  sharedInformation: {
    health: "Helbredsforhold",
    social: "Sociale forhold",
    employment: "Beskæftigelse",
    education: "Uddannelse",
    housing: "Bolig",
    finances: "Økonomi",
    "substance-use": "Misbrug",
    family: "Familieforhold",
  } satisfies Record<SharedInformation, string>,
  endReason: {
    refused: "borgeren takkede nej til planen",
    "consent-withdrawn": "borgeren trak sit samtykke tilbage",
    completed: "indsatserne er gennemført",
    cancelled: "planen er opgivet",
  } satisfies Record<PlanEndReason, string>,
  effortField: {
    id: "nummer",
    title: "titel",
    purpose: "formål",
    department: "afdeling",
    person: "person",
    from: "start",
    to: "slut",
    after: "rækkefølge",
  } satisfies Record<EffortField, string>,
  changePart: {
    framework: "Rammen for samarbejdet er ændret",
    "employment-follow-up": "Opfølgningen på den beskæftigelsesrettede indsats er flyttet",
    "social-follow-up": "Opfølgningen på den sociale indsats er flyttet",
    "fixed-caseworker": "Den faste sagsbehandler er skiftet",
    budget: "Budget-/handlerammen er ændret",
    "forum-follow-up": "Opfølgningen i sparringsforum er ændret",
  } satisfies Record<Exclude<PlanChange["part"], "effort">, string>,
  effortChange: {
    added: (title: string) => `Ny indsats: ${title}`,
    removed: (title: string) => `Indsats fjernet: ${title}`,
    changed: (title: string, fields: string) => `${title}: ${fields} ændret`,
  },
  fieldError: {
    required: "Feltet skal udfyldes.",
    "too-long": "Teksten er for lang — forkort den.",
    "too-many-lines": `Skriv højst ${MAX_LINES} linjer (titel, afdeling og person på én linje).`,
    "date.invalid": "Skriv en gyldig dato.",
    "date.past": "Datoen er passeret. Vælg i dag eller en senere dato.",
    "period.ends-before-start": "Slutdatoen ligger før startdatoen.",
    "after.unknown":
      "Der er ingen indsats med det nummer. Skriv nummeret på den indsats, der skal starte først, eller lad feltet stå tomt (parallelt).",
    "after.cycle": "Rækkefølgen går i ring: en indsats kan ikke komme efter sig selv, heller ikke via andre.",
    "after.starts-too-early": "Indsatsen skal starte senere end den indsats, den kommer efter.",
    "effort.id-invalid": "Indsatsen kunne ikke læses. Fjern den og tilføj den igen.",
    "effort.id-duplicate": "Indsatsen står to gange. Fjern den ene.",
    "efforts.required": "Tilføj mindst én indsats.",
    "efforts.too-many": `Planen kan højst have ${MAX_EFFORTS} indsatser.`,
    "person.unknown": "Personen findes ikke i kommunens katalog. Skriv navnet.",
    "fixed-caseworker.not-owner": "Den faste sagsbehandler skal være en af jer to.",
    "budget.format": "Skriv beløbet i hele kroner, fx 50.000.",
    "budget.negative": "Beløbet kan ikke være negativt.",
    "budget.not-positive": "Beløbet skal være over 0 kr. Lad feltet stå tomt, hvis der ikke er en ramme.",
    "budget.too-large": `Beløbet er over ${String(MAX_BUDGET_KR).replace(/\B(?=(\d{3})+(?!\d))/g, ".")} kr. Er der en tastefejl?`,
  } satisfies Record<PlanFieldErrorCode, string>,
  meetingsError: {
    required: "Udfyld mindst én af datoerne.",
    "date.invalid": "Skriv en gyldig dato.",
    "meetings.order": "Fællessamtalen kan ikke ligge før koordineringsmødet: I aftaler planen, før borgeren inddrages.",
  } satisfies Record<MeetingsFieldError, string>,
  consentError: {
    required: "Feltet skal udfyldes.",
    "date.invalid": "Skriv en gyldig dato.",
    "date.future": "Datoen ligger i fremtiden. Registrér samtykket, når borgeren har givet det.",
    "consent.no-joint-conversation": "Registrér først fællessamtalen (Registrér møder): borgeren giver samtykke ved eller efter den.",
    "consent.before-joint-conversation": "Samtykket kan ikke være givet før fællessamtalen.",
    "consent.efforts-required": "Vælg de indsatser, borgeren giver samtykke til.",
    "consent.effort-unknown": "En af de valgte indsatser findes ikke længere i planen. Vælg igen.",
    "consent.information-unknown": "Vælg oplysningerne fra listen.",
    "too-long": `Skriv højst ${MAX_NOTE_CHARS} tegn.`,
    "too-many-lines": `Skriv højst ${MAX_LINES} linjer.`,
  } satisfies Record<ConsentFieldError, string>,
  datedNoteError: {
    required: "Feltet skal udfyldes.",
    "date.invalid": "Skriv en gyldig dato.",
    "date.future": "Datoen ligger i fremtiden.",
    "withdrawal.before-consent": "Samtykket kan ikke være trukket tilbage, før det blev givet.",
    "too-long": `Skriv højst ${MAX_NOTE_CHARS} tegn.`,
    "too-many-lines": `Skriv højst ${MAX_LINES} linjer.`,
  } satisfies Record<DatedNoteFieldError, string>,
  followUpError: {
    required: "Feltet skal udfyldes.",
    "date.invalid": "Skriv en gyldig dato.",
    "date.future": "Datoen ligger i fremtiden. Registrér opfølgningen, når den er holdt.",
    "too-long": `Skriv højst ${MAX_NOTE_CHARS} tegn.`,
    "too-many-lines": `Skriv højst ${MAX_LINES} linjer.`,
  } satisfies Record<FollowUpFieldError, string>,
  followUpChooseKind: "Vælg hvilken opfølgning der er holdt.",

  title: (reference: string) => `Fælles plan · ${reference}`,
  stateLine: (state: string, version: number) => (version === 0 ? `${state} · ikke udfyldt endnu` : `${state} · version ${version}`),
  owner: (name: string, side: string) => `${name} (${side})`,
  empty: "Planen er ikke udfyldt endnu. Tryk **Redigér** for at skrive indsatserne, rammen og opfølgningen.",
  parallel: "Parallelt med de andre",
  after: (number: number, title: string) => `Efter indsats ${number}: ${title}`,
  afterUnknown: "Efter en indsats, der ikke længere er i planen",
  who: (department: string, person: string) => `${department} · ${person}`,
  period: (from: string, to: string) => `${from} – ${to}`,
  noBudget: "Ingen",
  notRegistered: "Ikke registreret",
  approvedBy: (name: string, side: string, when: string) => `${name} (${side}): godkendt ${when}`,
  notApprovedBy: (name: string, side: string) => `${name} (${side}): ikke godkendt endnu`,
  approvalsTitle: (version: number) => `Godkendelser af version ${version}`,
  changesTitle: (version: number, by: string) => `Ændret i version ${version}${by ? ` af ${by}` : ""}`,
  followUpLine: (kind: FollowUpKind, date: string) => `${PLAN_FOLLOW_UP[kind]}: ${date}`,
  followUpHeld: (heldOn: string, note: string) => ` — holdt ${heldOn}: ${note}`,
  followUpOverdue: " — OVERSKREDET, ikke registreret som holdt",
  followUpDueNow: " — nu",
  consentGiven: (on: string, version: number) => `Givet ${on} (til version ${version})`,
  consentWithdrawn: (on: string) => `Trukket tilbage ${on}`,
  refused: (on: string) => `Borgeren takkede nej ${on}`,
  consentEfforts: (titles: string) => `Omfatter: ${titles}`,
  consentShared: (items: string) => `Må deles mellem afdelingerne: ${items || "ingen oplysninger"}`,
  consentNotCovering: "Samtykket dækker ikke alle planens indsatser: borgeren skal give samtykke til den nye version.",
  ended: (when: string, reason: string) => `Afsluttet ${when}: ${reason}`,
  approveButton: (version: number) => `Godkend version ${version}`,

  formTitle: (reference: string) => `Redigér fælles plan · ${reference}`,
  formIntro: (version: number) =>
    version === 0
      ? "Skriv planen. Når du gemmer, får din kollega besked, og I skal begge godkende den."
      : `Du retter version ${version}. Når du gemmer, bliver det version ${version + 1}: din kollega får besked om ændringerne, og I skal begge godkende igen.`,
  formHasErrors: "Planen er ikke gemt. Ret felterne markeret med rødt — det, du har skrevet, er bevaret.",
  conflict: (by: string, version: number) =>
    `${by} gemte version ${version} af planen, mens du skrev. Det, du har skrevet, er bevaret herunder. Det ændrede ${by}:`,
  conflictNext: (version: number) =>
    `Tryk Gem for at gemme dit udkast som en ny version oven på version ${version} (det erstatter ændringerne ovenfor), eller Vis planen for at se version ${version}.`,

  consentTitle: (reference: string) => `Borgerens samtykke · ${reference}`,
  consentIntro: (version: number) =>
    `Planen (version ${version}) er et tilbud til borgeren (lov om en aktiv beskæftigelsesindsats § 40, stk. 3). Registrér borgerens samtykke efter fællessamtalen — eller afslaget; ved afslag bruges kun datoen og noten.`,
  meetingsTitle: (reference: string) => `Møder om planen · ${reference}`,
  followUpTitle: (reference: string) => `Opfølgning på planen · ${reference}`,
  followUpChoice: (kind: FollowUpKind, date: string) => `${PLAN_FOLLOW_UP[kind]} (${date})`,
  withdrawTitle: (reference: string) => `Træk samtykket tilbage · ${reference}`,
  formNotSaved: "Intet er registreret. Ret det markerede — det, du har skrevet, er bevaret.",

  opened: (other: string) => `Planen er oprettet. ${other} har fået besked, og I skriver den sammen.`,
  saved: (version: number, other: string, cleared: boolean) =>
    `Version ${version} er gemt, og ${other} har fået besked om ændringerne.${cleared ? " Godkendelserne af den tidligere version gælder ikke længere:" : ""} I skal begge godkende version ${version}.`,
  unchanged: "Du har ikke ændret noget, så planen er ikke gemt igen.",
  approved: (version: number, other: string) => `Du har godkendt version ${version}. ${other} har fået besked.`,
  agreed: (version: number) =>
    `I er enige: version ${version} er godkendt af jer begge. Næste skridt: fællessamtalen med borgeren, hvor borgeren kan give samtykke.`,
  resumed: (version: number) => `I er enige om version ${version}, og borgerens samtykke dækker alle indsatserne, så planen er aktiv igen.`,
  alreadyApproved: (version: number) => `Du har allerede godkendt version ${version}. Intet er ændret.`,
  approveStale: (version: number) =>
    `Planen er ændret, siden kortet blev vist: den er nu version ${version}. Læs den, og godkend igen. Intet er godkendt.`,
  incomplete: "Planen er ikke udfyldt endnu, så der er intet at godkende. Tryk Redigér.",
  notNow: "Det kan ikke lade sig gøre i planens nuværende tilstand. Intet er ændret.",
  endedNoChange: "Planen er afsluttet og kan ikke ændres længere. Intet er ændret.",
  meetingsRegistered: "Møderne er registreret.",
  consentRecorded: "Borgerens samtykke er registreret. Planen er aktiv, og I har begge fået besked.",
  refusalRecorded: "Borgerens afslag er registreret. Planen er afsluttet, og I har begge fået besked.",
  consentStale: (version: number) =>
    `Planen er ændret, siden kortet blev vist (nu version ${version}). I skal begge godkende den nye version, før borgeren kan give samtykke. Intet er registreret.`,
  consentNotNow: "Samtykke og afslag registreres, når I begge har godkendt planen. Intet er registreret.",
  consentWithdrawnDone: "Samtykket er trukket tilbage, og planen er afsluttet. I har begge fået besked.",
  noConsent: "Der er intet samtykke at trække tilbage. Intet er ændret.",
  followUpRecorded: (kind: FollowUpKind, date: string) => `Opfølgningen er registreret: ${PLAN_FOLLOW_UP[kind].toLowerCase()} ${date}.`,
  noFollowUp: "Planen har ingen opfølgning af den slags. Intet er registreret.",
  followUpAlreadyRecorded: "Den opfølgning er allerede registreret. Intet er ændret.",
  nothingToFollowUp: "Alle planens opfølgninger er registreret. Flyt næste opfølgning med Redigér.",
  exported: "Planen er sendt som tekst i chatten herunder: kopiér den til sagssystemet. Eksporten er logget.",

  notOwner:
    "Kun borgerens to sagsbehandlere — den, der rejste sagen, og sagsbehandleren i myndighedsafdelingen — kan se og ændre den fælles plan. Intet er ændret, og forsøget er logget.",
  onlyOwnersChange: "Du ser planen som koordinator for forummet. Kun borgerens to sagsbehandlere kan ændre den. Intet er ændret.",
  notVisitated: "Den fælles plan åbnes, når forummet har visiteret sagen til myndighedsafdelingen (Start sag i myndighedsafdelingen).",
  noPlan: "Sagen har ingen fælles plan. Intet er ændret.",
  expired: "Kortet kunne ikke læses. Skriv **planer** for at åbne planen igen.",

  listTitle: "Mine fælles planer",
  listSummary: (count: number, limited: boolean) =>
    limited ? `Dine ${count} nyeste planer, nyeste sag først.` : `${count} ${count === 1 ? "plan" : "planer"}, nyeste sag først.`,
  listEmpty: "Du er ikke med i nogen fælles plan endnu. En plan åbnes fra beslutningen, når en sag er visiteret til myndighedsafdelingen.",
  listWith: (other: string) => `Sammen med ${other}`,
  listApprovals: (count: number) => (count === 2 ? "godkendt af jer begge" : count === 1 ? "godkendt af den ene" : "ikke godkendt"),
  listNextFollowUp: (kind: FollowUpKind, date: string) => `Næste opfølgning: ${PLAN_FOLLOW_UP[kind].toLowerCase()} ${date}`,

  noticeTitle: {
    opened: "Fælles plan åbnet",
    changed: "Den fælles plan er ændret",
    approved: "Din kollega har godkendt planen",
    agreed: "I er enige om den fælles plan",
    active: "Den fælles plan er aktiv",
    ended: "Den fælles plan er afsluttet",
    "follow-up-due": "Opfølgning på den fælles plan",
    "forum-follow-up-booked": "Opfølgning i sparringsforum",
  } satisfies Record<PlanNoticeEvent, string>,
  noticeOpened: (by: string, reference: string) =>
    `${by} har åbnet den fælles plan for sag ${reference}. I skriver planen sammen og skal begge godkende den.`,
  noticeChanged: (by: string, reference: string, version: number) =>
    `${by} har ændret den fælles plan for sag ${reference} (version ${version}). Læs ændringerne, og godkend version ${version}, hvis du er enig.`,
  noticeChangedAgain: (reference: string, version: number) =>
    `Den fælles plan for sag ${reference} er ændret igen siden; den er nu version ${version}. Åbn den for at se den.`,
  noticeApproved: (by: string, reference: string, version: number) =>
    `${by} har godkendt version ${version} af den fælles plan for sag ${reference}. Godkend den også, hvis du er enig.`,
  noticeAgreed: (reference: string, version: number) =>
    `I har begge godkendt version ${version} af planen for sag ${reference}. Næste skridt: fællessamtalen med borgeren og borgerens samtykke.`,
  noticeActive: (reference: string) =>
    `Borgeren har givet samtykke, og den fælles plan for sag ${reference} er aktiv. I får besked på hver opfølgningsdato.`,
  noticeEnded: (reference: string, reason: string) => `Den fælles plan for sag ${reference} er afsluttet: ${reason}.`,
  noticeFollowUpDue: (reference: string, kind: FollowUpKind, date: string) =>
    `Det er tid til opfølgning på den fælles plan for sag ${reference}: ${PLAN_FOLLOW_UP[kind].toLowerCase()}, ${date}. Planens indsatser:`,
  noticeForumBooked: (reference: string, date: string, meeting: string) =>
    `Opfølgningen i sparringsforum (${date}) for sag ${reference} er sat på mødet ${meeting}.`,
  noticeEffort: (number: number, title: string, who: string, period: string) => `${number}. ${title} — ${who}, ${period}`,
};

/** `hjælp`: the commands of each role beyond raising cases (the manager's are in OVERVIEW_TEXT). */
export const HELP_TEXT = {
  caseworkerHeading: "Borgere uden tværgående sag",
  caseworkerCommands: [
    { title: "følg CPR-nummer", value: "få besked om bostøtte til en borger, du har en beskæftigelsessag om" },
    { title: "følger", value: "se de borgere, du følger" },
    { title: "stop følg CPR-nummer", value: "stop med at følge en borger" },
  ],
  socialHeading: "Som sagsbehandler i myndighedsafdelingen",
  socialCommands: [{ title: "bostøtte", value: "registrér en bevilling, et afslag eller et ophør af bostøtte" }],
  administratorHeading: "Som administrator",
  bindCommand: (forumIds: string[]) => ({
    title: `tilknyt forum ${forumIds[0] ?? ""}`.trim(),
    value: `i en kanal: gør kanalen til forummets (forummernes id: ${forumIds.join(", ")})`,
  }),
  administratorCommands: [
    { title: "roller", value: "se hvem der har hvilken rolle, og gennem hvilke grupper" },
    { title: "status", value: "beskeder, Teams ikke kunne levere" },
    { title: "indsigt CPR-nummer", value: "i en personlig chat: besvar en borgers anmodning om indsigt" },
  ],
};

/** The managers' overview (SPEC §8): `overblik`, its subscription and the card's labels. Counts only. */
export const OVERVIEW_TEXT = {
  notManager: "Overblikket er for ledere i Sparring. Spørg din administrator, hvis du skal have adgang. Intet er ændret.",
  helpHeading: "Som leder",
  helpCommands: [
    { title: "overblik", value: "tal for de seneste 7 dage: sager, afgørelser, møder, bostøtte og fælles planer — kun antal" },
    { title: "overblik 30", value: "det samme for et andet antal dage (1–365)" },
    { title: "abonnér på overblik", value: "få overblikket fast hver uge" },
    { title: "afmeld overblik", value: "stop det faste overblik" },
  ],
  notANumber: (typed: string) =>
    `"${typed}" er ikke et antal dage. Skriv fx \`overblik\` (de seneste 7 dage) eller \`overblik 30\` (1–365 dage).`,
  outOfRange: (typed: string) => `Overblikket kan vise fra 1 til 365 dage, ikke ${typed}. Skriv fx \`overblik 30\`.`,
  subscribed: (when: string) =>
    `Du abonnerer nu på overblikket. Det kommer ${when} i din chat med Sparring. Skriv \`afmeld overblik\` for at stoppe.`,
  alreadySubscribed: (when: string) => `Du abonnerer allerede på overblikket; det kommer ${when}.`,
  unsubscribed: "Du abonnerer ikke længere på overblikket. Skriv `abonnér på overblik` for at få det igen.",
  notSubscribed: "Du abonnerede ikke på overblikket, så intet er ændret.",
  scheduleText: (weekday: string, time: string) => `hver ${weekday} kl. ${time.replace(":", ".")}`,
  weekdays: ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"] as const,
  title: (days: number) => (days === 1 ? "Overblik: det seneste døgn" : `Overblik: de seneste ${days} dage`),
  periodText: (from: string, until: string) => `Perioden ${from} – ${until}. Kun antal, ingen personoplysninger.`,
  late: (scheduled: string) => `Dette overblik skulle være kommet ${scheduled}; Sparring var nede, så det kommer for sent.`,
  scheduled: "Dit faste overblik.",
  guard: (threshold: number) =>
    `Tal fra 1 til ${threshold - 1} vises som "<${threshold}", og et tal mere skjules ("≥${threshold}"), hvor det ellers kunne regnes ud.`,
  forumsHeading: "Sager pr. forum",
  forumLine: (f: {
    raised: string;
    acute: string;
    start: string;
    noBasis: string;
    moreInfo: string;
    postpone: string;
    pending: string;
    moved: string;
  }) =>
    `Oprettet ${f.raised} (akut ${f.acute}) · start ${f.start} · ikke grundlag ${f.noBasis} · mere info ${f.moreInfo} · udsæt ${f.postpone} · venter ${f.pending} · flyttet ${f.moved}`,
  total: "I alt",
  durationsHeading: "Tid fra oprettet til afgjort",
  median: "Median",
  slowest: "Langsomste fjerdedel",
  previous: "Forrige periode",
  days: (n: number) => `${n.toLocaleString("da-DK")} dage`,
  slowerThan: (n: number) => `over ${n.toLocaleString("da-DK")} dage`,
  tooFew: (threshold: number) => `for få afgørelser (under ${threshold})`,
  durationsCompared: (now: string, before: string) => `${now} (forrige periode: ${before})`,
  weeksChart: "Afgørelser pr. uge",
  monthsChart: "Afgørelser pr. måned",
  week: (w: string) => `uge ${Number(w.slice(6))}`,
  month: (m: string) =>
    `${["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"][Number(m.slice(5)) - 1]} ${m.slice(2, 4)}`,
  decisions: { start: "Start sag", "no-basis": "Ikke grundlag", "more-information": "Mere information", postpone: "Udsæt" },
  agendaChart: "Belastning af de kommende møder",
  booked: "Booket",
  free: "Ledige",
  meetingLabel: (forum: string, date: string) => `${forum} ${date}`,
  meetingLoad: (booked: number, capacity: number, cancelled: boolean) =>
    cancelled ? "aflyst" : `${booked} af ${capacity} pladser${booked >= capacity ? " — fuldt" : ""}`,
  noMeetings: "Ingen kommende møder i kalenderen.",
  bostotteHeading: "Bostøtte",
  bostotte: {
    bevilling: "Bevillinger",
    afslag: "Afslag",
    ophoer: "Ophør",
    caseworker: "Nåede en sagsbehandler",
    forum: "Gik til forumkanalen",
  },
  plansHeading: "Fælles planer",
  planLine: (p: { agreed: string; active: string; ended: string; onTime: string; late: string; overdue: string }) =>
    `Enige ${p.agreed} · blev aktive ${p.active} · afsluttet ${p.ended} · opfølgninger til tiden ${p.onTime}, for sent ${p.late}, overskredet ${p.overdue}`,
  plansNote: (graceWorkingDays: number) =>
    `Enige: begge sagsbehandlere godkendte planen første gang. Blev aktive: borgeren gav samtykke. En opfølgning er til tiden, når den holdes senest ${graceWorkingDays} arbejdsdage efter sin dato; overskredet, når den ikke er holdt til den frist.`,
  parked: (count: number) =>
    count === 0 ? "Alle beskeder fra Sparring er leveret." : `${count} besked(er) kunne ikke leveres og er parkeret (se \`status\`).`,
  populationHeading: "Borgere i perioden (som Tabel 1)",
  populationColumns: { group: "Alder", joint: "Fælles sag", employment: "Beskæftigelse", open: "Stadig åben", total: "I alt" },
  ageGroups: { "15-17": "15–17 år", "18-29": "18–29 år", "30+": "30 år og ældre" },
  populationNote:
    "Fælles sag: startet i myndighedsafdelingen. Beskæftigelse: ikke grundlag for tværgående sag. Stadig åben: oprettet i perioden og ikke afgjort.",
};

/** Roles from Entra ID (SPEC §1): the refusal when roles cannot be checked, and `roller` (administrators). */
export const ROLES_TEXT = {
  unavailable: "Vi kan ikke tjekke din rolle lige nu — prøv igen om lidt.",
  onlyAdministrators:
    "Kun en Sparring-administrator kan se, hvem der har hvilke roller. Spørg jeres Sparring-administrator eller it-afdeling, hvis du mangler en rolle.",
  heading: (municipality: string) => `**Roller i Sparring — ${municipality}**`,
  role: {
    caseworkers: "Sagsbehandlere (kan oprette sager)",
    coordinators: (forum: string) => `Koordinatorer — ${forum}`,
    socialCaseworkers: "Sagsbehandlere i myndighedsafdelingen (sager visiteres til dem)",
    managers: "Ledere",
    administrators: "Administratorer",
  },
  nobody: "Ingen.",
  direct: "direkte",
  via: (groups: string) => `via ${groups}`,
  groups: (list: string) => `Grupper: ${list}.`,
  group: (name: string, members: number) => `${name} (${members} ${members === 1 ? "person" : "personer"})`,
  unnamed: "(uden navn)",
  unknown: (entries: string) => `Ikke fundet i Entra ID: ${entries}. Ret listen i konfigurationen.`,
  more: (count: number) => `… og ${count} flere.`,
};

/** Privacy (SPEC §9): what is left of a case after retention, and `indsigt` (a citizen's access request, administrators). */
export const PRIVACY_TEXT = {
  personalDataDeleted: (months: number) =>
    `Personoplysninger slettet efter ${months} ${months === 1 ? "måned" : "måneder"}. Sagen findes i kommunens sagssystem.`,
  accessOnlyAdministrators: "Kun en Sparring-administrator kan besvare en anmodning om indsigt. Intet er slået op, og forsøget er logget.",
  accessPersonalChatOnly:
    "Skriv **indsigt** efterfulgt af CPR-nummeret i en personlig chat med Sparring, så CPR-nummeret ikke står i kanalen. Intet er slået op.",
  accessInvalidCpr: (error: string) => `Indsigt: ${error} Skriv fx **indsigt 610190-4321**.`,
  accessHeading: (maskedCpr: string) => `**Indsigt (databeskyttelsesforordningen art. 15) — borger ${maskedCpr}**`,
  accessSummary: (count: number, auditMonths: number, references: string) =>
    `Sparring har logget ${count} ${count === 1 ? "adgang" : "adgange"} til de oplysninger om borgeren, Sparring stadig har` +
    `${references ? ` (sager: ${references})` : " (ingen sager)"}. Logningen gemmes i ${auditMonths} måneder; ældre adgange er slettet.`,
  accessContinued: (part: number, parts: number) => `**Indsigt, fortsat (${part} af ${parts})**`,
  accessLine: (when: string, who: string, what: string, where: string, why: string) =>
    `- ${when} · ${who} · ${what} (${where}) · formål: ${why}`,
  accessAtCitizen: "borgeren",
  accessRetentionActor: "Sparring (automatisk sletning)",
  accessSystemActor: "Sparring",
  /** What each audit action means, as the citizen reads it; an action not listed is shown as written. */
  accessAction: {
    "view-details": "så sagens detaljer",
    "view-refused": "forsøgte at se sagens detaljer (afvist)",
    raise: "oprettede sagen",
    move: "flyttede sagen",
    "cancel-meeting": "aflyste mødet",
    refused: "forsøgte en handling (afvist)",
    decide: "registrerede forummets beslutning",
    "decide-refused": "forsøgte at registrere en beslutning (afvist)",
    "add-information": "tilføjede oplysninger",
    withdraw: "trak sagen tilbage",
    "withdraw-refused": "forsøgte at trække sagen tilbage (afvist)",
    "plan-open": "åbnede den fælles plan",
    "plan-view": "så den fælles plan",
    "plan-refused": "forsøgte at åbne eller ændre den fælles plan (afvist)",
    "plan-edit": "ændrede den fælles plan",
    "plan-approve": "godkendte den fælles plan",
    "plan-meetings": "registrerede møder i den fælles plan",
    "plan-consent": "registrerede borgerens samtykke",
    "plan-refusal": "registrerede borgerens afslag",
    "plan-withdraw": "registrerede, at borgeren trak samtykket tilbage",
    "plan-follow-up": "registrerede en opfølgning",
    "plan-end": "afsluttede den fælles plan",
    "plan-export": "eksporterede den fælles plan",
    "plan-forum-follow-up": "bookede planens opfølgning i sparringsforum",
    follow: "begyndte at følge borgeren",
    "follow-refused": "forsøgte at følge borgeren (afvist)",
    unfollow: "stoppede med at følge borgeren",
    "follow-hand-over": "gav det at følge borgeren videre",
    "bostotte-record": "registrerede en bostøtteafgørelse",
    "bostotte-view": "så en bostøtteafgørelse",
    "bostotte-view-refused": "forsøgte at se en bostøtteafgørelse (afvist)",
    "hand-over": "gav sagen videre til en anden sagsbehandler",
    "hand-over-refused": "forsøgte at give sagen videre (afvist)",
    anonymise: "slettede personoplysninger, fordi opbevaringsperioden var udløbet",
    "retention-erase": "slettede personoplysninger om borgeren, fordi opbevaringsperioden var udløbet",
    "access-request": "bad om indsigt for borgeren",
    "access-request-refused": "bad om indsigt for borgeren (afvist)",
  } as Partial<Record<string, string>>,
  /** The fixed purposes the product writes in audit rows, as the citizen reads them; any other is shown as stored. */
  accessPurpose: {
    sparring: "sparring om borgerens sag",
    raise: "sagen blev rejst til sparringsforum",
    "access request (GDPR art. 15)": "anmodning om indsigt (databeskyttelsesforordningen art. 15)",
    "access request: not an administrator": "ikke administrator",
    "not the case's caseworker": "ikke sagens sagsbehandler",
    "not an employment caseworker": "ikke beskæftigelsesrettet sagsbehandler",
    "withdrawn by the raising caseworker": "trukket tilbage af sagsbehandleren",
    "more information for the forum": "flere oplysninger til forummet",
  } as Partial<Record<string, string>>,
};
