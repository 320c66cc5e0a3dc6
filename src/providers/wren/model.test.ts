import { afterEach, describe, expect, it, vi } from "vitest";
import { streamParts } from "../../../test/helpers/fake-upstreams/conformance.js";
import { startFakeUpstream } from "../../../test/helpers/fake-upstreams/index.js";
import { enumAnswerRequest } from "../../../test/helpers/enum-answers.js";
import { WrenModel } from "./model.js";

const moods = enumAnswerRequest(["positive", "negative"], 3);

describe("the wren preset's enum answers, sent to the other wren's Gemini API", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("carry no key when none is configured, so the other wren counts the client as anonymous, never under a placeholder key or the user's Google key", async () => {
    vi.stubEnv("GEMINI_API_KEY", "users-google-key");
    await using upstream = await startFakeUpstream("gemini");
    const model = new WrenModel({ provider: "wren", modelId: "chat", baseURL: `${upstream.url}/v1` });
    await model.doGenerate(moods);
    await streamParts(model.doStream(moods));
    expect(upstream.requests.map((r) => r.path)).toEqual([expect.stringMatching(/:generateContent$/), expect.stringMatching(/:streamGenerateContent\?alt=sse$/)]);
    for (const { headers, path } of upstream.requests) {
      expect(headers["x-goog-api-key"]).toBeUndefined();
      expect(headers["authorization"]).toBeUndefined();
      expect(path).not.toContain("key=");
    }
  });

  it("carry the configured key", async () => {
    await using upstream = await startFakeUpstream("gemini");
    const model = new WrenModel({ provider: "wren", modelId: "chat", baseURL: `${upstream.url}/v1`, apiKey: "wren-s3cret" });
    await model.doGenerate(moods);
    expect(upstream.requests.at(-1)?.headers["x-goog-api-key"]).toBe("wren-s3cret");
  });
});
