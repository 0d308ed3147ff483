import { ageRangeOf, isAdministrator, type Municipality } from "../../domain/municipality.js";
import { isManager } from "../../domain/overview-use-cases.js";
import { renderCard, type CardJson } from "../cards.js";
import { HELP_TEXT, OVERVIEW_TEXT, TEXT } from "../messages.js";

interface HelpCommand {
  title: string;
  value: string;
}

export interface HelpCard {
  greeting: string;
  forums: { ageRange: string; name: string }[];
  /** The commands of each role the user holds beyond raising cases; none for a caseworker only. */
  roleSections: { heading: string; commands: HelpCommand[] }[];
}

/**
 * What the bot does and which forum takes which ages; then, per role the user holds (SPEC §1),
 * that role's commands: the social caseworker's bostøtte, the manager's overview, the
 * administrator's channel binding, status, roles and access requests.
 */
export function helpCard(municipality: Municipality, greeting: string, user: string): CardJson {
  const roles = municipality.roles;
  const sections: HelpCard["roleSections"] = [];
  if (roles.caseworkers.includes(user))
    sections.push({ heading: HELP_TEXT.caseworkerHeading, commands: [...HELP_TEXT.caseworkerCommands] });
  if (roles.socialCaseworkers.includes(user)) sections.push({ heading: HELP_TEXT.socialHeading, commands: [...HELP_TEXT.socialCommands] });
  if (isManager(municipality, user)) sections.push({ heading: OVERVIEW_TEXT.helpHeading, commands: [...OVERVIEW_TEXT.helpCommands] });
  if (isAdministrator(municipality, user)) {
    const bind = HELP_TEXT.bindCommand(municipality.forums.map((f) => f.id));
    sections.push({ heading: HELP_TEXT.administratorHeading, commands: [bind, ...HELP_TEXT.administratorCommands] });
  }
  return renderCard("help", {
    greeting,
    forums: municipality.forums.map((f) => {
      const range = ageRangeOf(municipality, f.id)!;
      return { ageRange: TEXT.ageRange(range.from, range.to), name: f.name };
    }),
    roleSections: sections,
  } satisfies HelpCard);
}
