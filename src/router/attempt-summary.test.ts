import { describe, expect, it } from "vitest";
import { startFakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { providerModelFor } from "../../test/helpers/fake-upstreams/provider-models.js";
import { userText } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import { Router } from "./router.js";

describe("the error when every target of a route failed", () => {
  it("says of each target tried how it failed, its HTTP status included, not only the last one's", async () => {
    await using first = await startFakeUpstream("openai");
    await using second = await startFakeUpstream("anthropic");
    first.fail({ kind: "status", status: 503 });
    second.fail({ kind: "status", status: 400 });
    const router = new Router({
      targets: [
        { id: "openai:gpt", model: providerModelFor("openai", first.url), leavesMachine: true },
        { id: "anthropic:claude", model: providerModelFor("anthropic", second.url), leavesMachine: true },
      ],
      routes: { default: { type: "fallback", targets: [{ type: "target", target: "openai:gpt" }, { type: "target", target: "anthropic:claude" }] } },
      consent: { policy: "allow" },
      retry: { maxRetries: 0 },
    });
    const error = await router.doGenerate({ messages: [userText("Hi")] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).message).toMatch(/^Every target of route "default" failed \(openai:gpt: overloaded \(HTTP 503\); anthropic:claude: bad_request \(HTTP 400\)\)\. Last: /);
    expect([first.chatCount, second.chatCount]).toEqual([1, 1]);
  });
});
