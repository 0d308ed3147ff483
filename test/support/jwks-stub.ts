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

/**
 * Entra ID's key endpoint in miniature: a JWKS on 127.0.0.1 with one generated RSA key,
 * and a way to sign tokens with chosen claims — with that key, or with another one.
 */
export async function startJwksStub() {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const published: SigningKey = { kid: randomUUID(), privateKey };
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: published.kid, use: "sig", alg: "RS256" }] };
  let fetches = 0;
  const server = http.createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(jwks));
  });
  const port = await listen(server, 0, "127.0.0.1");

  return {
    jwksUrl: `http://127.0.0.1:${port}/discovery/v2.0/keys`,
    published,
    get fetches() {
      return fetches;
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
