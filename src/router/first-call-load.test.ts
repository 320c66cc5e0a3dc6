import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { register } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { streamParts } from "../../test/helpers/fake-upstreams/conformance.js";
import { startFakeUpstream, type DialectName } from "../../test/helpers/fake-upstreams/index.js";
import { streamedText as text, TEACHER as teacher, teacherRouter } from "../../test/helpers/fake-upstreams/teacher-router.js";
import { userText } from "../protocol/index.js";

/** Holds a package's import until a file exists, in this process (see the helper). */
const hooks = new URL("../../test/helpers/hold-import-hooks.mjs", import.meta.url);

const CONNECT_MS = 1_000;

// What each provider loads on its first call. In this order: undici, the OpenAI-compatible
// provider's, is the others' connection pool too, and a module loads once per process.
const firstLoad: Array<[DialectName, string]> = [
  ["openai", "undici"],
  ["anthropic", "@anthropic-ai/sdk"],
  ["gemini", "@google/genai"],
  ["ollama", "ollama"],
];

describe("a teacher's first call, whose provider loads its library then", () => {
  it.each(firstLoad)("%s: the load (%s) does not count against the teacher's connect limit", async (dialect, library) => {
    const dir = mkdtempSync(path.join(tmpdir(), "wren-first-load-"));
    const release = path.join(dir, "release");
    const started = path.join(dir, "started");
    register(hooks, { data: { url: import.meta.resolve(library), release, started } });
    const upstream = await startFakeUpstream(dialect);
    try {
      using built = teacherRouter({ dialect, url: upstream.url, limits: { connectMs: CONNECT_MS } });
      const answer = streamParts(built.router.doStream({ messages: [userText("Hi")] }));
      // The load begins after any clock the call starts. Held past the connect limit, by a timer
      // armed after that clock's: a clock running during the load has run out before it is let go.
      await expect.poll(() => existsSync(started), { timeout: 30_000, message: `${library} was loaded before this test` }).toBe(true);
      await sleep(CONNECT_MS + 200);
      writeFileSync(release, "");
      const parts = await answer;
      expect(built.log.list()[0]!.attempts.map((a) => [a.target, a.outcome, a.detail])).toEqual([[teacher[dialect], "ok", undefined]]);
      expect(text(parts)).toBe("Hello from the cloud.");
      expect(upstream.chatCount).toBe(1);
    } finally {
      writeFileSync(release, "");
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
