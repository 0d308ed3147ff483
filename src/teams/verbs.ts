/**
 * Every card action verb, one place. One name per action: the key is the wire verb, the
 * handler in `app.ts` has the same name, and so does the field that carries the verb in a
 * card's data (typed as the literal, so a card built with the wrong verb does not compile).
 * A test checks that every verb on a card has a handler.
 */
export const VERBS = {
  submitCase: "submitCase",
  showCaseDetails: "showCaseDetails",
  showCaseCard: "showCaseCard",
  showMoveCase: "showMoveCase",
  moveCase: "moveCase",
  showCancelMeeting: "showCancelMeeting",
  cancelMeeting: "cancelMeeting",
  decideCase: "decideCase",
  addInformation: "addInformation",
  showWithdrawCase: "showWithdrawCase",
  withdrawCase: "withdrawCase",
  showBostotteForm: "showBostotteForm",
  submitBostotte: "submitBostotte",
  showBostotteDetails: "showBostotteDetails",
  followCitizen: "followCitizen",
  unfollowCitizen: "unfollowCitizen",
  showHandOverCase: "showHandOverCase",
  handOverCase: "handOverCase",
  showHandOverFollowing: "showHandOverFollowing",
  handOverFollowing: "handOverFollowing",
  openPlan: "openPlan",
  showEditPlan: "showEditPlan",
  addPlanEffort: "addPlanEffort",
  removePlanEffort: "removePlanEffort",
  editPlan: "editPlan",
  approvePlan: "approvePlan",
  showPlanMeetings: "showPlanMeetings",
  registerPlanMeetings: "registerPlanMeetings",
  showPlanConsent: "showPlanConsent",
  recordPlanConsent: "recordPlanConsent",
  recordPlanRefusal: "recordPlanRefusal",
  showWithdrawPlanConsent: "showWithdrawPlanConsent",
  withdrawPlanConsent: "withdrawPlanConsent",
  showPlanFollowUp: "showPlanFollowUp",
  recordPlanFollowUp: "recordPlanFollowUp",
  exportPlan: "exportPlan",
} as const satisfies { [Name in string]: Name };

export type Verb = (typeof VERBS)[keyof typeof VERBS];
