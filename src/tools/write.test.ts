import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, toolContext } from "../../test/helpers/tool-context.js";
import type { FileChangeData } from "./file-change.js";
import { FileReadLedger } from "./file-ledger.js";
import { readTool } from "./read.js";
import { runTool } from "./run-tool.js";
import { writeTool } from "./write.js";

describe("Write", () => {
  it("creates a file and its folders, with a diff from nothing", async () => {
    await using dir = await tempDir();
    const result = await runTool(writeTool, { file_path: "a/b/c.txt", content: "one\ntwo\n" }, toolContext(dir.path, { files: new FileReadLedger() }));
    expect(result.isError).toBe(false);
    expect(await fs.readFile(path.join(dir.path, "a", "b", "c.txt"), "utf8")).toBe("one\ntwo\n");
    const data = result.data as FileChangeData;
    expect(data).toMatchObject({ created: true, additions: 2, deletions: 0 });
    expect(data.diff).toContain("@@ -0,0 +1,2 @@\n+one\n+two\n");
    expect(result.display).toBe(`Created ${path.join("a", "b", "c.txt")}. (+2 -0)`);
  });

  it("replaces an existing file only after a Read, keeping its CRLF line endings", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "w.txt");
    await fs.writeFile(file, "old\r\ntext\r\n");
    const ctx = toolContext(dir.path, { files: new FileReadLedger() });
    const refused = await runTool(writeTool, { file_path: file, content: "new\n" }, ctx);
    expect(refused.isError).toBe(true);
    expect(refused.llmContent).toContain("Read it first");
    expect(await fs.readFile(file, "utf8")).toBe("old\r\ntext\r\n");

    await runTool(readTool, { file_path: file }, ctx);
    const written = await runTool(writeTool, { file_path: file, content: "new\ntext\n" }, ctx);
    expect(written.isError).toBe(false);
    expect(await fs.readFile(file, "utf8")).toBe("new\r\ntext\r\n");
    expect(written.data).toMatchObject({ created: false, additions: 1, deletions: 1 });
  });

  it("replacing a file whose lines end in both LF and CRLF, keeps the ending of every line it leaves as it was", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "mixed.txt");
    await fs.writeFile(file, "one\ntwo\r\nthree\n");
    const written = await runTool(writeTool, { file_path: file, content: "one\ntwo\nTHREE\nfour\n" }, toolContext(dir.path));
    expect(written.isError).toBe(false);
    expect(await fs.readFile(file, "utf8")).toBe("one\ntwo\r\nTHREE\nfour\n");
  });

  it("writes a new file in the line endings the model gave", async () => {
    await using dir = await tempDir();
    await runTool(writeTool, { file_path: "dos.bat", content: "@echo off\r\necho hi\r\n" }, toolContext(dir.path));
    expect(await fs.readFile(path.join(dir.path, "dos.bat"), "utf8")).toBe("@echo off\r\necho hi\r\n");
  });

  it.runIf(process.platform !== "win32")("writes through a symlink to the file it names", async () => {
    await using dir = await tempDir();
    const target = path.join(dir.path, "real.txt");
    await fs.writeFile(target, "before\n");
    await fs.symlink(target, path.join(dir.path, "link.txt"));
    await runTool(writeTool, { file_path: "link.txt", content: "after\n" }, toolContext(dir.path));
    expect((await fs.lstat(path.join(dir.path, "link.txt"))).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(target, "utf8")).toBe("after\n");
  });

  it.runIf(process.platform !== "win32")("keeps the exact mode of the file it replaces, bits the umask would take away included", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "shared.txt");
    await fs.writeFile(file, "before\n");
    // Group-writable: a umask of 022 takes that bit away from a file created with this mode.
    await fs.chmod(file, 0o660);
    const written = await runTool(writeTool, { file_path: "shared.txt", content: "after\n" }, toolContext(dir.path));
    expect(written.isError).toBe(false);
    expect(await fs.readFile(file, "utf8")).toBe("after\n");
    expect((await fs.stat(file)).mode & 0o777).toBe(0o660);
    expect(await fs.readdir(dir.path)).toEqual(["shared.txt"]);
  });

  it("refuses to write over a folder or a binary file", async () => {
    await using dir = await tempDir();
    await fs.mkdir(path.join(dir.path, "sub"));
    expect((await runTool(writeTool, { file_path: "sub", content: "x" }, toolContext(dir.path))).llmContent).toContain("is a directory");
    await fs.writeFile(path.join(dir.path, "b.bin"), Buffer.from([0, 1, 2]));
    expect((await runTool(writeTool, { file_path: "b.bin", content: "x" }, toolContext(dir.path))).llmContent).toContain("binary file");
  });

  it("refuses to write over a file that is binary past its first kilobytes, or not UTF-8, and leaves its bytes as they were", async () => {
    await using dir = await tempDir();
    const mixed = Buffer.concat([Buffer.from("text line\n".repeat(2000)), Buffer.from([0x00, 0xff, 0x10, 0x00])]);
    await fs.writeFile(path.join(dir.path, "mixed.dat"), mixed);
    const binary = await runTool(writeTool, { file_path: "mixed.dat", content: "x" }, toolContext(dir.path));
    expect(binary.llmContent).toContain("is a binary file (text up to byte 20000, then binary data)");
    expect(await fs.readFile(path.join(dir.path, "mixed.dat"))).toEqual(mixed);
    const latin1 = Buffer.from("Le café est prêt.\n", "latin1");
    await fs.writeFile(path.join(dir.path, "notes.txt"), latin1);
    const refused = await runTool(writeTool, { file_path: "notes.txt", content: "Le caf\uFFFD est pr\uFFFDt.\n" }, toolContext(dir.path));
    expect(refused.isError).toBe(true);
    expect(refused.llmContent).toContain("is not UTF-8 text (byte 6 is not UTF-8");
    expect(await fs.readFile(path.join(dir.path, "notes.txt"))).toEqual(latin1);
  });

  it.runIf(process.platform !== "win32")("refuses a FIFO without opening it and leaves it a FIFO", { timeout: 10_000 }, async () => {
    await using dir = await tempDir();
    const pipe = path.join(dir.path, "pipe");
    execFileSync("mkfifo", [pipe]);
    const result = await runTool(writeTool, { file_path: "pipe", content: "x" }, toolContext(dir.path));
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain(`${pipe} is a FIFO (named pipe), not a regular file; only regular files can be changed`);
    expect((await fs.stat(pipe)).isFIFO()).toBe(true);
  });
});
