import type { CaseState, DecisionKind } from "../domain/case-lifecycle.js";
import { MAX_CHARS, MAX_LINES, type FieldErrorCode } from "../domain/case.js";
import type { DecisionFieldError } from "../domain/decide-case.js";
import type { MoveReason } from "../domain/move-case.js";

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
  nextStepRaised: "Du får besked her i chatten, hvis sagen flyttes, og når forummet har truffet en beslutning.",
  booked: (_forum: string, deadline: string) => `Dagsordenen sendes ud i forummets kanal ${deadline}.`,
  acuteRaised: (forum: string) => `Sagen er akut og er sendt til ${forum} med det samme; koordinatorerne får besked.`,
  meetingsFull: (dates: string[]) =>
    `Mødet ${dates.join(", ")} var fuldt, så sagen er sat på det næste møde med en ledig plads.`,
  noFreeMeeting:
    "Sagen er ikke sendt: alle forummets kommende møder er fulde. Det, du har skrevet, er bevaret. Kontakt koordinatorerne, eller send sagen som akut, hvis den ikke kan vente.",
  unknownCase: "Sagen findes ikke (længere). Intet er ændret.",
  detailsRefused:
    "Du har ikke adgang til sagens detaljer. Kun forummets koordinatorer og sagens sagsbehandler kan se dem. Forsøget er logget.",
  agendaNoForum: "Denne kanal er ikke tilknyttet et forum. En administrator kan skrive @Sparring tilknyt forum unge (eller voksne).",
  agendaNoMeeting: (forum: string) => `${forum} har ingen kommende møder i kalenderen.`,
  nextStepNoChannel: (forum: string) =>
    `${forum} har endnu ingen kanal i Teams, så koordinatorerne kan ikke se sagen dér endnu. Bed jeres Sparring-administrator skrive "@Sparring tilknyt forum" i forummets kanal. Sagen er gemt — der går intet tabt.`,
  bindOnlyInChannel: "Et forum tilknyttes i den kanal, hvor forummets sager skal vises: skriv @Sparring tilknyt forum unge (eller voksne) dér.",
  bindNotAdministrator: "Kun en Sparring-administrator kan tilknytte en kanal til et forum. Intet er ændret.",
  bindUnknownForum: (typed: string, choices: string) =>
    typed ? `Jeg kender ikke forummet "${typed}". Skriv tilknyt forum ${choices}.` : `Skriv hvilket forum kanalen er til: tilknyt forum ${choices}.`,
  bound: (forum: string, replaced: boolean) =>
    `Kanalen er nu tilknyttet ${forum}.${replaced ? " Den erstatter forummets tidligere kanal." : ""} Forummets sager og dagsordener vises her.`,
  acuteAlert: (reference: string, forum: string) =>
    `AKUT: sag ${reference} er sendt til ${forum} og skal vurderes hurtigst muligt.`,
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
  caseMoved: (reference: string, meeting: string, reason: MoveReason) => `Din sag ${reference} er flyttet ${MOVE_REASONS[reason]}. Nyt møde: ${meeting}.`,
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
  decisionTitle: { raiser: "Forummet har truffet en beslutning", "social-caseworker": "En sag er visiteret til dig" } satisfies Record<DecisionAudience, string>,
  /** The label above the decision's note, for the raising caseworker. */
  decisionNoteLabel: { start: "", "no-basis": "Begrundelse", "more-information": "Forummet mangler", postpone: "" } satisfies Record<DecisionKind, string>,
  visitatedTo: (label: string, social: string) => `${label} — visiteret til ${social}`,
  nextStepAfter: {
    start: (social: string) => `Sagen er visiteret til ${social} i myndighedsafdelingen. I aftaler den fælles plan, før borgeren inddrages.`,
    "no-basis": () => "Sagen er afsluttet i sparringsforum.",
    "more-information": () => "Tilføj oplysningerne herunder; så kommer sagen på dagsordenen til næste møde med ledig plads.",
    postpone: () => "",
  } satisfies Record<DecisionKind, (social: string) => string>,
  nextStepSocial: (raiser: string) => `Sagen er rejst af ${raiser}. I aftaler den fælles plan sammen, før borgeren inddrages. Se borgerens oplysninger med Vis detaljer.`,
  informationAdded: (reference: string, meeting: string) => `Tak. Oplysningerne er tilføjet sag ${reference}, og sagen er sat på mødet ${meeting}.`,
  informationNotAwaited: "Forummet venter ikke på oplysninger i denne sag (længere). Intet er ændret.",
  onlyRaiserAddsInformation: "Kun sagsbehandleren, der rejste sagen, kan tilføje oplysninger.",

  withdrawQuestion: (reference: string) =>
    `Træk sag ${reference} tilbage fra sparringsforum? Pladsen på mødet gives fri, og koordinatorerne skal ikke længere tage stilling til sagen. Kortet i forummets kanal kommer til at stå som "Trukket tilbage" — uden begrundelse.`,
  withdrawn: (reference: string) => `Sag ${reference} er trukket tilbage. Koordinatorerne skal ikke længere tage stilling til den.`,
  withdrawOnlyRaiser: "Kun sagsbehandleren, der rejste sagen, kan trække den tilbage. Intet er ændret.",
  withdrawTooLate: (state: string) => `Sagen kan ikke trækkes tilbage, fordi den allerede er ${state.toLowerCase()}. Intet er ændret.`,
  withdrawStale: "Sagen er ændret, siden du åbnede den. Se den i **mine sager** og prøv igen. Intet er ændret.",
  caseWithdrawnBanner: "Sagen er trukket tilbage af sagsbehandleren. Der skal ikke træffes beslutning.",
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

const MOVE_REASONS = {
  "meeting-cancelled": "fordi mødet er aflyst",
  "rolled-over": "fordi den ikke nåede at blive behandlet på mødet",
  postponed: "fordi forummet har udsat den",
  "information-added": "efter dine nye oplysninger",
  moved: "af en koordinator",
} satisfies Record<MoveReason, string>;

export type DecisionAudience = "raiser" | "social-caseworker";
