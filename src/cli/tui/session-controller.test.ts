import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../../config/index.js";
import { ConsentGate } from "../../router/consent.js";
import { PromptHistory } from "./history.js";
import { SessionController } from "./session-controller.js";

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
