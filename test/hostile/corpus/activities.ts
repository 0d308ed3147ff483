import { TEXT } from "../../../src/teams/messages.js";

/*
 * Malformed and hostile activities, as bodies of `POST /api/messages`. One entry per case:
 * what is sent, and what must hold. Every entry is also checked for what holds for all:
 * the host stays up and the next normal turn works, nothing is stored, no error is logged
 * for the caller's mistake, and no CPR number or text of the entry reaches a log line.
 */

/** A valid message from the caseworker in their personal chat, as Teams sends it; entries change it. */
export type Activity = Record<string, unknown> & {
  from: Record<string, unknown>;
  conversation: Record<string, unknown>;
  channelData: Record<string, unknown>;
};

/** What an entry sends: a JSON value (sent as JSON), or the raw bytes or text of the body. */
export type Body = { json: unknown } | { raw: string | Buffer };

export interface ActivityCase {
  name: string;
  /** Builds the body from a valid activity (a message "mine sager" from the caseworker) and the tenants served. */
  send: (valid: Activity, tenants: { home: string; other: string }) => Body;
  /** HTTP method, when not POST. */
  method?: string;
  expect: {
    status: number;
    /**
     * For an activity that reaches the bot (2xx): the Danish text the answer holds, "card"
     * for a card, "answer" for any Danish answer, "silent" when nothing is answered (an
     * activity type the bot ignores).
     */
    reply?: string | "card" | "answer" | "silent";
  };
}

const json = (value: unknown): Body => ({ json: value });
const raw = (value: string | Buffer): Body => ({ raw: value });
const withFrom = (valid: Activity, from: unknown) => json({ ...valid, from });
const nested = (depth: number, open: string, close: string, inner = "1") => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
/** The valid activity as JSON text with `"text":"mine sager"` swapped for `replacement` (raw JSON). */
const rawWithText = (valid: Activity, replacement: string | Buffer): Buffer => {
  const [before, after] = JSON.stringify(valid).split('"text":"mine sager"') as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from('"text":'), Buffer.from(replacement), Buffer.from(after)]);
};
/** A fictitious CPR number (a replacement number: day + 60) and a health text, to be sure neither reaches a log. */
export const HOSTILE_ACTIVITY_CPR = "611190-4871";
const CASE_TEXT = "Borgeren 611190 4871 har en alvorlig sygdom";

