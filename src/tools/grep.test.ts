import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, toolContext } from "../../test/helpers/tool-context.js";
import { GREP_MAX_CHARS, grepTool } from "./grep.js";
import { withContext } from "./grep-search.js";
import { runTool } from "./run-tool.js";

async function write(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await fs.writeFile(path.join(root, name), content);
  }
}

const lines = (text: string): string[] => text.split("\n").filter((l) => !l.startsWith("["));

describe("Grep", () => {
  it("lists files that match, like ripgrep: .gitignore respected, hidden and binary files skipped", async () => {
    await using dir = await tempDir();
    await write(dir.path, {
      ".git/HEAD": "x",
      ".gitignore": "build/\n",
      "src/a.ts": "export const needle = 1;\n",
      "src/b.ts": "nothing here\n",
      "build/out.js": "needle\n",
      ".hidden/c.ts": "needle\n",
      "data.bin": Buffer.concat([Buffer.from("needle"), Buffer.from([0, 1])]),
      // Text for its first 20 KB (past the head git and looksBinary judge), then binary.
      "disk.img": Buffer.concat([Buffer.from("needle in a text header\n".repeat(900)), Buffer.from([0, 0xff, 0x7f, 0])]),
    });
    const result = await runTool(grepTool, { pattern: "needle" }, toolContext(dir.path));
    expect(result.isError).toBe(false);
    expect(lines(result.llmContent)).toEqual([path.join(dir.path, "src", "a.ts")]);
    expect(result.display).toBe("Found 1 file in .");
    expect(grepTool.permission(grepTool.parameters.parse({ pattern: "x", path: "src" }), toolContext(dir.path))).toEqual({ tool: "Grep", effect: "read", paths: [path.join(dir.path, "src")] });
  });

  it("shows matching lines with numbers and merged context, groups split by --", async () => {
    await using dir = await tempDir();
    const body = ["one", "match A", "three", "four", "five", "six", "match B", "eight"].join("\n");
    await write(dir.path, { "f.txt": `${body}\n` });
    const file = path.join(dir.path, "f.txt");
    const plain = await runTool(grepTool, { pattern: "^match", output_mode: "content" }, toolContext(dir.path));
    expect(plain.llmContent).toBe(`${file}:2:match A\n${file}:7:match B`);
    const context = await runTool(grepTool, { pattern: "match", output_mode: "content", "-C": 1 }, toolContext(dir.path));
    expect(context.llmContent).toBe([`${file}-1-one`, `${file}:2:match A`, `${file}-3-three`, "--", `${file}-6-six`, `${file}:7:match B`, `${file}-8-eight`].join("\n"));
    const noNumbers = await runTool(grepTool, { pattern: "match B", output_mode: "content", "-n": false, "-B": 1 }, toolContext(dir.path));
    expect(noNumbers.llmContent).toBe(`${file}-six\n${file}:match B`);
  });

  it("counts matching lines per file, case-insensitively with -i or (?i)", async () => {
    await using dir = await tempDir();
    await write(dir.path, { "a.txt": "Foo\nfoo\nbar\n", "b.txt": "FOO\n" });
    const count = await runTool(grepTool, { pattern: "foo", output_mode: "count", "-i": true }, toolContext(dir.path));
    expect(count.llmContent).toBe(`${path.join(dir.path, "a.txt")}:2\n${path.join(dir.path, "b.txt")}:1`);
    const inline = await runTool(grepTool, { pattern: "(?i)foo", output_mode: "count" }, toolContext(dir.path));
    expect(inline.llmContent).toBe(count.llmContent);
  });

  it("never reads above the folder searched through a glob that climbs with ..", async () => {
    await using dir = await tempDir();
    await fs.mkdir(path.join(dir.path, "home", ".ssh"), { recursive: true });
    await fs.mkdir(path.join(dir.path, "home", "proj"), { recursive: true });
    await fs.writeFile(path.join(dir.path, "home", ".ssh", "id_rsa"), "SECRETKEY\n");
    const ctx = toolContext(path.join(dir.path, "home", "proj"));
    for (const glob of ["../.ssh/*", "src/../../.ssh/*", "!../x"]) {
      expect(() => grepTool.permission({ pattern: "SECRET", glob, output_mode: "content", "-i": false, "-n": false, multiline: false }, ctx)).toThrow(/climbs out of the folder searched/);
      const result = await runTool(grepTool, { pattern: "SECRET", glob, output_mode: "content" }, ctx);
      expect(result.isError).toBe(true);
      expect(result.llmContent).not.toContain("SECRETKEY");
    }
  });

  it("filters files with a glob at any depth, or excludes with !", async () => {
    await using dir = await tempDir();
    await write(dir.path, { "x.ts": "hit\n", "deep/y.ts": "hit\n", "deep/z.js": "hit\n", "deep/w.min.js": "hit\n" });
    const ts = await runTool(grepTool, { pattern: "hit", glob: "*.ts" }, toolContext(dir.path));
    expect(lines(ts.llmContent).sort()).toEqual([path.join(dir.path, "deep", "y.ts"), path.join(dir.path, "x.ts")].sort());
    const notMin = await runTool(grepTool, { pattern: "hit", glob: "!*.min.js" }, toolContext(dir.path));
    expect(lines(notMin.llmContent)).toHaveLength(3);
    expect(notMin.llmContent).not.toContain("w.min.js");
    const single = await runTool(grepTool, { pattern: "hit", path: "deep/z.js", output_mode: "content" }, toolContext(dir.path));
    expect(single.llmContent).toBe(`${path.join(dir.path, "deep", "z.js")}:1:hit`);
  });

  it("filters by ripgrep's file types, and names the known ones for an unknown type", async () => {
    await using dir = await tempDir();
    await write(dir.path, { "a.ts": "hit\n", "b.tsx": "hit\n", "c.py": "hit\n", "d.md": "hit\n" });
    const ts = await runTool(grepTool, { pattern: "hit", type: "ts" }, toolContext(dir.path));
    expect(lines(ts.llmContent).sort()).toEqual([path.join(dir.path, "a.ts"), path.join(dir.path, "b.tsx")].sort());
    const python = await runTool(grepTool, { pattern: "hit", type: "python" }, toolContext(dir.path));
    expect(lines(python.llmContent)).toEqual([path.join(dir.path, "c.py")]);
    const unknown = await runTool(grepTool, { pattern: "hit", type: "cobol" }, toolContext(dir.path));
    expect(unknown.isError).toBe(true);
    expect(unknown.llmContent).toContain("Unknown file type 'cobol'. Use one of: c, cpp");
  });

  it("matches across lines with multiline", async () => {
    await using dir = await tempDir();
    await write(dir.path, { "f.ts": "function a(\n  x,\n) {}\nother\n" });
    const single = await runTool(grepTool, { pattern: "a\\(.*\\)", output_mode: "content" }, toolContext(dir.path));
    expect(single.llmContent).toContain("No matches");
    const multi = await runTool(grepTool, { pattern: "a\\(.*\\)", output_mode: "content", multiline: true }, toolContext(dir.path));
    const file = path.join(dir.path, "f.ts");
    expect(multi.llmContent).toBe(`${file}:1:function a(\n${file}:2:  x,\n${file}:3:) {}`);
  });

  it("caps entries at head_limit and output at its character limit, and says so", async () => {
    await using dir = await tempDir();
    await write(dir.path, { "many.txt": Array.from({ length: 50 }, (_, i) => `hit ${i}`).join("\n") });
    const limited = await runTool(grepTool, { pattern: "hit", output_mode: "content", head_limit: 10 }, toolContext(dir.path));
    expect(lines(limited.llmContent)).toHaveLength(10);
    expect(limited.llmContent).toContain("[10 of 50 entries shown (head_limit 10)");

    await write(dir.path, { "wide.txt": Array.from({ length: 100 }, () => `hit ${"w".repeat(1000)}`).join("\n") });
    const wide = await runTool(grepTool, { pattern: "hit w", output_mode: "content" }, toolContext(dir.path));
    expect(wide.llmContent.length).toBeLessThanOrEqual(GREP_MAX_CHARS + 300);
    expect(wide.llmContent).toContain(`[Output cut at ${GREP_MAX_CHARS} characters`);
  });

  it.runIf(process.platform !== "win32")("never opens a FIFO: refuses one as path and skips one a symlink in the folder points at", { timeout: 10_000 }, async () => {
    await using dir = await tempDir();
    await write(dir.path, { "a.txt": "needle\n" });
    execFileSync("mkfifo", [path.join(dir.path, "pipe")]);
    await fs.symlink(path.join(dir.path, "pipe"), path.join(dir.path, "link.txt"));
    const direct = await runTool(grepTool, { pattern: "needle", path: "pipe" }, toolContext(dir.path));
    expect(direct.isError).toBe(true);
    expect(direct.llmContent).toContain("is a FIFO (named pipe), not a regular file");
    const folder = await runTool(grepTool, { pattern: "needle" }, toolContext(dir.path));
    expect(lines(folder.llmContent)).toEqual([path.join(dir.path, "a.txt")]);
  });

  it("returns a bad pattern to the model with what to do", async () => {
    await using dir = await tempDir();
    const result = await runTool(grepTool, { pattern: "foo(" }, toolContext(dir.path));
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain("is not a valid regular expression");
    expect(result.llmContent).toContain("Escape special characters");
  });

  it("matches in linear time: a catastrophic pattern over a 100,000-character line completes with the right answer", async () => {
    await using dir = await tempDir();
    await write(dir.path, { "long.txt": `${"a".repeat(100_000)}b\naaa\n` });
    const result = await runTool(grepTool, { pattern: "(a+)+$", output_mode: "content" }, toolContext(dir.path));
    expect(result.isError).toBe(false);
    expect(result.llmContent).toBe(`${path.join(dir.path, "long.txt")}:2:aaa`);
  });

  it("refuses backreferences and lookaround as ripgrep does, saying what to write instead", async () => {
    await using dir = await tempDir();
    const backreference = await runTool(grepTool, { pattern: "(foo) \\1" }, toolContext(dir.path));
    expect(backreference.isError).toBe(true);
    expect(backreference.llmContent).toContain("uses a backreference (`\\1`), which ripgrep's regular expressions (RE2) do not have.");
    expect(backreference.llmContent).toContain("Match the repeated text itself");
    const named = await runTool(grepTool, { pattern: "(?P<w>\\w+) \\k<w>" }, toolContext(dir.path));
    expect(named.llmContent).toContain("uses a backreference (`\\k`)");
    const lookahead = await runTool(grepTool, { pattern: "foo(?=bar)" }, toolContext(dir.path));
    expect(lookahead.llmContent).toContain("uses lookahead (`(?=…)`)");
    expect(lookahead.llmContent).toContain("Match the surrounding text as part of the pattern");
    const lookbehind = await runTool(grepTool, { pattern: "(?<!foo)bar", "-i": true }, toolContext(dir.path));
    expect(lookbehind.isError).toBe(true);
    expect(lookbehind.llmContent).toContain("uses lookbehind (`(?<!…)`)");
  });

  it("counts only lines as entries, never the -- between groups, and never ends on one", async () => {
    await using dir = await tempDir();
    const body = ["one", "match A", "three", "four", "five", "six", "match B", "eight"].join("\n");
    await write(dir.path, { "f.txt": `${body}\n` });
    const file = path.join(dir.path, "f.txt");
    const all = await runTool(grepTool, { pattern: "match", output_mode: "content", "-C": 1 }, toolContext(dir.path));
    expect(all.data).toMatchObject({ shown: 6, total: 6 });
    expect(all.llmContent).not.toContain("entries shown");
    const three = await runTool(grepTool, { pattern: "match", output_mode: "content", "-C": 1, head_limit: 3 }, toolContext(dir.path));
    expect(three.llmContent).toBe([`${file}-1-one`, `${file}:2:match A`, `${file}-3-three`, "[3 of 6 entries shown (head_limit 3). Narrow the search or raise head_limit.]"].join("\n"));
    const four = await runTool(grepTool, { pattern: "match", output_mode: "content", "-C": 1, head_limit: 4 }, toolContext(dir.path));
    expect(four.llmContent).toBe([`${file}-1-one`, `${file}:2:match A`, `${file}-3-three`, "--", `${file}-6-six`, "[4 of 6 entries shown (head_limit 4). Narrow the search or raise head_limit.]"].join("\n"));
  });

  it("merges touching context windows into one group", () => {
    expect(withContext(10, [2, 4], 1, 1)).toEqual([1, 2, 3, 4, 5].map((line) => ({ line, match: line === 2 || line === 4 })));
    expect(withContext(10, [0, 9], 0, 0)).toEqual([
      { line: 0, match: true },
      { line: 9, match: true },
    ]);
  });
});
