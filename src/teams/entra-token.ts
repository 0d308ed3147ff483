import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";

/** Who called, once the access token checks out; otherwise the HTTP status to answer with and why. */
export type EntraAuthOutcome = { ok: true; tenantId: string; callerAppId: string } | { ok: false; status: 401 | 403; reason: string };

/** Checks the `Authorization` header of a request (`Bearer <token>`). */
export type EntraTokenVerifier = (authorization: string | undefined) => Promise<EntraAuthOutcome>;

export interface EntraTokenVerifierOptions {
  /** Where Entra ID publishes its signing keys, e.g. `https://login.microsoftonline.com/common/discovery/v2.0/keys`. */
  jwksUrl: string;
  /** Accepted `aud` values: the API's application ID URI and/or its client id. */
  audiences: readonly string[];
  /** Tenants of the municipalities this deployment serves. */
  allowedTenants: ReadonlySet<string>;
  /** Client ids of the applications (the social case system) a municipality lets call the API. */
  allowedCallers: (tenantId: string) => readonly string[];
  /** Tolerated clock difference for `exp` and `nbf`; 60 seconds unless given. */
  clockToleranceSeconds?: number;
}

/**
 * The signing keys could not be fetched or read. Not the caller's fault, so not a 401:
 * the request may be retried.
 */
export class EntraKeysUnavailableError extends Error {
  override readonly name = "EntraKeysUnavailableError";
}

const DEFAULT_CLOCK_TOLERANCE_SECONDS = 60;

/** jose error codes that mean the token itself is bad (rather than the key set being unreachable). */
const TOKEN_FAULTS: Readonly<Record<string, string>> = {
  [errors.JWTExpired.code]: "token expired",
  [errors.JWTClaimValidationFailed.code]: "token claims invalid (audience, not-before or a required claim)",
  [errors.JWTInvalid.code]: "token malformed",
  [errors.JWSInvalid.code]: "token malformed",
  [errors.JWSSignatureVerificationFailed.code]: "token signature invalid",
  [errors.JWKSNoMatchingKey.code]: "token signed by an unknown key",
  [errors.JWKSMultipleMatchingKeys.code]: "token signing key ambiguous",
  [errors.JOSEAlgNotAllowed.code]: "token algorithm not allowed",
  [errors.JOSENotSupported.code]: "token algorithm not supported",
};

/**
 * A verifier for Microsoft Entra ID access tokens (v1 and v2) sent by a municipality's
 * case system: signature against the published keys, the tenant's own issuer, our audience,
 * not expired, a configured tenant (else 403) and a caller application that tenant allows
 * (else 403). The token is never logged or returned.
 */
export function createEntraTokenVerifier(options: EntraTokenVerifierOptions): EntraTokenVerifier {
  if (options.audiences.length === 0) throw new Error("createEntraTokenVerifier needs at least one audience");
  const keys = createRemoteJWKSet(new URL(options.jwksUrl));
  const clockTolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;

  return async (authorization) => {
    const token = bearerToken(authorization);
    if (!token) return unauthorized(authorization ? "authorization is not a bearer token" : "no bearer token");

    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, keys, {
        algorithms: ["RS256"],
        audience: [...options.audiences],
        clockTolerance,
        requiredClaims: ["exp", "iss", "aud"],
      }));
    } catch (error) {
      const fault = error instanceof errors.JOSEError ? TOKEN_FAULTS[error.code] : undefined;
      if (fault) return unauthorized(fault);
      throw new EntraKeysUnavailableError("Entra ID signing keys could not be fetched", { cause: error });
    }

    const tenantId = stringClaim(claims, "tid");
    if (!tenantId) return unauthorized("token has no tenant (tid)");
    const version = stringClaim(claims, "ver");
    const expected = version === "2.0" ? v2Issuer(tenantId) : version === "1.0" ? v1Issuer(tenantId) : undefined;
    if (!expected) return unauthorized("token version (ver) is neither 1.0 nor 2.0");
    if (claims.iss !== expected) return unauthorized("token issuer is not the tenant's");
    const callerAppId = stringClaim(claims, version === "2.0" ? "azp" : "appid");
    if (!callerAppId) return unauthorized("token names no caller application (azp/appid)");

    if (!options.allowedTenants.has(tenantId)) return forbidden("tenant is not served by this deployment");
    const allowed = options.allowedCallers(tenantId).map((id) => id.toLowerCase());
    if (!allowed.includes(callerAppId.toLowerCase())) return forbidden("caller application is not allowed for this tenant");
    return { ok: true, tenantId, callerAppId };
  };
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i.exec(authorization ?? "");
  return match?.[1];
}

function stringClaim(claims: JWTPayload, name: string): string | undefined {
  const value = claims[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function v2Issuer(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

function v1Issuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

function unauthorized(reason: string): EntraAuthOutcome {
  return { ok: false, status: 401, reason };
}

function forbidden(reason: string): EntraAuthOutcome {
  return { ok: false, status: 403, reason };
}
