import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, toolContext } from "../../test/helpers/tool-context.js";
import { editTool } from "./edit.js";
import type { FileChangeData } from "./file-change.js";
import { FileReadLedger } from "./file-ledger.js";
import { readTool } from "./read.js";
import { runTool } from "./run-tool.js";

describe("Edit", () => {
  it("replaces a unique match and shows the change as a unified diff", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "a.ts");
    await fs.writeFile(file, "const a = 1;\nconst b = 2;\nconst c = 3;\n");
    const result = await runTool(editTool, { file_path: "a.ts", old_string: "const b = 2;", new_string: "const b = 20;" }, toolContext(dir.path));
    expect(result.isError).toBe(false);
    expect(await fs.readFile(file, "utf8")).toBe("const a = 1;\nconst b = 20;\nconst c = 3;\n");
    const data = result.data as FileChangeData;
    expect(data).toMatchObject({ kind: "diff", path: file, created: false, additions: 1, deletions: 1 });
    expect(data.diff).toContain("--- a/a.ts\n+++ b/a.ts\n@@ -1,3 +1,3 @@\n const a = 1;\n-const b = 2;\n+const b = 20;\n const c = 3;\n");
    expect(result.llmContent).toContain("replaced 1 occurrence");
    expect(result.llmContent).toContain("+const b = 20;");
    expect(result.display).toBe("Edited a.ts: replaced 1 occurrence. (+1 -1)");
    expect(editTool.permission({ file_path: "a.ts", old_string: "x", new_string: "y", replace_all: false }, toolContext(dir.path))).toEqual({
      tool: "Edit",
      effect: "write",
      paths: [file],
    });
  });

  it("leaves a file that is text for its first kilobytes and binary after them as it was, byte for byte", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "firmware.img");
    const tail = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 131) % 256));
    const bytes = Buffer.concat([Buffer.from("version = 1\n"), Buffer.from("# padding\n".repeat(1000)), tail]);
    await fs.writeFile(file, bytes);
    const ctx = toolContext(dir.path, { files: new FileReadLedger() });
    expect((await runTool(readTool, { file_path: file, limit: 1 }, ctx)).isError).toBe(false);
    const result = await runTool(editTool, { file_path: file, old_string: "version = 1", new_string: "version = 2" }, ctx);
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain(`is a binary file (text up to byte ${bytes.length - tail.length}, then binary data)`);
    expect(await fs.readFile(file)).toEqual(bytes);
  });

  it("refuses to change a Latin-1 file, whose other accents it would turn into U+FFFD, and says how to do it", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "menu.txt");
    const bytes = Buffer.from("Café crème\nprice = 3\nThé glacé\n", "latin1");
    await fs.writeFile(file, bytes);
    const result = await runTool(editTool, { file_path: file, old_string: "price = 3", new_string: "price = 4" }, toolContext(dir.path));
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain("is not UTF-8 text (byte 3 is not UTF-8");
    expect(result.llmContent).toContain("iconv");
    expect(await fs.readFile(file)).toEqual(bytes);
  });

  it("refuses an ambiguous match unless replace_all, and keeps $ patterns literal", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "a.txt");
    await fs.writeFile(file, "x = 1\nx = 1\n");
    const ambiguous = await runTool(editTool, { file_path: file, old_string: "x = 1", new_string: "y" }, toolContext(dir.path));
    expect(ambiguous.isError).toBe(true);
    expect(ambiguous.llmContent).toContain("occurs 2 times");
    expect(await fs.readFile(file, "utf8")).toBe("x = 1\nx = 1\n");

    const all = await runTool(editTool, { file_path: file, old_string: "x = 1", new_string: "$& $1 $$", replace_all: true }, toolContext(dir.path));
    expect(all.llmContent).toContain("replaced 2 occurrences");
    expect(await fs.readFile(file, "utf8")).toBe("$& $1 $$\n$& $1 $$\n");
  });

  it("says when old_string is missing, and spots Read's line numbers pasted into it", async () => {
    await using dir = await tempDir();
    await fs.writeFile(path.join(dir.path, "a.txt"), "alpha\nbeta\n");
    const missing = await runTool(editTool, { file_path: "a.txt", old_string: "gamma", new_string: "delta" }, toolContext(dir.path));
    expect(missing.isError).toBe(true);
    expect(missing.llmContent).toContain("old_string was not found");
    const numbered = await runTool(editTool, { file_path: "a.txt", old_string: "     2\tbeta", new_string: "b" }, toolContext(dir.path));
    expect(numbered.llmContent).toContain("line-number prefixes");
    await fs.writeFile(path.join(dir.path, "b.py"), "def f():\n    if x:\n        return 1\n");
    const spacing = await runTool(editTool, { file_path: "b.py", old_string: "  if x:\n    return 1", new_string: "pass" }, toolContext(dir.path));
    expect(spacing.llmContent).toContain("It occurs at line 2 with different indentation or spacing");
    const same = await runTool(editTool, { file_path: "a.txt", old_string: "beta", new_string: "beta" }, toolContext(dir.path));
    expect(same.llmContent).toContain("the same");
  });

  it("keeps CRLF line endings, the byte-order mark and the file mode, and leaves no temporary file", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "win.txt");
    await fs.writeFile(file, "\uFEFFone\r\ntwo\r\nthree\r\n", { mode: 0o640 });
    await fs.chmod(file, 0o640);
    const result = await runTool(editTool, { file_path: file, old_string: "two\nthree", new_string: "2\n3\n3.5" }, toolContext(dir.path));
    expect(result.isError).toBe(false);
    expect(await fs.readFile(file, "utf8")).toBe("\uFEFFone\r\n2\r\n3\r\n3.5\r\n");
    if (process.platform !== "win32") expect((await fs.stat(file)).mode & 0o777).toBe(0o640);
    expect(await fs.readdir(dir.path)).toEqual(["win.txt"]);
  });

  it("in a file whose lines end in both LF and CRLF, changes only the text replaced: every other line keeps its own ending", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "mixed.txt");
    // A fixture with one CRLF line among LF ones (an HTTP request in a test, a .bat snippet).
    await fs.writeFile(file, "first\nGET / HTTP/1.1\r\nHost: x\r\n\r\nlast\n");
    const one = await runTool(editTool, { file_path: file, old_string: "last", new_string: "final\nline" }, toolContext(dir.path));
    expect(one.isError).toBe(false);
    expect(await fs.readFile(file, "utf8")).toBe("first\nGET / HTTP/1.1\r\nHost: x\r\n\r\nfinal\nline\n");
    expect(one.data).toMatchObject({ additions: 2, deletions: 1 });
    // Across lines of both kinds, and every occurrence: the lines around keep theirs.
    const all = await runTool(editTool, { file_path: file, old_string: "x\n\nfinal", new_string: "y\n\nFINAL" }, toolContext(dir.path));
    expect(all.isError).toBe(false);
    expect(await fs.readFile(file, "utf8")).toBe("first\nGET / HTTP/1.1\r\nHost: y\r\n\r\nFINAL\nline\n");
    const every = await runTool(editTool, { file_path: file, old_string: "i", new_string: "I", replace_all: true }, toolContext(dir.path));
    expect(every.isError).toBe(false);
    expect(await fs.readFile(file, "utf8")).toBe("fIrst\nGET / HTTP/1.1\r\nHost: y\r\n\r\nFINAL\nlIne\n");
  });

  it("with a read ledger, edits only files read in this session and unchanged since", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "a.txt");
    await fs.writeFile(file, "one\n");
    const ctx = toolContext(dir.path, { files: new FileReadLedger() });
    const unread = await runTool(editTool, { file_path: file, old_string: "one", new_string: "two" }, ctx);
    expect(unread.isError).toBe(true);
    expect(unread.llmContent).toContain("You have not read");

    await runTool(readTool, { file_path: file }, ctx);
    expect((await runTool(editTool, { file_path: file, old_string: "one", new_string: "two" }, ctx)).isError).toBe(false);
    // Its own edit keeps the file current: a second edit needs no new Read.
    expect((await runTool(editTool, { file_path: file, old_string: "two", new_string: "three" }, ctx)).isError).toBe(false);

    await fs.writeFile(file, "changed by the user, longer than before\n");
    const stale = await runTool(editTool, { file_path: file, old_string: "changed", new_string: "x" }, ctx);
    expect(stale.isError).toBe(true);
    expect(stale.llmContent).toContain("changed on disk since you read it");
    expect(await fs.readFile(file, "utf8")).toBe("changed by the user, longer than before\n");
  });

  it("creates a new file from an empty old_string, and refuses one on a file with content", async () => {
    await using dir = await tempDir();
    const created = await runTool(editTool, { file_path: "new/b.txt", old_string: "", new_string: "hi\n" }, toolContext(dir.path));
    expect(created.isError).toBe(false);
    expect(created.data).toMatchObject({ created: true, additions: 1, deletions: 0 });
    expect(await fs.readFile(path.join(dir.path, "new", "b.txt"), "utf8")).toBe("hi\n");
    const refused = await runTool(editTool, { file_path: "new/b.txt", old_string: "", new_string: "again" }, toolContext(dir.path));
    expect(refused.llmContent).toContain("already has content");
    const missing = await runTool(editTool, { file_path: "none.txt", old_string: "a", new_string: "b" }, toolContext(dir.path));
    expect(missing.llmContent).toContain("File not found");
  });

  it.runIf(process.platform !== "win32")("refuses a FIFO instead of waiting to read it", { timeout: 10_000 }, async () => {
    await using dir = await tempDir();
    execFileSync("mkfifo", [path.join(dir.path, "pipe")]);
    const result = await runTool(editTool, { file_path: "pipe", old_string: "a", new_string: "b" }, toolContext(dir.path));
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain("is a FIFO (named pipe), not a regular file");
  });
});
