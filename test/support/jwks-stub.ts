import { randomUUID } from "node:crypto";
import http from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import { listen } from "../../src/teams/server.js";

/** A key tokens can be signed with; published by the stub or not. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

export async function newSigningKey(kid: string = randomUUID()): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { kid, privateKey };
}

/** Where the stub serves its OpenID metadata document; every other path answers with the JWKS. */
const OPENID_METADATA_PATH = "/v1/.well-known/openidconfiguration";

/**
 * Entra ID's key endpoint in miniature: a JWKS on 127.0.0.1 with one generated RSA key,
 * and a way to sign tokens with chosen claims — with that key, or with another one.
 *
 * It also stands in for the Bot Framework's: an OpenID metadata document at
 * `openIdMetadataUrl` points at the JWKS, whose keys carry `endorsements` (the channels a key
 * may sign for, e.g. `["msteams"]`) when given.
 */
export async function startJwksStub(o: { endorsements?: string[]; issuer?: string } = {}) {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const published: SigningKey = { kid: randomUUID(), privateKey };
  const endorsed = (endorsements: string[] | undefined) => (endorsements ? { endorsements } : {});
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: published.kid, use: "sig", alg: "RS256", ...endorsed(o.endorsements) }] };
  let fetches = 0;
  let base = "";
  const server = http.createServer((req, res) => {
    fetches++;
    res.writeHead(200, { "content-type": "application/json" });
    if (req.url === OPENID_METADATA_PATH) {
      const metadata = {
        issuer: o.issuer ?? base,
        jwks_uri: `${base}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ["RS256"],
      };
      res.end(JSON.stringify(metadata));
      return;
    }
    res.end(JSON.stringify(jwks));
  });
  const port = await listen(server, 0, "127.0.0.1");
  base = `http://127.0.0.1:${port}`;

  return {
    jwksUrl: `${base}/discovery/v2.0/keys`,
    /** The OpenID metadata document (the Bot Framework's `openidconfiguration`), pointing at the JWKS. */
    openIdMetadataUrl: `${base}${OPENID_METADATA_PATH}`,
    published,
    get fetches() {
      return fetches;
    },
    /** Publishes one more key, endorsed for `endorsements` only when given. */
    async publishKey(endorsements?: string[]): Promise<SigningKey> {
      const pair = await generateKeyPair("RS256", { extractable: true });
      const key: SigningKey = { kid: randomUUID(), privateKey: pair.privateKey };
      jwks.keys.push({ ...(await exportJWK(pair.publicKey)), kid: key.kid, use: "sig", alg: "RS256", ...endorsed(endorsements) });
      return key;
    },
    /** A token with `claims`, signed with the published key unless `key` is given; valid for an hour unless `expiresAt` is. */
    sign(claims: JWTPayload, o: { key?: SigningKey; expiresAt?: Date } = {}): Promise<string> {
      const key = o.key ?? published;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid })
        .setIssuedAt(now - 60)
        .setNotBefore(now - 60)
        .setExpirationTime(o.expiresAt ? Math.floor(o.expiresAt.getTime() / 1000) : now + 3600)
        .sign(key.privateKey);
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
    },
  };
}

export type JwksStub = Awaited<ReturnType<typeof startJwksStub>>;

/** The claims of a v2.0 app-only access token, as Entra ID issues them to a case system. */
export function v2Claims(o: { tenantId: string; callerAppId: string; audience: string }): JWTPayload {
  return {
    aud: o.audience,
    iss: `https://login.microsoftonline.com/${o.tenantId}/v2.0`,
    tid: o.tenantId,
    azp: o.callerAppId,
    ver: "2.0",
    idtyp: "app",
    sub: randomUUID(),
  };
}

/** The claims of a v1.0 app-only access token (`appid`, the sts.windows.net issuer). */
export function v1Claims(o: { tenantId: string; callerAppId: string; audience: string }): JWTPayload {
  return {
    aud: o.audience,
    iss: `https://sts.windows.net/${o.tenantId}/`,
    tid: o.tenantId,
    appid: o.callerAppId,
    ver: "1.0",
    sub: randomUUID(),
  };
}
