import { describe, expect, it } from "vitest";
import type { ChatRequest, StreamPart } from "../protocol/index.js";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { createServerApp } from "./app.js";

/** A scripted model whose finish states how many of its `inputTokens` prompt tokens were reused. */
class CachingModel extends ScriptedModel {
  cached = 0;
  override async *doStream(request: ChatRequest, options?: { signal?: AbortSignal }): AsyncIterable<StreamPart> {
    for await (const part of super.doStream(request, options)) {
      yield part.type === "finish" ? { ...part, usage: { ...part.usage, cachedInputTokens: this.cached } } : part;
    }
  }
}

function setup() {
  const model = new CachingModel("tiny", () => ({ text: "abcd", inputTokens: 40 }));
  const host = new ScriptedHost(new Map([["tiny", model]]));
  const { app } = createServerApp({ host });
  const chat = async (): Promise<{ cached: number }> => {
    const res = await app.request("/v1/chat/completions", { method: "POST", body: JSON.stringify({ model: "tiny", messages: [{ role: "user", content: "hi" }] }) });
    const body = (await res.json()) as { usage: { prompt_tokens_details?: { cached_tokens: number } } };
    return { cached: body.usage.prompt_tokens_details?.cached_tokens ?? -1 };
  };
  const series = async (): Promise<Record<string, number>> => {
    const text = await (await app.request("/metrics")).text();
    const out: Record<string, number> = {};
    for (const line of text.split("\n")) {
      const m = /^(wren_prompt_cache_requests_total|wren_tokens_total)\{([^}]*)\} (\S+)$/.exec(line);
      if (m && m[2]!.includes('kind="cached"')) out.cached = Number(m[3]);
      else if (m?.[1] === "wren_prompt_cache_requests_total") out[/result="(\w+)"/.exec(m[2]!)?.[1] ?? ""] = Number(m[3]);
    }
    return out;
  };
  return { model, chat, series };
}

describe("/metrics prompt-cache hits", () => {
  it("counts a prompt that reused only its first token (BOS) or the template's opening as a miss, and keeps the true cached count", async () => {
    const { model, chat, series } = setup();
    model.cached = 0;
    await chat();
    model.cached = 1;
    expect((await chat()).cached).toBe(1);
    model.cached = 4;
    expect((await chat()).cached).toBe(4);
    expect(await series()).toEqual({ cached: 5, miss: 3 });
  });

  it("counts a follow-up that reused most of its prompt, or a long shared prefix, as a hit", async () => {
    const { model, chat, series } = setup();
    model.cached = 39;
    await chat();
    model.cached = 20;
    await chat();
    expect(await series()).toEqual({ cached: 59, hit: 2 });
  });
});

/** A model whose answer arrives whole: its finish carries all of it (a teacher asked without streaming). */
class WholeModel extends ScriptedModel {
  override async *doStream(): AsyncIterable<StreamPart> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    yield { type: "finish", finishReason: "stop", content: [{ type: "text", text: "a whole answer" }], usage: { inputTokens: 5, outputTokens: 10, totalTokens: 15 } };
  }
}

function line(text: string, prefix: string): string | undefined {
  return text.split("\n").find((l) => l.startsWith(prefix));
}

describe("/metrics timings and gauges", () => {
  for (const routed of [false, true]) {
    it(`observes no decode speed for an answer that arrived whole${routed ? " (a routed name, asked whole)" : ""}, only its time to first token`, async () => {
      const host = new ScriptedHost(new Map([["whole", new WholeModel("whole", () => ({}))]]));
      if (routed) host.infos[0]!.routed = true;
      const { app } = createServerApp({ host });
      const res = await app.request("/v1/chat/completions", { method: "POST", body: JSON.stringify({ model: "whole", messages: [{ role: "user", content: "hi" }] }) });
      expect(res.status).toBe(200);
      await res.text();
      const text = await (await app.request("/metrics")).text();
      expect(line(text, "wren_time_to_first_token_seconds_count{")).toBe('wren_time_to_first_token_seconds_count{dialect="openai",model="whole"} 1');
      expect(line(text, "wren_decode_tokens_per_second_count{")).toBeUndefined();
    });
  }

  it("reads 0 requests in flight on an idle server: a scrape does not count itself, as wren_requests_total does not", async () => {
    const host = new ScriptedHost(new Map([["tiny", new ScriptedModel("tiny", () => ({ text: "abcd" }))]]));
    const { app } = createServerApp({ host });
    await (await app.request("/v1/chat/completions", { method: "POST", body: JSON.stringify({ model: "tiny", messages: [{ role: "user", content: "hi" }] }) })).text();
    const text = await (await app.request("/metrics")).text();
    expect(line(text, "wren_requests_in_flight ")).toBe("wren_requests_in_flight 0");
    // Read twice: the scrape's own place is given back, never lost.
    expect(line(await (await app.request("/metrics")).text(), "wren_requests_in_flight ")).toBe("wren_requests_in_flight 0");
  });

  it("describes each family by the labels it has", async () => {
    const host = new ScriptedHost(new Map([["tiny", new ScriptedModel("tiny", () => ({ text: "abcd" }))]]));
    const { app } = createServerApp({ host });
    const text = await (await app.request("/metrics")).text();
    expect(line(text, "# HELP wren_requests_total ")).toBe("# HELP wren_requests_total HTTP requests answered, by dialect and status.");
  });
});
