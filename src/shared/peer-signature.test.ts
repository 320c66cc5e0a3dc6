import { describe, expect, it } from "vitest";
import { answerPeerRequest, isProvenPeerAnswer, PEER_SIGNATURE_SKEW_MS, PeerNonces, signPeerRequest, verifyPeerSignature } from "./peer-signature.js";

const KEY = "peers-key-for-nonce-tests";
const START = 1_700_000_000_000;

describe("PeerNonces", () => {
  it("takes no signature made before it was made: a restarted server has forgotten the nonces it saw", () => {
    const nonces = new PeerNonces({ now: START });
    expect(nonces.accept("a".repeat(22), START - 1000, START)).toBe(false);
    expect(nonces.accept("b".repeat(22), START + 1, START + 1)).toBe(true);
  });

  it("stays within its bound, and refuses what was signed before the nonces it let go", () => {
    const nonces = new PeerNonces({ max: 3, now: START });
    for (let i = 1; i <= 3; i++) expect(nonces.accept(`nonce-${i}`, START + i, START + i)).toBe(true);
    expect(nonces.accept("nonce-4", START + 4, START + 4)).toBe(true);
    expect(nonces.size).toBe(3);
    // nonce-1 was let go: sent again it is refused by the floor, not accepted as new.
    expect(nonces.floor).toBe(START + 1);
    expect(nonces.accept("nonce-1", START + 1, START + 5)).toBe(false);
    expect(nonces.accept("nonce-3", START + 3, START + 5)).toBe(false);
  });

  it("forgets nonces past the window, which the timestamp check refuses anyway", () => {
    const nonces = new PeerNonces({ now: START });
    nonces.accept("old-nonce-old-nonce", START + 1, START + 1);
    nonces.accept("new-nonce-new-nonce", START + PEER_SIGNATURE_SKEW_MS, START + PEER_SIGNATURE_SKEW_MS);
    nonces.accept("newer-nonce-newer", START + PEER_SIGNATURE_SKEW_MS + 10, START + PEER_SIGNATURE_SKEW_MS + 2);
    expect(nonces.size).toBe(2);
  });
});

describe("verifyPeerSignature", () => {
  it("takes a signature once, from a clock up to the window away", () => {
    const nonces = new PeerNonces({ now: START });
    const signed = signPeerRequest(KEY, { method: "get", path: "/v1/peer/info" }, START + PEER_SIGNATURE_SKEW_MS);
    expect(verifyPeerSignature(KEY, signed, { method: "GET", path: "/v1/peer/info" }, nonces, START + 1).bodySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(() => verifyPeerSignature(KEY, signed, { method: "GET", path: "/v1/peer/info" }, nonces, START + 1)).toThrow(/replayed/);
  });
});

describe("a peer's proof of its answer", () => {
  const ANSWER_KEY = "the-peers-key-for-answer-proofs";
  const request = () => signPeerRequest(ANSWER_KEY, { method: "GET", path: "/v1/peer/info" });

  it("is checked against the request it answers, the answer's bytes and the key", () => {
    const asked = request();
    const body = '{"name":"studio","models":[]}';
    const proof = answerPeerRequest(ANSWER_KEY, asked, body);
    expect(proof).toMatch(/^sig=[0-9a-f]{64}$/);
    expect(isProvenPeerAnswer(ANSWER_KEY, asked, proof, Buffer.from(body))).toBe(true);
    // Another answer, another request (a proof played back), another key, or none.
    expect(isProvenPeerAnswer(ANSWER_KEY, asked, proof, '{"name":"studio","models":[{"id":"m"}]}')).toBe(false);
    expect(isProvenPeerAnswer(ANSWER_KEY, request(), proof, body)).toBe(false);
    expect(isProvenPeerAnswer(ANSWER_KEY, asked, answerPeerRequest("another-key-0123456789", asked, body), body)).toBe(false);
    expect(isProvenPeerAnswer(ANSWER_KEY, asked, null, body)).toBe(false);
    expect(isProvenPeerAnswer(ANSWER_KEY, asked, "sig=zz", body)).toBe(false);
  });

  it("is not a request's signature: one cannot stand for the other", () => {
    const asked = request();
    const sig = /sig=([0-9a-f]{64})/.exec(asked)?.[1];
    expect(isProvenPeerAnswer(ANSWER_KEY, asked, `sig=${sig}`, "")).toBe(false);
    expect(() => answerPeerRequest(ANSWER_KEY, `Bearer ${ANSWER_KEY}`, "")).toThrow(/Only an answer to a request signed/);
  });
});
