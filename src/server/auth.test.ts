import { describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import type { CallOptions, ChatRequest, ClientIdentity, StreamPart } from "../protocol/index.js";
import { isWrenError } from "../shared/errors.js";
import { createServerApp, type ServerAppOptions } from "./app.js";
import { clientAuth, hashedKeyId, OWNER_KEY_HEADER } from "./auth.js";

const ALICE = "alice-key-0123456789";
const BOB = "bob-key-0123456789ab";

/** A scripted model that remembers which client each call was made for. */
class ClientRecordingModel extends ScriptedModel {
  readonly clients: Array<ClientIdentity | undefined> = [];

  override doStream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart> {
    this.clients.push(options?.client);
    return super.doStream(request, options);
  }
}

function setup(options: Partial<ServerAppOptions>) {
  const model = new ClientRecordingModel("tiny", () => ({ text: "Hello." }));
  const limited: ClientIdentity[] = [];
  const { app } = createServerApp({
    host: new ScriptedHost(new Map([["tiny", model]])),
    rateLimit: (client) => {
      limited.push(client);
      return Promise.resolve(undefined);
    },
    ...options,
  });
  const chat = (headers: Record<string, string>): Promise<Response> =>
    Promise.resolve(app.request("/v1/chat/completions", { method: "POST", headers, body: JSON.stringify({ model: "tiny", messages: [{ role: "user", content: "hi" }] }) }));
  return { app, model, limited, chat };
}

/** What clientAuth says to these options: the refusal's code, message and hint, or "accepted". */
function refusal(options: Parameters<typeof clientAuth>[0]): string {
  try {
    clientAuth(options);
  } catch (error) {
    return isWrenError(error) ? `${error.code}: ${error.message} ${error.hint ?? ""}` : String(error);
  }
  return "accepted";
}

describe("client authentication", () => {
  it("knows each named key's holder by its name, and that name (never the key) reaches the rate limit and the model call", async () => {
    const { model, limited, chat } = setup({ keys: [{ name: "alice", key: ALICE }, { name: "bob", key: BOB }], apiKey: "the-unnamed-key-0123" });
    expect((await chat({ authorization: `Bearer ${ALICE}` })).status).toBe(200);
    expect((await chat({ "x-api-key": BOB })).status).toBe(200);
    expect((await chat({ authorization: "Bearer the-unnamed-key-0123" })).status).toBe(200);
    expect(model.clients).toEqual([{ keyId: "alice" }, { keyId: "bob" }, { keyId: hashedKeyId("the-unnamed-key-0123") }]);
    expect(limited).toEqual(model.clients);
    expect(hashedKeyId("the-unnamed-key-0123")).toMatch(/^key-[0-9a-f]{12}$/);
    expect(JSON.stringify(model.clients)).not.toContain("0123");
  });

  it("refuses a missing or unknown key with 401 in the caller's dialect, before the rate limit counts it", async () => {
    const { model, limited, app, chat } = setup({ keys: [{ name: "alice", key: ALICE }] });
    const missing = await chat({});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { message: expect.stringContaining("This server requires an API key. Send it as 'Authorization: Bearer KEY'") } });
    const wrong = await app.request("/v1/messages", {
      method: "POST",
      headers: { "x-api-key": BOB },
      body: JSON.stringify({ model: "tiny", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ type: "error", error: { type: "authentication_error", message: expect.stringContaining("The API key is not valid.") } });
    expect(model.clients).toEqual([]);
    expect(limited).toEqual([]);
  });

  it("without any key configured, lets everyone in: anonymous, or told apart by the hash of a key sent anyway", async () => {
    const { model, chat } = setup({});
    expect((await chat({})).status).toBe(200);
    expect((await chat({ authorization: `Bearer ${ALICE}` })).status).toBe(200);
    expect(model.clients).toEqual([{ keyId: "anonymous" }, { keyId: hashedKeyId(ALICE) }]);
  });

  it("lets the daemon's own user in as owner where a key is required, by its own header only; the owner key alone requires none", async () => {
    const OWNER = "the-daemon-owner-key-0123";
    const guarded = setup({ keys: [{ name: "alice", key: ALICE }], ownerKey: OWNER });
    expect((await guarded.chat({ [OWNER_KEY_HEADER]: OWNER })).status).toBe(200);
    expect(guarded.model.clients).toEqual([{ keyId: "owner" }]);
    expect((await guarded.chat({ [OWNER_KEY_HEADER]: ALICE })).status).toBe(401);
    // Not an API key: a client that has it from somewhere cannot pass it off as one.
    expect((await guarded.chat({ authorization: `Bearer ${OWNER}` })).status).toBe(401);

    const open = setup({ ownerKey: OWNER });
    expect((await open.chat({})).status).toBe(200);
    expect(open.model.clients).toEqual([{ keyId: "anonymous" }]);
  });

  it("refuses keys that could not say whose a request is: a reserved name, a name or a secret used twice", () => {
    expect(refusal({ keys: [{ name: "peer", key: ALICE }] })).toContain("config_invalid: The client key name 'peer' is reserved.");
    expect(refusal({ keys: [{ name: "owner", key: ALICE }] })).toContain("config_invalid: The client key name 'owner' is reserved.");
    expect(refusal({ keys: [{ name: "key-1", key: ALICE }] })).toContain("config_invalid: The client key name 'key-1' is reserved.");
    expect(refusal({ keys: [{ name: "alice", key: ALICE }, { name: "alice", key: BOB }] })).toContain("config_invalid: Two client keys are named 'alice'.");
    expect(refusal({ keys: [{ name: "alice", key: ALICE }, { name: "bob", key: ALICE }] })).toContain("config_invalid: The client key 'bob' is the same secret as the client key 'alice' (server.keys).");
    expect(refusal({ keys: [{ name: "alice", key: ALICE }, { name: "bob", key: BOB }] })).toBe("accepted");
  });

  it("refuses an API key that is the same secret as a named key, naming both keys and never the secret: a request holding it could not say which client it is", () => {
    const asNamed = refusal({ apiKey: ALICE, keys: [{ name: "bob", key: BOB }, { name: "alice", key: ALICE }] });
    expect(asNamed).toContain("config_invalid: The API key (server.apiKey) is the same secret as the client key 'alice' (server.keys).");
    expect(asNamed).toContain("Give each client its own key");
    expect(asNamed).not.toContain(ALICE);
    const twice = refusal({ keys: [{ name: "alice", key: ALICE }, { name: "bob", key: BOB }, { name: "carol", key: ALICE }] });
    expect(twice).toContain("config_invalid: The client key 'carol' is the same secret as the client key 'alice' (server.keys).");
    expect(twice).not.toContain(ALICE);
    expect(refusal({ apiKey: "the-unnamed-key-0123", keys: [{ name: "alice", key: ALICE }] })).toBe("accepted");
    expect(() => setup({ apiKey: BOB, keys: [{ name: "bob", key: BOB }] })).toThrow("The API key (server.apiKey) is the same secret as the client key 'bob' (server.keys).");
  });

  it("refuses a peers key that is the same secret as the API key or a named key: a request sending it would be known as that key, not as the peer", () => {
    const asApiKey = refusal({ apiKey: ALICE, peerKey: ALICE });
    expect(asApiKey).toContain("config_invalid: The peers key (peers.key) is the same secret as the API key (server.apiKey).");
    expect(asApiKey).toContain("Give the peers a key of their own");
    const asNamed = refusal({ keys: [{ name: "bob", key: BOB }, { name: "alice", key: ALICE }], peerKey: ALICE });
    expect(asNamed).toContain("config_invalid: The peers key (peers.key) is the same secret as the client key 'alice' (server.keys).");
    expect(asNamed).toContain("Give the peers a key of their own");
    expect(asNamed).not.toContain(ALICE);
    expect(refusal({ apiKey: ALICE, keys: [{ name: "bob", key: BOB }], peerKey: "the-peers-own-key-0123" })).toBe("accepted");
  });
  it("remembers keys it has checked without letting that change any answer: a key seen valid stays its holder's, a near miss is still refused, and past the remembered few every key still gets its own id", async () => {
    const keyed = setup({ keys: [{ name: "alice", key: ALICE }] });
    for (let i = 0; i < 3; i++) expect((await keyed.chat({ authorization: `Bearer ${ALICE}` })).status).toBe(200);
    expect((await keyed.chat({ authorization: `Bearer ${ALICE.slice(0, -1)}x` })).status).toBe(401);
    expect((await keyed.chat({ "x-api-key": ALICE })).status).toBe(200);
    expect(keyed.model.clients).toEqual(Array.from({ length: 4 }, () => ({ keyId: "alice" })));

    const open = setup({});
    const keys = Array.from({ length: 300 }, (_, i) => `client-key-${i}`);
    // Twice round, more keys than are remembered: the oldest are forgotten and hashed again, alike.
    for (const key of [...keys, ...keys]) expect((await open.chat({ authorization: `Bearer ${key}` })).status).toBe(200);
    expect(open.model.clients).toEqual([...keys, ...keys].map((key) => ({ keyId: hashedKeyId(key) })));
  });
});
