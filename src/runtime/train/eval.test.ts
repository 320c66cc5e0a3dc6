import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Engine } from "../../engine/index.js";
import { resultText, type Message } from "../../protocol/index.js";
import { hasSharedModels, sharedModels } from "../../../test/helpers/shared-models.js";
import { startScriptedTeacher } from "../../../test/helpers/fake-upstreams/scripted-teacher.js";
import { addAdapter, adapterRegistryPath, listAdapters, promoteAdapter } from "../adapters.js";
import { evaluateAdapter } from "./eval.js";

/** Prompts on whose answers the synthetic adapter measurably moves the loss (either way, by the slice). */
const PROMPTS = ["Tom had a red ball.", "Lily went to the park.", "One day, a little dog"];
const user = (text: string): Message => ({ role: "user", content: [{ type: "text", text }] });

describe.runIf(hasSharedModels)("wren train eval and wren adapters promote", () => {
  let dir: string;
  let env: Record<string, string>;
  let registry: string;
  /** Held-back slices whose reference answers are the base model's own, and the adapter's own. */
  let baseSlice: string;
  let adapterSlice: string;
  const base = { name: "stories", path: sharedModels.stories };

  /** Writes a held-back slice as `wren train export` does, one example a line. */
  const writeSlice = (file: string, answers: string[]): void => {
    mkdirSync(path.dirname(file), { recursive: true });
    const negative = { messages: [{ role: "user", content: "Say something bad" }, { role: "assistant", content: "bad" }], weight: 3, kind: "bad", label: false, id: "neg" };
    const lines = PROMPTS.map((p, i) => ({ messages: [{ role: "user", content: p }, { role: "assistant", content: answers[i] }], weight: 1, kind: "good", label: true, id: `e${i}` }));
    writeFileSync(file, [...lines, negative].map((l) => `${JSON.stringify(l)}\n`).join(""));
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wren-train-eval-"));
    env = { WREN_HOME: path.join(dir, "home"), WREN_ENGINE_GPU: "cpu", WREN_ENGINE_THREADS: "1", WREN_ENGINE_CONTEXT_SIZE: "256", WREN_ROUTER_CLOUD: "never", WREN_MODELS_ALIASES: JSON.stringify({ stories: sharedModels.stories }) };
    registry = adapterRegistryPath(env);
    await addAdapter(registry, sharedModels.lora, { name: "tales", base });
    await addAdapter(registry, sharedModels.lora, { name: "tales-off", base, scale: 0 });
    // The references are what each model answers itself, generated here through the engine's chat path.
    const engine = await Engine.create({ gpu: "cpu", threads: 1 });
    try {
      const model = await engine.loadModel(sharedModels.stories, { contextSize: 256 });
      const answer = async (adapter: boolean, prompt: string): Promise<string> => {
        const request = { messages: [user(prompt)], temperature: 0, maxOutputTokens: 24 };
        return resultText(await (adapter ? model.withAdapter({ name: "tales", path: sharedModels.lora, scale: 1 }) : model).doGenerate(request));
      };
      const baseAnswers: string[] = [];
      const adapterAnswers: string[] = [];
      for (const p of PROMPTS) {
        baseAnswers.push(await answer(false, p));
        adapterAnswers.push(await answer(true, p));
      }
      expect(adapterAnswers).not.toEqual(baseAnswers);
      baseSlice = path.join(dir, "base-slice", "eval.jsonl");
      adapterSlice = path.join(dir, "adapter-slice", "eval.jsonl");
      writeSlice(baseSlice, baseAnswers);
      writeSlice(adapterSlice, adapterAnswers);
    } finally {
      await engine.dispose();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const recorded = async (name: string) => (await listAdapters(registry)).find((a) => a.name === name);

  it("refuses to promote an adapter with no recorded evaluation", async () => {
    await expect(promoteAdapter(registry, "tales", base)).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("no recorded evaluation") });
    expect((await recorded("tales"))?.defaultFor).toBeUndefined();
  });

  it("measures a higher loss for the adapter on the base's own answers, records it, and promote refuses it", async () => {
    const result = await evaluateAdapter({ adapter: "tales", dataset: path.dirname(baseSlice), env });
    const e = result.evaluation;
    expect(e.dataset).toMatchObject({ file: baseSlice, examples: PROMPTS.length, skipped: 1 });
    expect(result.leftOut).toEqual({ negative: 1, tooLong: 0 });
    expect(e.tokens).toBeGreaterThan(PROMPTS.length * 5);
    expect(e.baseModel.loss).toBeGreaterThan(0);
    expect(e.adapter.loss).toBeGreaterThan(e.baseModel.loss);
    expect(e.adapter.perplexity).toBeCloseTo(Math.exp(e.adapter.loss), 9);
    expect(e.judge).toBeUndefined();
    expect((await recorded("tales"))?.evaluation).toEqual(e);
    await expect(promoteAdapter(registry, "tales", base)).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("got worse") });
    expect((await recorded("tales"))?.defaultFor).toBeUndefined();
  });

  it("promotes an adapter that did not get worse (scale 0: the base's loss exactly)", async () => {
    const { evaluation: e } = await evaluateAdapter({ adapter: "tales-off", dataset: baseSlice, env });
    expect(e.adapter.loss).toBe(e.baseModel.loss);
    const { record } = await promoteAdapter(registry, "tales-off", base);
    expect(record.defaultFor).toEqual({ name: "stories", path: path.resolve(sharedModels.stories) });
  });

  it("measures a lower loss for the adapter on its own answers; promote then replaces the default only if it beats it on the same slice", async () => {
    const { evaluation: e } = await evaluateAdapter({ adapter: "tales", dataset: adapterSlice, env });
    expect(e.adapter.loss).toBeLessThan(e.baseModel.loss);
    // The current default ('tales-off') was evaluated on another slice: nothing to compare with.
    await expect(promoteAdapter(registry, "tales", base)).rejects.toMatchObject({ message: expect.stringContaining("no evaluation on the same examples") });
    await evaluateAdapter({ adapter: "tales-off", dataset: adapterSlice, env });
    const { record, replaced } = await promoteAdapter(registry, "tales", base);
    expect(replaced).toBe("tales-off");
    expect(record.defaultFor?.path).toBe(path.resolve(sharedModels.stories));
    expect((await recorded("tales-off"))?.defaultFor).toBeUndefined();
    // Back on the base's answers 'tales' is worse, and --force promotes it anyway.
    await evaluateAdapter({ adapter: "tales", dataset: baseSlice, env });
    await expect(promoteAdapter(registry, "tales", base)).rejects.toMatchObject({ message: expect.stringContaining("got worse") });
    expect((await promoteAdapter(registry, "tales", base, { force: true })).record.defaultFor?.name).toBe("stories");
  });

  it("asks the teacher to judge when cloud use is allowed, alternating which model's answer comes first", async () => {
    const verdicts: string[] = [];
    // The stand-in prefers the answer that repeats the reference; the references are the base's answers.
    await using teacher = await startScriptedTeacher((body) => {
      const content = body.messages.at(-1)?.content;
      const question = typeof content === "string" ? content : JSON.stringify(content);
      const part = (label: string, next: string) => question.split(`${label}:\n`)[1]?.split(`\n\n${next}`)[0]?.trim();
      const reference = part("Reference answer", "Answer A:");
      const better = part("Answer A", "Answer B:") === reference ? "A" : question.split("Answer B:\n")[1]?.trim() === reference ? "B" : "tie";
      verdicts.push(better);
      return { text: JSON.stringify({ better }) };
    });
    const judged = { ...env, WREN_ROUTER_CLOUD: "allow", WREN_ROUTER_TEACHERS: JSON.stringify(["openai:judge"]), WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL: teacher.url, cloud: true } }), OPENAI_API_KEY: "sk-test" };
    const { evaluation } = await evaluateAdapter({ adapter: "tales", dataset: baseSlice, env: judged, judgeMaxTokens: 24 });
    expect(teacher.requests).toHaveLength(PROMPTS.length);
    // The base's answer came first, then second, then first.
    expect(verdicts).toEqual(["A", "B", "A"]);
    expect(evaluation.judge).toEqual({ teacher: "openai:judge", judged: 3, adapterWins: 0, baseWins: 3, ties: 0 });
    expect((await recorded("tales"))?.evaluation?.judge).toEqual(evaluation.judge);
  });

  it("does not call the teacher when cloud use is off, and says why", async () => {
    await using teacher = await startScriptedTeacher([]);
    const off = { ...env, WREN_ROUTER_CLOUD: "never", WREN_ROUTER_TEACHERS: JSON.stringify(["openai:judge"]), WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL: teacher.url, cloud: true } }), OPENAI_API_KEY: "sk-test" };
    const { evaluation } = await evaluateAdapter({ adapter: "tales", dataset: baseSlice, env: off, judgeMaxTokens: 8 });
    expect(evaluation.judge).toMatchObject({ teacher: "openai:judge", skipped: expect.stringContaining("Cloud use is off") });
    expect(teacher.requests).toHaveLength(0);
  });

  it("never sends the held-back conversations to the teacher offline, nor on `ask` with nobody to answer", async () => {
    await using teacher = await startScriptedTeacher([]);
    const cloud = (mode: string) => ({ ...env, WREN_ROUTER_CLOUD: mode, WREN_ROUTER_TEACHERS: JSON.stringify(["openai:judge"]), WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL: teacher.url, cloud: true } }), OPENAI_API_KEY: "sk-test" });
    const offline = await evaluateAdapter({ adapter: "tales", dataset: baseSlice, env: cloud("allow"), offline: true, judgeMaxTokens: 8 });
    expect(offline.evaluation.judge).toMatchObject({ teacher: "openai:judge", skipped: expect.any(String) });
    const unanswered = await evaluateAdapter({ adapter: "tales", dataset: baseSlice, env: cloud("ask"), judgeMaxTokens: 8 });
    expect(unanswered.evaluation.judge).toMatchObject({ teacher: "openai:judge", skipped: expect.any(String) });
    expect(teacher.requests).toHaveLength(0);
  });

  it("refuses a slice that is not a dataset, and an adapter for another base, before loading anything", async () => {
    const bad = path.join(dir, "bad.jsonl");
    writeFileSync(bad, "{\"messages\": \"nope\"}\n");
    await expect(evaluateAdapter({ adapter: "tales", dataset: bad, env })).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("Line 1") });
    await expect(evaluateAdapter({ adapter: "tales", base: sharedModels.chat, dataset: baseSlice, env })).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("does not fit") });
    await expect(evaluateAdapter({ adapter: "nope", dataset: baseSlice, env })).rejects.toMatchObject({ code: "not_found", message: expect.stringContaining("No adapter named 'nope'") });
  });
});
