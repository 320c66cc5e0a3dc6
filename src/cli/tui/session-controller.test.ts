import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startScriptedTeacher } from "../../../test/helpers/fake-upstreams/scripted-teacher.js";
import { teacherEnv } from "../../../test/helpers/teacher-env.js";
import { defaultConfig, loadConfig } from "../../config/index.js";
import { ConsentGate } from "../../router/consent.js";
import { openAgentRun } from "../../runtime/agent.js";
import { PromptHistory } from "./history.js";
import { SessionController } from "./session-controller.js";
import { runSlash } from "./slash-commands.js";
import { statusLines } from "./status-format.js";

let dir: string;
let controller: SessionController;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "wren-session-controller-"));
  const write = (): void => undefined;
  controller = new SessionController({ config: defaultConfig({ env: {} }), model: "auto", history: new PromptHistory(path.join(dir, "history.jsonl")), cwd: dir, write });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the cloud consent dialog", () => {
  it("closes, as a no, when the router withdraws its question: every request waiting on it was cancelled", async () => {
    const gate = new ConsentGate({ policy: "ask", ask: controller.cloudConsent });
    const first = new AbortController();
    const second = new AbortController();
    const checks = [gate.check("openai:gpt-4o-mini", first.signal), gate.check("openai:gpt-4o-mini", second.signal)];
    expect(controller.question).toMatchObject({ kind: "consent", target: "openai:gpt-4o-mini" });

    // One request of two went away: the other still waits on the answer, so the dialog stays up.
    first.abort();
    expect((await checks[0])?.code).toBe("aborted");
    expect(controller.question?.kind).toBe("consent");
    // The last one went away: the question is withdrawn and its dialog taken down.
    second.abort();
    expect((await checks[1])?.code).toBe("aborted");
    expect(controller.question).toBeUndefined();

    // The next request asks again, and the user's yes lets it through.
    const next = gate.check("openai:gpt-4o-mini");
    const asked = controller.question;
    expect(asked?.kind).toBe("consent");
    if (asked?.kind === "consent") asked.answer(true);
    expect(await next).toBeUndefined();
    expect(controller.question).toBeUndefined();
  });

  it("settles to no when its signal aborts, and to no at once when it has already aborted", async () => {
    const withdraw = new AbortController();
    const answer = controller.cloudConsent("anthropic:claude", withdraw.signal);
    expect(controller.question?.kind).toBe("consent");
    withdraw.abort();
    expect(await answer).toBe(false);
    expect(controller.question).toBeUndefined();

    expect(await controller.cloudConsent("anthropic:claude", AbortSignal.abort())).toBe(false);
    expect(controller.question).toBeUndefined();
  });

  it("a withdrawn question does not take down the dialog shown after it", async () => {
    const withdraw = new AbortController();
    const consent = controller.cloudConsent("openai:gpt-4o-mini", withdraw.signal);
    const picked = controller.pickSession([]);
    expect(controller.question?.kind).toBe("resume");
    withdraw.abort();
    expect(await consent).toBe(false);
    const shown = controller.question;
    expect(shown?.kind).toBe("resume");
    if (shown?.kind === "resume") shown.answer(undefined);
    expect(await picked).toBeUndefined();
  });
});

describe("the session's token count (status line and /cost)", () => {
  it("counts every model call of the session, its prompt-cache reads and writes within the tokens in, as --output-format json does", async () => {
    const usage = (prompt: number, cached: number, written: number, completion: number) => ({
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: cached, cache_write_tokens: written },
    });
    // Three prompts, then /compact's summary request: every one of them is a model call of the session.
    await using teacher = await startScriptedTeacher([
      { text: "One.", usage: usage(3000, 0, 2900, 5) },
      { text: "Two.", usage: usage(3100, 2900, 0, 4) },
      { text: "Three.", usage: usage(3200, 3000, 100, 3) },
      { text: "The user said hello three times.", usage: usage(900, 0, 0, 20) },
    ]);
    const project = path.join(dir, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    const env = teacherEnv(path.join(dir, "home"), teacher.url);
    const { config } = await loadConfig({ env, cwd: project, home: dir });
    await using run = await openAgentRun({ config, model: "openai:gpt-4o-mini", allow: [], deny: [], cwd: project, env, signal: new AbortController().signal });
    const session = new SessionController({ config, model: "openai:gpt-4o-mini", history: new PromptHistory(path.join(dir, "history.jsonl")), cwd: project, write: () => undefined });
    session.attach(run, false);
    for (const prompt of ["hello", "hello again", "and hello"]) await session.prompt(prompt);
    await runSlash(session, "/compact");
    expect(teacher.requests).toHaveLength(4);

    const counted = { inputTokens: 10200, cachedInputTokens: 5900, cacheWriteInputTokens: 3000, outputTokens: 32 };
    await vi.waitFor(() => expect(session.snapshot().status).toMatchObject(counted));
    const line = statusLines(session.snapshot().status, "default", true)[0]!.map((p) => p.text).join("");
    expect(line).toContain(" · 10200 in (5900 cached, 3000 cache write) / 32 out · ");
    await runSlash(session, "/cost");
    await vi.waitFor(() => expect(session.snapshot().items.at(-1)).toMatchObject({ kind: "notice", text: expect.stringMatching(/^10200 tokens in \(5900 read from a prompt cache, 3000 written to one\), 32 out; \$/) }));
    await session.close();
  });
});
