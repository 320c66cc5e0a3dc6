import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectContinuedFinalMessage } from "../../../test/helpers/continued-answers.js";
import { expectBareEnumAnswers, serveChatModel } from "../../../test/helpers/enum-answers.js";
import { hasSharedModels } from "../../../test/helpers/shared-models.js";
import type { RunningServer } from "../../runtime/serve.js";
import { PeerModel } from "./model.js";

const KEY = "peer-s3cret-of-16-chars";

describe.runIf(hasSharedModels)("a peer's model", () => {
  let server: RunningServer;
  let model: PeerModel;

  beforeAll(async () => {
    server = await serveChatModel(undefined, KEY);
    const peer = { name: "desk", url: server.url, key: KEY, models: [{ id: "chat" }], inFlight: 0, healthy: true };
    model = new PeerModel({ list: () => [peer] }, "desk/chat");
  });
  afterAll(async () => {
    await server?.close();
  });

  it("is the peer's model held to the bare value: the client's max tokens and the usage count the value's tokens, streamed or not", async () => {
    await expectBareEnumAnswers(model, (generated) => expect(generated.provenance).toMatchObject({ provider: "peer", peer: "desk" }));
  });

  it("continues a final assistant message when asked, streamed or not: the answer is only the text after it", async () => {
    await expectContinuedFinalMessage(model);
  });
});
