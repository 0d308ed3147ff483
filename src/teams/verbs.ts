/** Every card action verb, one place. A test checks that each verb on a card has a handler. */
export const VERBS = {
  submitCase: "case.submit",
  showCaseDetails: "case.details",
  showCaseSummary: "case.summary",
  showMoveCase: "case.moveForm",
  moveCase: "case.move",
  confirmCancelMeeting: "meeting.cancelForm",
  cancelMeeting: "meeting.cancel",
  decideCase: "case.decide",
  addInformation: "case.addInformation",
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];