export const ACTIVITY_CASES: ActivityCase[] = [
  // ─── Not an activity at all ─────────────────────────────────────────────────────────
  { name: "{}", send: () => json({}), expect: { status: 400 } },
  { name: "an empty body", send: () => raw(""), expect: { status: 400 } },
  { name: "a JSON array", send: (a) => json([a]), expect: { status: 400 } },
  { name: "JSON null", send: () => raw("null"), expect: { status: 400 } },
  { name: "a JSON string", send: () => json("message"), expect: { status: 400 } },
  { name: "a JSON number", send: () => raw("42"), expect: { status: 400 } },
  { name: "form encoding, not JSON", send: () => raw("type=message&text=hej"), expect: { status: 400 } },
  { name: "JSON with trailing garbage", send: (a) => raw(`${JSON.stringify(a)}xyz`), expect: { status: 400 } },
  { name: "a UTF-8 byte order mark before the JSON", send: (a) => raw(`\uFEFF${JSON.stringify(a)}`), expect: { status: 400 } },
  { name: "UTF-16 instead of UTF-8", send: (a) => raw(Buffer.from(JSON.stringify(a), "utf16le")), expect: { status: 400 } },
  {
    name: "invalid UTF-8 outside any string",
    send: (a) => raw(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(a))])),
    expect: { status: 400 },
  },
  { name: "GET instead of POST", method: "GET", send: () => raw(""), expect: { status: 405 } },
  { name: "PUT instead of POST", method: "PUT", send: (a) => json(a), expect: { status: 405 } },

  // ─── Wrong types ────────────────────────────────────────────────────────────────────
  { name: "type missing", send: (a) => json({ ...a, type: undefined }), expect: { status: 400 } },
  { name: "type a number", send: (a) => json({ ...a, type: 5 }), expect: { status: 400 } },
  { name: "type empty", send: (a) => json({ ...a, type: "" }), expect: { status: 400 } },
  { name: "type an array", send: (a) => json({ ...a, type: ["message"] }), expect: { status: 400 } },
  { name: "text a number", send: (a) => json({ ...a, text: 5 }), expect: { status: 400 } },
  { name: "text an object", send: (a) => json({ ...a, text: { value: "mine sager" } }), expect: { status: 400 } },
  { name: "serviceUrl not a URL", send: (a) => json({ ...a, serviceUrl: "ikke en adresse" }), expect: { status: 400 } },
  { name: "serviceUrl a number", send: (a) => json({ ...a, serviceUrl: 80 }), expect: { status: 400 } },
  { name: "conversation missing", send: (a) => json({ ...a, conversation: undefined }), expect: { status: 400 } },
  { name: "conversation a string", send: (a) => json({ ...a, conversation: "conv" }), expect: { status: 400 } },
  { name: "conversation.id a number", send: (a) => json({ ...a, conversation: { ...a.conversation, id: 7 } }), expect: { status: 400 } },
  {
    name: "conversation.id with control characters (they cannot go into a header)",
    send: (a) => json({ ...a, conversation: { ...a.conversation, id: "a:b\u0000\r\nx-injected: 1" } }),
    expect: { status: 400 },
  },
  {
    name: "conversationType a number",
    send: (a) => json({ ...a, conversation: { ...a.conversation, conversationType: 1 } }),
    expect: { status: 400 },
  },
  {
    name: "conversation.tenantId a number",
    send: (a) => json({ ...a, conversation: { ...a.conversation, tenantId: 1 } }),
    expect: { status: 400 },
  },
  { name: "channelData a string", send: (a) => json({ ...a, channelData: "teams" }), expect: { status: 400 } },
  { name: "channelData.tenant.id a number", send: (a) => json({ ...a, channelData: { tenant: { id: 1 } } }), expect: { status: 400 } },
  {
    name: "channelData.channel.id with control characters",
    send: (a) => json({ ...a, channelData: { ...a.channelData, channel: { id: "19:x\r\ny@thread.tacv2" } } }),
    expect: { status: 400 },
  },
  { name: "entities a string", send: (a) => json({ ...a, entities: "mention" }), expect: { status: 400 } },
  { name: "an entity without a type", send: (a) => json({ ...a, entities: [{ text: "<at>Sparring</at>" }] }), expect: { status: 400 } },
  { name: "an entity that is not an object", send: (a) => json({ ...a, entities: [null] }), expect: { status: 400 } },
  { name: "recipient missing", send: (a) => json({ ...a, recipient: undefined }), expect: { status: 400 } },
  { name: "recipient.id a number", send: (a) => json({ ...a, recipient: { id: 28 } }), expect: { status: 400 } },
  { name: "name (invoke name) a number", send: (a) => json({ ...a, type: "invoke", name: 5 }), expect: { status: 400 } },

  // ─── Who sent it ────────────────────────────────────────────────────────────────────
  { name: "from missing", send: (a) => withFrom(a, undefined), expect: { status: 400 } },
  { name: "from a string", send: (a) => withFrom(a, "29:someone"), expect: { status: 400 } },
  { name: "from.id missing", send: (a) => withFrom(a, { aadObjectId: a.from["aadObjectId"], name: "Mette" }), expect: { status: 400 } },
  { name: "from.aadObjectId a number", send: (a) => withFrom(a, { ...a.from, aadObjectId: 1 }), expect: { status: 400 } },
  {
    name: "from.aadObjectId with characters no Entra id has (key separators, control characters)",
    send: (a) => withFrom(a, { ...a.from, aadObjectId: "a|b/c#d\u0001" }),
    expect: { status: 400 },
  },
  {
    name: "from.aadObjectId of 5,000 characters",
    send: (a) => withFrom(a, { ...a.from, aadObjectId: "a".repeat(5_000) }),
    expect: { status: 400 },
  },
  { name: "from.name a number", send: (a) => withFrom(a, { ...a.from, name: 42 }), expect: { status: 400 } },
  {
    name: "from.name of 100,000 characters",
    send: (a) => withFrom(a, { ...a.from, name: "Mette ".repeat(20_000) }),
    expect: { status: 400 },
  },
  {
    name: "from without aadObjectId (not a Teams user): told they cannot, nothing stored",
    send: (a) => withFrom(a, { id: "29:someone", name: "Uden id" }),
    expect: { status: 200, reply: TEXT.notCaseworker },
  },

  // Every chat command from a sender without an Entra object id: a Danish answer, nothing stored, no error.
  ...[
    "hej",
    "mine sager",
    "følger",
    "planer",
    "bostøtte",
    `følg ${HOSTILE_ACTIVITY_CPR}`,
    `stop følg ${HOSTILE_ACTIVITY_CPR}`,
    "overblik",
    "abonnér på overblik",
    "afmeld overblik",
    "status",
    "roller",
    `indsigt ${HOSTILE_ACTIVITY_CPR}`,
    "dagsorden",
    "tilknyt forum voksne",
  ].map((text): ActivityCase => ({
    name: `"${text}" from a sender without aadObjectId`,
    send: (a) => json({ ...a, text, from: { id: "29:someone", name: "Uden id" } }),
    expect: { status: 200, reply: "answer" },
  })),

  // ─── Tenants ────────────────────────────────────────────────────────────────────────
  {
    name: "no tenant at all",
    send: (a) => json({ ...a, conversation: { ...a.conversation, tenantId: undefined }, channelData: {} }),
    expect: { status: 403 },
  },
  {
    name: "a tenant that is not configured",
    send: (a) => json({ ...a, conversation: { ...a.conversation, tenantId: "00000000-dead-4000-8000-000000000000" }, channelData: {} }),
    expect: { status: 403 },
  },
  {
    name: "conflicting tenant ids: conversation.tenantId served, channelData.tenant not",
    send: (a) => json({ ...a, channelData: { ...a.channelData, tenant: { id: "00000000-dead-4000-8000-000000000000" } } }),
    expect: { status: 403 },
  },
  {
    name: "conflicting tenant ids: conversation.tenantId another served tenant, channelData.tenant this one",
    send: (a, t) => json({ ...a, conversation: { ...a.conversation, tenantId: t.other } }),
    expect: { status: 403 },
  },
  {
    name: "conversation.tenantId missing, channelData.tenant a served tenant (accepted: no conflict)",
    send: (a) => json({ ...a, conversation: { ...a.conversation, tenantId: undefined } }),
    expect: { status: 200, reply: "card" },
  },
  {
    name: "a tenant id of 30,000 characters carrying a CPR number and case text (refused, and not written to the log)",
    send: (a) => json({ ...a, conversation: { ...a.conversation, tenantId: `${CASE_TEXT} `.repeat(700) }, channelData: {} }),
    expect: { status: 403 },
  },
  {
    name: "a serviceUrl off this machine in local mode carrying a CPR number and case text (refused, and not logged)",
    send: (a) => json({ ...a, serviceUrl: `https://evil.example/${CASE_TEXT}/` }),
    expect: { status: 403 },
  },

  // ─── Size, depth and encoding ───────────────────────────────────────────────────────
  { name: "a body just over 512 KiB", send: (a) => json({ ...a, value: "x".repeat(512 * 1024) }), expect: { status: 413 } },
  { name: "a body of 3 MiB", send: () => raw("x".repeat(3 * 1024 * 1024)), expect: { status: 413 } },
  {
    name: "arrays nested 200,000 deep in value",
    send: (a) => raw(`${JSON.stringify(a).slice(0, -1)},"value":${nested(200_000, "[", "]")}}`),
    expect: { status: 200, reply: "card" },
  },
  {
    name: "objects nested 50,000 deep in channelData",
    send: (a) =>
      raw(
        `${JSON.stringify({ ...a, channelData: undefined }).slice(0, -1)},"channelData":{"tenant":${JSON.stringify(a.channelData["tenant"])},"x":${nested(50_000, '{"a":', "}")}}}`,
      ),
    expect: { status: 200, reply: "card" },
  },
  {
    name: "objects nested 50,000 deep in an entity",
    send: (a) => raw(`${JSON.stringify(a).slice(0, -1)},"entities":[{"type":"clientInfo","x":${nested(50_000, '{"a":', "}")}}]}`),
    expect: { status: 200, reply: "card" },
  },
  {
    name: "invalid UTF-8 inside the text",
    send: (a) => raw(rawWithText(a, Buffer.from([0x22, 0xff, 0xfe, 0xc3, 0x22]))),
    expect: { status: 200, reply: TEXT.notUnderstood },
  },
  {
    name: "a lone UTF-16 surrogate in the text",
    send: (a) => raw(rawWithText(a, '"mine \\ud800 sager"')),
    expect: { status: 200, reply: TEXT.notUnderstood },
  },
  {
    name: "NUL and escape characters in the text",
    send: (a) => json({ ...a, text: "mine\u0000 sager\u001b[31m" }),
    expect: { status: 200, reply: TEXT.notUnderstood },
  },
  {
    name: "a text of 400,000 characters",
    send: (a) => json({ ...a, text: "hej ".repeat(100_000) }),
    expect: { status: 200, reply: TEXT.notUnderstood },
  },
  {
    name: "a chat message with a CPR number and case text (not understood, not logged)",
    send: (a) => json({ ...a, text: `${CASE_TEXT}, cpr ${HOSTILE_ACTIVITY_CPR}` }),
    expect: { status: 200, reply: TEXT.notUnderstood },
  },
  {
    name: "prototype pollution: __proto__ and constructor keys",
    send: (a) =>
      raw(
        `${JSON.stringify(a).slice(0, -1)},"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"value":{"__proto__":{"polluted":true}}}`,
      ),
    expect: { status: 200, reply: "card" },
  },
  {
    name: "duplicate keys: the last type wins",
    send: (a) => raw(`{"type":"invoke",${JSON.stringify(a).slice(1)}`),
    expect: { status: 200, reply: "card" },
  },

  // ─── Activity kinds the bot does not handle ─────────────────────────────────────────
  {
    name: "an unknown activity type carrying a CPR number",
    send: (a) => json({ ...a, type: `Borger ${HOSTILE_ACTIVITY_CPR}` }),
    expect: { status: 200, reply: "silent" },
  },
  {
    name: "a message reaction",
    send: (a) => json({ ...a, type: "messageReaction", reactionsAdded: [{ type: "like" }] }),
    expect: { status: 200, reply: "silent" },
  },
  {
    name: "an invoke the bot does not implement",
    send: (a) => json({ ...a, type: "invoke", name: "composeExtension/query", value: {} }),
    expect: { status: 501 },
  },
  {
    name: "an adaptiveCard/action invoke without a value",
    send: (a) => json({ ...a, type: "invoke", name: "adaptiveCard/action" }),
    expect: { status: 501 },
  },
  {
    name: "a legacy Action.Submit (message with value) and no text",
    send: (a) => json({ ...a, text: undefined, value: { caseNo: 1, verb: "decideCase" } }),
    expect: { status: 200, reply: TEXT.notUnderstood },
  },
  {
    name: "membersAdded with garbage members",
    send: (a) => json({ ...a, type: "conversationUpdate", text: undefined, membersAdded: [null, 5, { id: 7 }] }),
    expect: { status: 200, reply: "silent" },
  },
];
