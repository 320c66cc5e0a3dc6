import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { useTempHome } from "../../test/helpers/temp-home.js";
import { Session } from "../agent/session.js";
import { readTranscript, sessionDiskError } from "../agent/transcript.js";
import { runPrint } from "./print.js";

// A fresh home in which no model is found: none in wren's store, Ollama's or LM Studio's, no default.
const temp = useTempHome("wren-print-failed-start-", { project: true, env: { WREN_MODELS_DEFAULT: "" } });
beforeEach(() => vi.stubEnv("OLLAMA_MODELS", path.join(temp.root, "no-ollama")));

const flags = (outputFormat: "text" | "json" | "stream-json") => ({ outputFormat, model: "nope", offline: true, allow: [], deny: [] });
const sessionsDir = (): string => path.join(temp.home, "state", "sessions");
const sessions = (): string[] => (existsSync(sessionsDir()) ? readdirSync(sessionsDir()).filter((f) => f.endsWith(".jsonl")) : []);

/** `wren -p --model nope "hi"` in a fresh home: said in two lines, exit 3, and no session left behind. */
describe("wren -p with a model that does not exist", () => {
  it("text: says there is no model 'nope' and how to list and pull models, on two lines", async () => {
    expect(await runPrint(["hi"], flags("text"))).toBe(3);
    expect(temp.printed.out).toBe("");
    expect(temp.printed.err).toBe(
      'wren: There is no model "nope" (wren looked in its store, Ollama, LM Studio and the catalog).\n' +
        "  `wren models list` shows the models here; `wren pull NAME` gets one (`wren models recommend` names one for this machine).\n",
    );
    expect(sessions()).toEqual([]);
  });

  it("json: the result's session_id is null, since no session was kept", async () => {
    expect(await runPrint(["hi"], flags("json"))).toBe(3);
    const result = JSON.parse(temp.printed.out) as Record<string, unknown>;
    expect(result).toMatchObject({ session_id: null, stop_reason: "error", is_error: true, error: { code: "model_not_found" } });
    expect(sessions()).toEqual([]);
  });

  it("stream-json: the session its first line names is kept, and the result names the same one", async () => {
    expect(await runPrint(["hi"], flags("stream-json"))).toBe(3);
    const lines = temp.printed.out.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    const opening = lines[0];
    const result = lines.at(-1);
    expect(opening).toMatchObject({ type: "session", session_id: expect.any(String) });
    expect(result).toMatchObject({ type: "result", session_id: opening?.["session_id"], stop_reason: "error", error: { code: "model_not_found" } });
    expect(sessions()).toEqual([`${String(opening?.["session_id"])}.jsonl`]);
  });
});

/**
 * A run that throws rather than ending with an error (here the prompt's transcript write fails: the
 * disk was full for a moment) after stream-json's first line named the session: that session stays,
 * its end recording the error, and the result names it; text and json, which named no session
 * before the end, leave none and say null.
 */
describe("wren -p whose run throws after it started", () => {
  beforeEach(() => {
    // The prompt's record fails as a full disk fails a write (the message held, not written); the records after it are written.
    vi.spyOn(Session.prototype, "push").mockImplementationOnce(function (this: Session, message) {
      this.messages.push(message);
      const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      throw sessionDiskError(full, "write", `the session transcript ${this.file}`, this.file);
    });
  });

  it("stream-json: the session its first line named is kept, its end records the error, and the result names it", async () => {
    expect(await runPrint(["hi"], flags("stream-json"))).toBe(1);
    const lines = temp.printed.out.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    const id = String(lines[0]?.["session_id"]);
    expect(lines[0]).toMatchObject({ type: "session", session_id: expect.any(String) });
    expect(lines.at(-1)).toMatchObject({ type: "result", session_id: id, stop_reason: "error", error: { message: expect.stringContaining("no space left") } });
    expect(sessions()).toEqual([`${id}.jsonl`]);
    const end = readTranscript(path.join(sessionsDir(), `${id}.jsonl`)).at(-1);
    expect(end).toMatchObject({ type: "end", reason: "error", error: { message: expect.stringContaining("no space left") } });
  });

  it("json: no session is kept, and the result says session_id null", async () => {
    expect(await runPrint(["hi"], flags("json"))).toBe(1);
    expect(JSON.parse(temp.printed.out)).toMatchObject({ session_id: null, stop_reason: "error", error: { message: expect.stringContaining("no space left") } });
    expect(sessions()).toEqual([]);
  });

  it("text: no session is kept", async () => {
    expect(await runPrint(["hi"], flags("text"))).toBe(1);
    expect(temp.printed.err).toContain("no space left");
    expect(sessions()).toEqual([]);
  });
});
