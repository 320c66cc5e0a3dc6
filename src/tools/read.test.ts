import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, toolContext } from "../../test/helpers/tool-context.js";
import { FileReadLedger } from "./file-ledger.js";
import { READ_DEFAULT_LIMIT, READ_MAX_CHARS, READ_MAX_LINE_CHARS, readTool } from "./read.js";
import { runTool } from "./run-tool.js";

function png(width: number, height: number): Buffer {
  const bytes = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write("IHDR", 12, "latin1");
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes[24] = 8;
  bytes[25] = 6;
  return bytes;
}

describe("Read", () => {
  it("numbers lines like cat -n, relative paths against the working directory", async () => {
    await using dir = await tempDir();
    await fs.mkdir(path.join(dir.path, "src"));
    await fs.writeFile(path.join(dir.path, "src", "a.ts"), "first\n\tsecond\nthird\n");
    const ctx = toolContext(dir.path, { cwd: () => path.join(dir.path, "src") });
    const result = await runTool(readTool, { file_path: "a.ts" }, ctx);
    expect(result.isError).toBe(false);
    expect(result.llmContent).toBe("     1\tfirst\n     2\t\tsecond\n     3\tthird");
    expect(result.display).toBe(`Read 3 lines of ${path.join("src", "a.ts")}`);
    expect(readTool.permission({ file_path: "a.ts" }, ctx)).toEqual({ tool: "Read", effect: "read", paths: [path.join(dir.path, "src", "a.ts")] });
  });

  it("reads a window with offset and limit, and says where the rest is", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "long.txt");
    await fs.writeFile(file, Array.from({ length: READ_DEFAULT_LIMIT + 500 }, (_, i) => `line ${i + 1}`).join("\n"));
    const first = await runTool(readTool, { file_path: file }, toolContext(dir.path));
    const lines = first.llmContent.split("\n");
    expect(lines[READ_DEFAULT_LIMIT - 1]).toBe(`  ${READ_DEFAULT_LIMIT}\tline ${READ_DEFAULT_LIMIT}`);
    expect(first.llmContent).toContain(`Read with offset ${READ_DEFAULT_LIMIT + 1} for more`);

    const window = await runTool(readTool, { file_path: file, offset: 10, limit: 2 }, toolContext(dir.path));
    expect(window.llmContent.split("\n\n")[0]).toBe("    10\tline 10\n    11\tline 11");
    expect(window.data).toMatchObject({ kind: "text", startLine: 10, lines: 2, more: true });

    const tail = await runTool(readTool, { file_path: file, offset: READ_DEFAULT_LIMIT + 499 }, toolContext(dir.path));
    expect(tail.llmContent).toBe(`  ${READ_DEFAULT_LIMIT + 499}\tline ${READ_DEFAULT_LIMIT + 499}\n  ${READ_DEFAULT_LIMIT + 500}\tline ${READ_DEFAULT_LIMIT + 500}`);
  });

  it(`returns at most ${READ_MAX_CHARS} characters, however many lines were asked for`, async () => {
    await using dir = await tempDir();
    await fs.writeFile(path.join(dir.path, "wide.txt"), Array.from({ length: 200 }, () => "y".repeat(1500)).join("\n"));
    const result = await runTool(readTool, { file_path: "wide.txt" }, toolContext(dir.path));
    expect(result.llmContent.length).toBeLessThanOrEqual(READ_MAX_CHARS + 200);
    const shown = (result.data as { lines: number }).lines;
    expect(shown).toBeLessThan(200);
    expect(result.llmContent).toContain(`Read with offset ${shown + 1} for more`);
  });

  it("refuses an offset past the end, naming the line count", async () => {
    await using dir = await tempDir();
    await fs.writeFile(path.join(dir.path, "f.txt"), "a\nb\n");
    const result = await runTool(readTool, { file_path: "f.txt", offset: 5 }, toolContext(dir.path));
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain("has 2 lines; offset 5 is past the end");
  });

  it("cuts very long lines, drops CR of CRLF files and a BOM, and says a file is empty", async () => {
    await using dir = await tempDir();
    await fs.writeFile(path.join(dir.path, "wide.txt"), `${"x".repeat(5000)}\n`);
    const wide = await runTool(readTool, { file_path: "wide.txt" }, toolContext(dir.path));
    expect(wide.llmContent).toContain("[line cut: 5000 characters]");
    expect(wide.llmContent.length).toBeLessThan(2100);

    await fs.writeFile(path.join(dir.path, "dos.txt"), "\uFEFFone\r\ntwo\r\n");
    const dos = await runTool(readTool, { file_path: "dos.txt" }, toolContext(dir.path));
    expect(dos.llmContent).toBe("     1\tone\n     2\ttwo");

    await fs.writeFile(path.join(dir.path, "empty.txt"), "");
    const empty = await runTool(readTool, { file_path: "empty.txt" }, toolContext(dir.path));
    expect(empty.isError).toBe(false);
    expect(empty.llmContent).toContain("is empty");
  });

  it("shows a file that is text for its first kilobytes and binary after them up to where the binary starts, never the binary", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "mixed.dat");
    // 600 lines of text (24 KB, past any head sample), then bytes of every value.
    const tail = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 131) % 256));
    await fs.writeFile(file, Buffer.concat([Buffer.from("a line of plain text here\n".repeat(600)), tail]));
    const shown = await runTool(readTool, { file_path: file, offset: 590 }, toolContext(dir.path));
    expect(shown.isError).toBe(false);
    expect(shown.llmContent).toContain("   600\ta line of plain text here");
    expect(shown.llmContent).toContain("[Line 601 holds binary data (a NUL byte): the file is not text from there on, so nothing after line 600 is shown.]");
    expect(shown.llmContent).not.toContain("\uFFFD");
    expect(shown.data).toMatchObject({ kind: "text", startLine: 590, lines: 11, more: false });
    const past = await runTool(readTool, { file_path: file, offset: 601 }, toolContext(dir.path));
    expect(past.isError).toBe(true);
    expect(past.llmContent).toContain("is binary from line 601 on");
    expect(past.llmContent).not.toContain("\uFFFD");
    // Binary without a NUL byte (not UTF-8, control characters) is judged on the lines returned.
    const noisy = path.join(dir.path, "noisy.dat");
    await fs.writeFile(noisy, Buffer.concat([Buffer.from("text\n".repeat(3000)), Buffer.from(Array.from({ length: 6000 }, (_, i) => [0x80 + (i % 64), 0x01, 0x0a][i % 3]!))]));
    const noise = await runTool(readTool, { file_path: noisy, offset: 3001 }, toolContext(dir.path));
    expect(noise.isError).toBe(true);
    expect(noise.llmContent).toContain("is binary from line 3001 on");
  });

  it("reads a file of one line longer than a JavaScript string can be (540 MB of minified data) without failing, keeping only the line's head", { timeout: 60_000 }, async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "dump.json");
    const block = Buffer.alloc(1024 * 1024, "x");
    const handle = await fs.open(file, "w");
    try {
      for (let i = 0; i < 540; i++) await handle.write(block);
      await handle.write("\nsecond line\n");
    } finally {
      await handle.close();
    }
    const result = await runTool(readTool, { file_path: file }, toolContext(dir.path));
    expect(result.isError).toBe(false);
    expect(result.llmContent).toBe(`     1\t${"x".repeat(READ_MAX_LINE_CHARS)}… [line cut: ${540 * 1024 * 1024} characters]\n     2\tsecond line`);
  });

  it("ends lines where readline does: LF, CRLF (also split between two reads) and a lone CR, with the byte-order mark left out", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "endings.txt");
    // 64 KB is a read's size: the CRLF after the long line falls across two reads.
    const long = "y".repeat(64 * 1024 - 4);
    await fs.writeFile(file, `\uFEFFa\r\nb\rc\n${long}\r\nd\n\ne`);
    const result = await runTool(readTool, { file_path: file }, toolContext(dir.path));
    expect(result.llmContent.split("\n").map((line) => line.slice(0, 12))).toEqual(["     1\ta", "     2\tb", "     3\tc", "     4\tyyyyy", "     5\td", "     6\t", "     7\te"]);
    expect(result.llmContent).toContain(`[line cut: ${long.length} characters]`);
  });

  it("refuses binary files and describes images and PDFs instead of dumping them", async () => {
    await using dir = await tempDir();
    await fs.writeFile(path.join(dir.path, "blob.bin"), Buffer.from([1, 2, 0, 3, 4]));
    const blob = await runTool(readTool, { file_path: "blob.bin" }, toolContext(dir.path));
    expect(blob.isError).toBe(true);
    expect(blob.llmContent).toContain("is a binary file (5 bytes)");

    await fs.writeFile(path.join(dir.path, "shot.png"), png(640, 480));
    const image = await runTool(readTool, { file_path: "shot.png" }, toolContext(dir.path));
    expect(image.isError).toBe(false);
    expect(image.llmContent).toContain("Image (image/png, 640×480 pixels), 33 bytes");
    expect(image.data).toMatchObject({ kind: "image", mediaType: "image/png", width: 640, height: 480, bytes: 33 });

    await fs.writeFile(path.join(dir.path, "doc.pdf"), "%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n");
    const pdf = await runTool(readTool, { file_path: "doc.pdf" }, toolContext(dir.path));
    expect(pdf.llmContent).toContain("PDF document (version 1.7)");
    expect(pdf.data).toMatchObject({ kind: "pdf", mediaType: "application/pdf" });

    // Letters that happen to start an image signature are still text.
    await fs.writeFile(path.join(dir.path, "notes.md"), "BM notes\n");
    const text = await runTool(readTool, { file_path: "notes.md" }, toolContext(dir.path));
    expect(text.llmContent).toBe("     1\tBM notes");
  });

  it("says what is wrong with a missing file or a folder", async () => {
    await using dir = await tempDir();
    const missing = await runTool(readTool, { file_path: "nope.txt" }, toolContext(dir.path));
    expect(missing).toMatchObject({ isError: true });
    expect(missing.llmContent).toContain(`File not found: ${path.join(dir.path, "nope.txt")}`);
    const folder = await runTool(readTool, { file_path: "." }, toolContext(dir.path));
    expect(folder.llmContent).toContain("is a directory");
  });

  it.runIf(process.platform !== "win32")("refuses a FIFO at once, saying what it is, instead of waiting for a writer", { timeout: 10_000 }, async () => {
    await using dir = await tempDir();
    execFileSync("mkfifo", [path.join(dir.path, "pipe")]);
    const result = await runTool(readTool, { file_path: "pipe" }, toolContext(dir.path));
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain(`${path.join(dir.path, "pipe")} is a FIFO (named pipe), not a regular file`);
  });

  it.runIf(existsSync("/dev/zero"))("names a device as a device, not as an empty binary file", { timeout: 10_000 }, async () => {
    await using dir = await tempDir();
    const result = await runTool(readTool, { file_path: "/dev/zero" }, toolContext(dir.path));
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain("/dev/zero is a character device, not a regular file");
    expect(result.llmContent).not.toContain("binary");
  });

  it("records what it read in the session's ledger", async () => {
    await using dir = await tempDir();
    const file = path.join(dir.path, "f.txt");
    await fs.writeFile(file, "hello\n");
    const files = new FileReadLedger();
    expect(files.check(file, await fs.stat(file))).toBe("unread");
    await runTool(readTool, { file_path: file }, toolContext(dir.path, { files }));
    expect(files.check(file, await fs.stat(file))).toBe("current");
  });
});
