import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";
import { parsePeerSelector, selectPeer } from "./select.js";
import type { PeerView } from "./source.js";

const peer = (name: string, inFlight: number, models: PeerView["models"], healthy = true): PeerView => ({ name, url: `http://${name}:11435`, key: "k", models, inFlight, healthy });
const ask = (text: string, maxOutputTokens = 16): ChatRequest => ({ messages: [{ role: "user", content: [{ type: "text", text }] }], maxOutputTokens });

const peers = [
  peer("big", 5, [{ id: "qwen3-8b", contextLength: 512, sizeBytes: 5e9 }, { id: "qwen3-0.6b", contextLength: 32768, sizeBytes: 6e8 }]),
  peer("small", 1, [{ id: "qwen3-0.6b", contextLength: 32768, sizeBytes: 6e8 }]),
  peer("down", 0, [{ id: "qwen3-0.6b", contextLength: 32768, sizeBytes: 6e8 }, { id: "huge", contextLength: 1e6, sizeBytes: 1e11 }], false),
];

describe("peer selection", () => {
  it("parses the three target forms and refuses one without a model", () => {
    expect(parsePeerSelector("big/qwen3-8b")).toEqual({ kind: "named", peer: "big", model: "qwen3-8b" });
    expect(parsePeerSelector("*/qwen3-0.6b")).toEqual({ kind: "least-loaded", model: "qwen3-0.6b" });
    expect(parsePeerSelector("*")).toEqual({ kind: "capable" });
    expect(() => parsePeerSelector("big")).toThrow(/does not say which peer and model/);
  });

  it("least-loaded: the healthy peer with the model and the fewest requests in flight", () => {
    const choice = selectPeer(parsePeerSelector("*/qwen3-0.6b"), peers, ask("hi"));
    expect(choice.peer.name).toBe("small");
    expect(choice.reason).toBe("least-loaded");
  });

  it("capable: the largest model whose context fits the request, never an unhealthy peer's", () => {
    expect(selectPeer({ kind: "capable" }, peers, ask("hi")).model.id).toBe("qwen3-8b");
    // About 2,000 estimated tokens: past qwen3-8b's 512, so the largest that fits is the 0.6B (least loaded).
    const long = selectPeer({ kind: "capable" }, peers, ask("x".repeat(6000)));
    expect(long.model.id).toBe("qwen3-0.6b");
    expect(long.peer.name).toBe("small");
  });

  it("names what is known when nothing matches, and says when nothing is large enough", () => {
    const unknown = (() => {
      try {
        selectPeer(parsePeerSelector("nobody/qwen3-8b"), peers, ask("hi"));
      } catch (error) {
        return error;
      }
    })();
    expect(unknown).toBeInstanceOf(WrenError);
    expect((unknown as WrenError).code).toBe("model_not_found");
    expect((unknown as WrenError).hint).toContain("big (qwen3-8b, qwen3-0.6b)");
    expect(() => selectPeer({ kind: "capable" }, peers, ask("x".repeat(200_000)))).toThrow(/No model on the network has a context/);
  });
});
