import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const FORMAT = "v1";
const KEY_BYTES = 32;

/**
 * AES-256-GCM for special-category fields (CPR, health and social text) at rest.
 * Each value is bound to its row and field through the additional authenticated
 * data, so a ciphertext copied into another case or field fails to decrypt.
 *
 * Two separate secrets (SPEC §9): the data encryption key seals fields, the CPR look-up
 * key keys the HMAC that finds a case by CPR. Neither can stand in for the other, so
 * rotating or leaking one does not touch what the other protects.
 */
export class FieldCipher {
  private readonly encryptionKey: Buffer;
  /** Key for the CPR look-up HMAC. */
  readonly lookupKey: Buffer;

  /**
   * @param dataEncryptionKey 32 random bytes (`DATA_ENCRYPTION_KEY`).
   * @param cprLookupKey 32 random bytes (`CPR_LOOKUP_KEY`). Without it the look-up key is
   *   derived from the data encryption key, as it was before the keys were split
   *   ({@link legacyCprLookupKey}); tests rely on that.
   */
  constructor(dataEncryptionKey: Buffer, cprLookupKey?: Buffer) {
    if (dataEncryptionKey.length !== KEY_BYTES) throw new Error("The data encryption key must be 32 bytes (base64 of 32 random bytes).");
    if (cprLookupKey !== undefined && cprLookupKey.length !== KEY_BYTES)
      throw new Error("The CPR look-up key must be 32 bytes (base64 of 32 random bytes).");
    this.encryptionKey = Buffer.from(hkdfSync("sha256", dataEncryptionKey, Buffer.alloc(0), "sparring/field-encryption", KEY_BYTES));
    this.lookupKey = cprLookupKey ?? legacyCprLookupKey(dataEncryptionKey);
  }

  encrypt(plain: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return [FORMAT, iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(".");
  }

  decrypt(sealed: string, context: string): string {
    const [format, iv, tag, body] = sealed.split(".");
    if (format !== FORMAT || !iv || !tag || body === undefined) throw new Error("Unknown ciphertext format");
    const decipher = createDecipheriv("aes-256-gcm", this.encryptionKey, Buffer.from(iv, "base64"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
  }
}

/**
 * The CPR look-up key as it was derived from the single data encryption key before the
 * two keys were split. Data written then is found again only with this key, so a local
 * `.data` folder from that time keeps it (see `src/config.ts`).
 */
export function legacyCprLookupKey(dataEncryptionKey: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", dataEncryptionKey, Buffer.alloc(0), "sparring/cpr-lookup", KEY_BYTES));
}
