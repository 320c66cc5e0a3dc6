import { createHash } from "node:crypto";

/**
 * What a peer advertises about its key: a salted hash, short enough for a TXT record. Peers
 * compare it to their own key's before calling, so a machine with another key is shown as such
 * instead of being sent requests it would refuse. The key itself never leaves the machine.
 */
export function keyFingerprint(key: string): string {
  return createHash("sha256").update(`wren-peer-key\n${key}`).digest("hex").slice(0, 16);
}
