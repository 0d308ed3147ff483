import { RestError } from "@azure/data-tables";

/** The HTTP status of a Table Storage error; the one place storage errors are classified. */
export function storageStatusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : (error as { statusCode?: number } | undefined)?.statusCode;
}

export const isConflict = (error: unknown): boolean => storageStatusOf(error) === 409;
export const isNotFound = (error: unknown): boolean => storageStatusOf(error) === 404;
export const isPreconditionFailed = (error: unknown): boolean => storageStatusOf(error) === 412;

/** A failed batch transaction reports its failing operation's status (or only a code) on the error. */
export function isBatchConflict(error: unknown): boolean {
  const status = storageStatusOf(error);
  const code = (error as { code?: string }).code ?? "";
  return status === 412 || status === 409 || /UpdateConditionNotSatisfied|EntityAlreadyExists/.test(code);
}

/** Another writer got there first: a conflict on create, or an eTag that no longer matches. */
export const lostRace = (error: unknown): boolean => isConflict(error) || isPreconditionFailed(error);
