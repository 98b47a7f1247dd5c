import { createPublicKey, verify } from "node:crypto";

/** Discord refuses nothing by age itself; five minutes, like Slack and Stripe, bounds replays. */
export const MAX_SIGNATURE_AGE_SECONDS = 300;

/**
 * Checks Discord's Ed25519 signature (`X-Signature-Ed25519`) over the timestamp followed by
 * the raw body, with Node's own crypto and the application's public key (hex, from the
 * developer portal). Never throws: a malformed signature is simply not valid.
 */
export function discordSignatureVerifier(publicKeyHex: string): (signatureHex: string, timestamp: string, rawBody: Buffer) => boolean {
  const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(publicKeyHex, "hex").toString("base64url") }, format: "jwk" });
  return (signatureHex, timestamp, rawBody) => {
    if (!/^[0-9a-f]{128}$/i.test(signatureHex)) return false;
    try {
      return verify(null, Buffer.concat([Buffer.from(timestamp, "utf8"), rawBody]), key, Buffer.from(signatureHex, "hex"));
    } catch {
      return false;
    }
  };
}

/** Whether a signature's timestamp (seconds) is within the allowed age of `now`, either way. */
export function freshTimestamp(timestamp: string, now: Date): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) <= MAX_SIGNATURE_AGE_SECONDS;
}
