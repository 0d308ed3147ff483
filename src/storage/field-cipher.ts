import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const FORMAT = "v1";

/**
 * AES-256-GCM for special-category fields (CPR, health and social text) at rest.
 * Each value is bound to its row and field through the additional authenticated
 * data, so a ciphertext copied into another case or field fails to decrypt.
 */
export class FieldCipher {
  private readonly encryptionKey: Buffer;
  /** Key for the CPR look-up HMAC; derived, so one secret is enough to configure. */
  readonly lookupKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error("The data encryption key must be 32 bytes (base64 of 32 random bytes).");
    this.encryptionKey = Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), "sparring/field-encryption", 32));
    this.lookupKey = Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), "sparring/cpr-lookup", 32));
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
