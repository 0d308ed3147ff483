import { ageRangeOf, type Municipality } from "../../domain/municipality.js";
import { renderCard, type CardJson } from "../cards.js";
import { TEXT } from "../messages.js";

export interface HelpCard {
  greeting: string;
  forums: { ageRange: string; name: string }[];
}

/** What the bot does and which forum takes which ages. */
export function helpCard(municipality: Municipality, greeting: string): CardJson {
  return renderCard("help", {
    greeting,
    forums: municipality.forums.map((f) => {
      const range = ageRangeOf(municipality, f.id)!;
      return { ageRange: TEXT.ageRange(range.from, range.to), name: f.name };
    }),
  });
}
