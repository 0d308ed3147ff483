import type { CaseRecord } from "./case.js";
import type { Municipality } from "./municipality.js";

/** Roles are checked on the server for every action, from the activity's Entra object id (SPEC §1). */
export function isCoordinatorOf(municipality: Municipality, forumId: string, aadObjectId: string): boolean {
  return (municipality.roles.coordinators[forumId] ?? []).includes(aadObjectId);
}

/**
 * Who may see a case's CPR number and health/social text (SPEC §6): the coordinators of
 * the case's forum and the case's own caseworkers. Everyone else is refused.
 */
export function canViewDetails(municipality: Municipality, record: CaseRecord, aadObjectId: string): boolean {
  if (!aadObjectId) return false;
  return (
    record.raisedBy === aadObjectId || record.socialCaseworker === aadObjectId || isCoordinatorOf(municipality, record.forumId, aadObjectId)
  );
}

/** Who may record a decision (SPEC §5): the forum's coordinators, and managers when configured. */
export function canDecide(municipality: Municipality, forumId: string, aadObjectId: string): boolean {
  if (!aadObjectId) return false;
  return (
    isCoordinatorOf(municipality, forumId, aadObjectId) ||
    (municipality.managersMayDecide && municipality.roles.managers.includes(aadObjectId))
  );
}

export function isSocialCaseworker(municipality: Municipality, aadObjectId: string): boolean {
  return municipality.roles.socialCaseworkers.includes(aadObjectId);
}

/** Who may move a case or cancel a meeting: the forum's coordinators. */
export function canManageForum(municipality: Municipality, forumId: string, aadObjectId: string): boolean {
  return isCoordinatorOf(municipality, forumId, aadObjectId);
}
