import { describe, expect, it } from "vitest";
import type { ChatRequest, StreamPart } from "../protocol/index.js";
import { WrenError, serializeError } from "../shared/errors.js";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { parseSse } from "../../test/helpers/sse.js";
import { createServerApp } from "./app.js";

/** A model whose first token waits until the test lets it go: a long prompt still evaluating. */
class SlowFirstToken extends ScriptedModel {
  private release!: (outcome: "answer" | "fail") => void;
  private readonly gate = new Promise<"answer" | "fail">((resolve) => (this.release = resolve));

  constructor(id: string) {
    super(id, () => ({}));
  }

  letGo(outcome: "answer" | "fail"): void {
    this.release(outcome);
  }

  override async *doStream(request: ChatRequest): AsyncIterable<StreamPart> {
    this.requests.push(request);
    yield { type: "stream-start", provider: this.provider, modelId: this.modelId };
    const outcome = await this.gate;
    if (outcome === "fail") {
      yield { type: "error", error: serializeError(new WrenError("upstream_error", "The model stopped.", { hint: "Retry the request." })) };
      return;
    }
    yield { type: "text-start", id: "0" };
    yield { type: "text-delta", id: "0", delta: "Hello" };
    yield { type: "text-end", id: "0" };
    yield { type: "finish", finishReason: "stop", usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } };
  }
}

function setup() {
  const model = new SlowFirstToken("slow");
  const host = new ScriptedHost(new Map<string, ScriptedModel>([["slow", model]]));
  const { app } = createServerApp({ host, streamHeadersAfterMs: 20 });
  const post = (path: string, body: unknown): Promise<Response> => Promise.resolve(app.request(path, { method: "POST", body: JSON.stringify(body) }));
  return { post, host, model };
}

const messages = [{ role: "user", content: "hi" }];

describe("a streamed request whose first token is slow", () => {
  it("gets its 200 and headers before the first token, so clients with a header timeout keep waiting; the answer follows", async () => {
    const { post, host, model } = setup();
    // The model has produced no token when the response arrives: it is held until after this line.
    const res = await post("/v1/messages", { model: "slow", messages, max_tokens: 8, stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    model.letGo("answer");
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toContain("content_block_delta");
    expect(events.at(-1)!.event).toBe("message_stop");
    expect(host.held).toBe(0);
  });

  it("ends with the dialect's in-stream error when the model fails after the headers went out", async () => {
    const { post, host, model } = setup();
    const res = await post("/v1/chat/completions", { model: "slow", messages, stream: true });
    expect(res.status).toBe(200);
    model.letGo("fail");
    const events = parseSse(await res.text()).filter((e) => e.data.startsWith("{"));
    expect(JSON.parse(events.at(-1)!.data)).toEqual({
      error: { message: "The model stopped. Retry the request.", type: "server_error", param: null, code: "upstream_error" },
    });
    expect(host.held).toBe(0);
  });

  it("a non-streamed request still waits for the whole answer and gets its error as a status", async () => {
    const { post, model } = setup();
    const pending = post("/v1/chat/completions", { model: "slow", messages });
    model.letGo("fail");
    const res = await pending;
    expect(res.status).toBe(502);
  });
});
