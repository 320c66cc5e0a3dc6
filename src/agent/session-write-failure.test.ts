import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Message } from "../protocol/index.js";
import { readTranscript } from "./transcript.js";

const session = fileURLToPath(new URL("./session.ts", import.meta.url));
const protocol = fileURLToPath(new URL("../protocol/index.ts", import.meta.url));

/**
 * A transcript write that fails part-way (the disk full, the file at its size limit) must leave the
 * conversation in memory and the file on disk alike. The child process runs under a real file-size
 * limit (`ulimit -f`), a failure an open transcript meets for real without root (a file made
 * unwritable or a folder removed does not stop writes to a file already open): past the limit a
 * write is cut short, then refused (EFBIG, SIGXFSZ ignored), as on a disk that fills up (ENOSPC).
 */
describe.skipIf(process.platform === "win32")("a transcript write that fails", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "wren-session-write-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("leaves the message out of the conversation and the file, says why, and the next message is recorded whole", () => {
    const script = path.join(dir, "child.ts");
    writeFileSync(
      script,
      `import { Session } from ${JSON.stringify(session)};
import { userText } from ${JSON.stringify(protocol)};
process.on("SIGXFSZ", () => undefined);
const s = Session.create({ dir: ${JSON.stringify(path.join(dir, "sessions"))}, cwd: "/", projectRoot: "/", model: "auto", mode: "default", system: "s", tools: [] });
s.push(userText("one"));
let error = "";
try {
  s.push(userText("x".repeat(12000)));
} catch (e) {
  error = e instanceof Error ? e.message : String(e);
}
s.push({ role: "assistant", content: [{ type: "text", text: "two" }] });
s.sync();
s[Symbol.dispose]();
process.stdout.write(JSON.stringify({ file: s.file, error, messages: s.messages }));
`,
    );
    const tsx = path.resolve(fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url)));
    const run = spawnSync("bash", ["-c", `ulimit -f 8 && exec "${tsx}" "${script}"`], { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    const out = JSON.parse(run.stdout) as { file: string; error: string; messages: Message[] };
    expect(out.error).toMatch(/^Cannot write to the session transcript .*: the file has reached the largest size this process may write/);
    expect(out.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "one" }] },
      { role: "assistant", content: [{ type: "text", text: "two" }] },
    ]);
    // The file holds what the conversation holds, every line whole.
    const records = readTranscript(out.file);
    expect(records.flatMap((r) => (r.type === "message" ? [r.message] : []))).toEqual(out.messages);
  });
});
