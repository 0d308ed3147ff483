import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEntraTokenVerifier, EntraKeysUnavailableError, type EntraTokenVerifier } from "../../src/teams/entra-token.js";
import { newSigningKey, startJwksStub, v1Claims, v2Claims, type JwksStub } from "../support/jwks-stub.js";

const TENANT = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f";
const OTHER_TENANT = "11111111-2222-4333-8444-555555555555";
const CASE_SYSTEM = "c0ffee00-0000-4000-8000-000000000001";
const OTHER_APP = "c0ffee00-0000-4000-8000-000000000002";
const APP_ID_URI = "api://sparring-bostotte";
const CLIENT_ID = "5a5a5a5a-0000-4000-8000-000000000003";

let jwks: JwksStub;
let verify: EntraTokenVerifier;

beforeAll(async () => {
  jwks = await startJwksStub();
  verify = createEntraTokenVerifier({
    jwksUrl: jwks.jwksUrl,
    audiences: [APP_ID_URI, CLIENT_ID],
    allowedTenants: new Set([TENANT]),
    allowedCallers: (tenantId) => (tenantId === TENANT ? [CASE_SYSTEM] : []),
  });
});
afterAll(() => jwks.close());

const bearer = (token: string) => `Bearer ${token}`;
const valid = { tenantId: TENANT, callerAppId: CASE_SYSTEM, audience: APP_ID_URI };

describe("an Entra ID access token from a municipality's case system", () => {
  it("is required: no Authorization header, or not a bearer token, is 401", async () => {
    expect(await verify(undefined)).toMatchObject({ ok: false, status: 401 });
    expect(await verify("Basic dXNlcjpwYXNz")).toMatchObject({ ok: false, status: 401 });
    expect(await verify("Bearer not-a-jwt")).toMatchObject({ ok: false, status: 401 });
  });

  it("is accepted as v2.0 (azp, the login.microsoftonline.com issuer), naming tenant and caller", async () => {
    const token = await jwks.sign(v2Claims(valid));
    expect(await verify(bearer(token))).toEqual({ ok: true, tenantId: TENANT, callerAppId: CASE_SYSTEM });
  });

  it("is accepted as v1.0 (appid, the sts.windows.net issuer)", async () => {
    const token = await jwks.sign(v1Claims(valid));
    expect(await verify(bearer(token))).toEqual({ ok: true, tenantId: TENANT, callerAppId: CASE_SYSTEM });
  });

  it("may be issued for the API's client id as well as its application ID URI", async () => {
    const token = await jwks.sign(v2Claims({ ...valid, audience: CLIENT_ID }));
    expect(await verify(bearer(token))).toMatchObject({ ok: true });
  });

  it("is refused (401) when signed by a key Entra ID does not publish", async () => {
    const token = await jwks.sign(v2Claims(valid), { key: await newSigningKey() });
    expect(await verify(bearer(token))).toMatchObject({ ok: false, status: 401, reason: "token signed by an unknown key" });
  });

  it("is refused (401) when signed by another key under a published key id", async () => {
    const token = await jwks.sign(v2Claims(valid), { key: await newSigningKey(jwks.published.kid) });
    expect(await verify(bearer(token))).toMatchObject({ ok: false, status: 401, reason: "token signature invalid" });
  });

  it("is refused (401) when issued for another API", async () => {
    const token = await jwks.sign(v2Claims({ ...valid, audience: "api://someone-else" }));
    expect(await verify(bearer(token))).toMatchObject({ ok: false, status: 401 });
  });

  it("is refused (401) when expired beyond the clock tolerance", async () => {
    const token = await jwks.sign(v2Claims(valid), { expiresAt: new Date(Date.now() - 5 * 60_000) });
    expect(await verify(bearer(token))).toMatchObject({ ok: false, status: 401, reason: "token expired" });
  });

  it("is still accepted just after expiry, within the small clock tolerance", async () => {
    const token = await jwks.sign(v2Claims(valid), { expiresAt: new Date(Date.now() - 10_000) });
    expect(await verify(bearer(token))).toMatchObject({ ok: true });
  });

  it("is refused (401) when the issuer is not the token's own tenant", async () => {
    const claims = { ...v2Claims(valid), iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` };
    expect(await verify(bearer(await jwks.sign(claims)))).toMatchObject({
      ok: false,
      status: 401,
      reason: "token issuer is not the tenant's",
    });
    const foreignIssuer = { ...v2Claims(valid), iss: "https://evil.example/v2.0" };
    expect(await verify(bearer(await jwks.sign(foreignIssuer)))).toMatchObject({ ok: false, status: 401 });
    const v1IssuerOnV2 = { ...v2Claims(valid), iss: `https://sts.windows.net/${TENANT}/` };
    expect(await verify(bearer(await jwks.sign(v1IssuerOnV2)))).toMatchObject({ ok: false, status: 401 });
  });

  it("is refused (401) without an expiry", async () => {
    const { privateKey, kid } = jwks.published;
    const token = await new SignJWT(v2Claims(valid)).setProtectedHeader({ alg: "RS256", kid }).sign(privateKey);
    expect(await verify(bearer(token))).toMatchObject({ ok: false, status: 401 });
  });

  it("is forbidden (403) when valid but from a tenant this deployment does not serve", async () => {
    const token = await jwks.sign(v2Claims({ ...valid, tenantId: OTHER_TENANT }));
    expect(await verify(bearer(token))).toMatchObject({ ok: false, status: 403, reason: "tenant is not served by this deployment" });
  });

  it("is forbidden (403) when the calling application is not one the municipality allows", async () => {
    const v2 = await jwks.sign(v2Claims({ ...valid, callerAppId: OTHER_APP }));
    const v1 = await jwks.sign(v1Claims({ ...valid, callerAppId: OTHER_APP }));
    expect(await verify(bearer(v2))).toMatchObject({ ok: false, status: 403, reason: "caller application is not allowed for this tenant" });
    expect(await verify(bearer(v1))).toMatchObject({ ok: false, status: 403 });
  });

  it("is refused (401) when it names no caller application for its version", async () => {
    const v2WithAppid = { ...v1Claims(valid), iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, ver: "2.0" };
    expect(await verify(bearer(await jwks.sign(v2WithAppid)))).toMatchObject({ ok: false, status: 401 });
  });

  it("cannot be checked while the key set is unreachable: an error, not a 401", async () => {
    const unreachable = createEntraTokenVerifier({
      jwksUrl: "http://127.0.0.1:1/keys",
      audiences: [APP_ID_URI],
      allowedTenants: new Set([TENANT]),
      allowedCallers: () => [CASE_SYSTEM],
    });
    const token = await jwks.sign(v2Claims(valid));
    await expect(unreachable(bearer(token))).rejects.toBeInstanceOf(EntraKeysUnavailableError);
  });
});
