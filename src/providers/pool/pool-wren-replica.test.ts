import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectContinuedFinalMessage } from "../../../test/helpers/continued-answers.js";
import { serveChatModel } from "../../../test/helpers/enum-answers.js";
import { CHAT_MODEL_REPLY, hasSharedModels } from "../../../test/helpers/shared-models.js";
import { userText, type ChatRequest } from "../../protocol/index.js";
import type { RunningServer } from "../../runtime/serve.js";
import { createModel } from "../registry.js";
import { PoolSet } from "./pool-set.js";

describe.runIf(hasSharedModels)("a pool whose replica is another wren serving a real model", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serveChatModel();
  });
  afterAll(async () => {
    await server?.close();
  });

  const poolModel = (pools: PoolSet, continueFinalMessage?: boolean) =>
    createModel("gpus:chat", {
      env: {},
      pools,
      providers: { gpus: { kind: "pool", replicas: [`${server.url}/v1`], health: { intervalMs: 0 }, ...(continueFinalMessage === undefined ? {} : { continueFinalMessage }) } },
    }).model;

  it("continues a final assistant message with continueFinalMessage set, streamed or not: the answer is only the text after it", async () => {
    using pools = new PoolSet();
    await expectContinuedFinalMessage(poolModel(pools, true));
  });

  it("answers the same request in a new turn without it, as the replica is sent no continue_final_message", async () => {
    using pools = new PoolSet();
    const request: ChatRequest = {
      messages: [userText("Say hello."), { role: "assistant", content: [{ type: "text", text: "Hello from the" }] }],
      continueFinalMessage: true,
      temperature: 0,
      maxOutputTokens: 32,
    };
    expect((await poolModel(pools).doGenerate(request)).content).toEqual([{ type: "text", text: CHAT_MODEL_REPLY }]);
  });
});
