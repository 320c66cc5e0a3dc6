import { describe, expect, it } from "vitest";
import { collectStream, messageText, type ChatRequest, type LanguageModel, type StreamPart, type Usage } from "../protocol/index.js";
import { textAnswer } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { critiquePlan, REVIEWER_PERSONAS } from "./plan-critique.js";

/** A model whose answer is a function of the request (the reviews arrive in any order). */
class ReplyingModel implements LanguageModel {
  readonly provider = "scripted";
  readonly modelId = "m";
  readonly requests: ChatRequest[] = [];
  constructor(
    private readonly reply: (system: string, prompt: string) => string | Error,
    /** Each answer's usage in place of textAnswer's. */
    private readonly usage?: Usage,
  ) {}
  async *doStream(request: ChatRequest): AsyncIterable<StreamPart> {
    this.requests.push(request);
    const [system, prompt] = request.messages.map(messageText);
    const answer = this.reply(system ?? "", prompt ?? "");
    if (answer instanceof Error) {
      yield { type: "error", error: { code: "upstream_error", message: answer.message, isRetryable: false } };
      return;
    }
    for (const part of textAnswer(answer)) yield part.type === "finish" && this.usage ? { ...part, usage: this.usage } : part;
  }
  doGenerate(request: ChatRequest) {
    return collectStream(this.doStream(request));
  }
}

const reviewerOf = (system: string): string | undefined => REVIEWER_PERSONAS.find((p) => new RegExp(`^You are an? ${p.title.toLowerCase()} reviewer`).test(system))?.id;

describe("plan critique", () => {
  it("asks each of the seven reviewers once, then revises the plan with every reviewer's findings", async () => {
    const model = new ReplyingModel((system) => {
      const id = reviewerOf(system);
      return id ? `- finding of ${id}` : "1. The revised plan.";
    });
    const critique = await critiquePlan("1. Change the parser.", { model, task: "fix the parser", signal: new AbortController().signal });
    const reviewers = model.requests.slice(0, 7).map((r) => reviewerOf(messageText(r.messages[0]!)));
    expect(reviewers.sort()).toEqual(REVIEWER_PERSONAS.map((p) => p.id).sort());
    expect(model.requests).toHaveLength(8);
    for (const r of model.requests.slice(0, 7)) expect(messageText(r.messages[1]!)).toContain("1. Change the parser.");
    const revision = messageText(model.requests[7]!.messages[1]!);
    for (const p of REVIEWER_PERSONAS) expect(revision).toContain(`## ${p.title}\n- finding of ${p.id}`);
    expect(critique.reviews.map((r) => r.findings)).toEqual(REVIEWER_PERSONAS.map((p) => `- finding of ${p.id}`));
    expect(critique.revised).toBe("1. The revised plan.");
    expect(critique.usage.inputTokens).toBe(80);
  });

  it("sums the reviews' and the revision's usage, their cache reads and writes too where the answers state them", async () => {
    const usage = { inputTokens: 1000, cachedInputTokens: 900, cacheWriteInputTokens: 50, outputTokens: 4, totalTokens: 1004 };
    const model = new ReplyingModel((system) => (reviewerOf(system) ? "- finding" : "1. Revised."), usage);
    const critique = await critiquePlan("1. Plan.", { model, task: "t", signal: new AbortController().signal });
    expect(critique.usage).toEqual({ inputTokens: 8000, cachedInputTokens: 7200, cacheWriteInputTokens: 400, outputTokens: 32, totalTokens: 8032 });
    const plain = await critiquePlan("1. Plan.", { model: new ReplyingModel((system) => (reviewerOf(system) ? "- finding" : "1. Revised.")), task: "t", signal: new AbortController().signal });
    expect(plain.usage).toEqual({ inputTokens: 80, outputTokens: 32, totalTokens: 112 });
  });

  it("a reviewer whose call fails is marked failed and left out of the revision; the others still count", async () => {
    const model = new ReplyingModel((system) => {
      const id = reviewerOf(system);
      if (id === "operations") return new Error("rate limited");
      return id ? `- finding of ${id}` : "1. Revised.";
    });
    const critique = await critiquePlan("1. Plan.", { model, task: "t", signal: new AbortController().signal });
    const ops = critique.reviews.find((r) => r.persona.id === "operations")!;
    expect(ops).toMatchObject({ failed: true, findings: expect.stringContaining("rate limited") });
    expect(messageText(model.requests.at(-1)!.messages[1]!)).not.toContain("## Operations");
  });

  it("fails with a clear error when no reviewer could answer", async () => {
    const model = new ReplyingModel(() => new Error("down"));
    await expect(critiquePlan("1. Plan.", { model, task: "t", signal: new AbortController().signal })).rejects.toMatchObject({ code: "upstream_error", message: expect.stringContaining("None of the 7 reviewers") });
  });
});
