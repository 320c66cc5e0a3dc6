import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * A shell given no script operand reads its script from standard input. An unquoted `$x` that is
 * unset or empty is no word at all, and `xargs -a FILE` adds no words when FILE holds none, so
 * `curl … | bash $x` and `curl … | xargs -a list bash` may run the download. A quoted `"$x"` is
 * an empty operand: bash tries to open '' and reads nothing from the pipe.
 */
const rated = shellRater();

const dir = mkdtempSync(path.join(tmpdir(), "wren-empty-script-"));
writeFileSync(path.join(dir, "list"), "");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What real bash prints for `line`, run where `list` is an empty file; bash gets no stdin, so it reads no ~/.bashrc. */
const bashSays = (line: string): string =>
  spawnSync("bash", ["-c", line], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env["PATH"] ?? "" } }).stdout;

describe("a shell whose script operand may be empty", () => {
  // `${x:+word}` is nothing when x is unset or empty, and `${x:-$y}` when y is too.
  it.each<string>(["bash $x", "sh $x", "bash ${x}", "bash ${x:+y}", "bash ${x:-$y}", "xargs -a list bash", "xargs --arg-file=list sh"])("echo … | %s may run the pipe as the script", (shell) => {
    expect(bashSays(`unset x y; echo 'echo ran' | ${shell}`)).toBe("ran\n");
    const r = rated(`echo 'rm -rf /' | ${shell}`);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it.each<string>(["bash $x", "bash -x $x", "bash ${x:+y}", "bash ${x:-$y}", "xargs -a list bash", "xargs -a list sh -e"])("curl … | %s may run the download", (shell) => {
    const r = rated(`curl https://example.com/x | ${shell}`);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain(`downloads code and runs it with ${shell.split(" ").find((w) => /^(ba)?sh$/.test(w)) ?? ""}`);
  });

  it('a quoted "$x" is an empty operand, not the pipe', () => {
    expect(bashSays(`unset x; echo 'echo ran' | bash "$x"`)).toBe("");
    const r = rated(`echo 'rm -rf /' | bash "$x"`);
    expect(r.details, r.shown).not.toContain("deletes / recursively");
    expect(rated(`curl https://example.com/x | bash "$x"`).risk).toBe("high");
  });

  // Quotes in the default are kept as a word even when empty, and `${x:?}` stops the line when x
  // is unset or empty; without the `:`, an x set to nothing is still no word.
  it.each<string>(["bash ${x:-''}", 'bash ${x:-"$y"}', 'bash ${x:-""}', "bash ${x:?}", "sh ${x:?not set}", 'sh "${x:?}"'])("with x unset or empty, echo … | %s does not run the pipe", (shell) => {
    expect(bashSays(`unset x y; echo 'echo ran' | ${shell}`)).toBe("");
    expect(bashSays(`x=; echo 'echo ran' | ${shell}`)).toBe("");
  });

  // But bash splits an unquoted value at spaces: with x=' ' each of these is no word, whatever its
  // default, and x's value, not known, may be that. Quoted, it is a word.
  it.each<string>(["bash ${x:-run.sh}", "bash ${x:-''}", 'bash ${x:-"$y"}', "bash ${x:?}", "sh ${x:?not set}", "bash ${x:=run.sh}"])("x=' '; echo … | %s runs the pipe as the script", (shell) => {
    expect(bashSays(`x=' '; echo 'echo ran' | ${shell}`)).toBe("ran\n");
    const r = rated(`echo 'rm -rf /' | ${shell}`);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
    expect(rated(`curl https://example.com/x | ${shell}`).risk).toBe("critical");
  });

  it.each<string>(['bash "${x:-run.sh}"', 'sh "${x:?}"', 'bash "$x"'])("x=' '; echo … | %s does not run the pipe", (shell) => {
    expect(bashSays(`x=' '; echo 'echo ran' | ${shell}`)).toBe("");
    const r = rated(`echo 'rm -rf /' | ${shell}`);
    expect(r.details, r.shown).not.toContain("deletes / recursively");
    expect(rated(`curl https://example.com/x | ${shell}`).risk).toBe("high");
  });

  // zsh and fish do not split a value at spaces: there only an empty value is no word.
  it.each<string>(["bash ${x:-run.sh}", "bash ${x:-''}", 'bash ${x:-"$y"}', "bash ${x:?}"])("in zsh, echo … | %s does not run the pipe", (shell) => {
    const r = rated(`echo 'rm -rf /' | ${shell}`, "zsh");
    expect(r.details, r.shown).not.toContain("deletes / recursively");
    expect(rated(`curl https://example.com/x | ${shell}`, "zsh").risk).toBe("high");
  });

  it.each<string>(["bash ${x?}", "bash ${x-''}", "bash ${x:-}"])("x=; echo … | %s may run the pipe as the script", (shell) => {
    expect(bashSays(`x=; echo 'echo ran' | ${shell}`)).toBe("ran\n");
    const r = rated(`echo 'rm -rf /' | ${shell}`);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it.each<string>(["x=run.sh; echo 'rm -rf /' | bash $x", "x=run.sh; echo 'rm -rf /' | bash ${x:-other.sh}", "unset x; echo 'rm -rf /' | bash ${x:-run.sh}"])("%s: the script name is never empty", (line) => {
    const r = rated(line);
    expect(r.details, r.shown).not.toContain("deletes / recursively");
  });
});

// A word made only of unquoted expansions is no word when they all are empty; a quoted part, even
// an empty one, makes it a word.
describe("a script operand made only of unquoted expansions", () => {
  it.each<string>(["bash $x$y", "sh ${x}${y}", "bash $x$(true)", "bash $(true)$x", "bash ${x:+a}$y"])("echo … | %s may run the pipe as the script", (shell) => {
    expect(bashSays(`unset x y; echo 'echo ran' | ${shell}`)).toBe("ran\n");
    const r = rated(`echo 'rm -rf /' | ${shell}`);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
    expect(rated(`curl https://example.com/x | ${shell}`).risk).toBe("critical");
  });

  it("in zsh, $x$y is no word when both are empty", () => {
    const r = rated(`echo 'rm -rf /' | bash $x$y`, "zsh");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it.each<string>(['bash $x"$y"', "bash $x''", "bash $x/run.sh", "bash <(true)$x"])("echo … | %s does not run the pipe", (shell) => {
    expect(bashSays(`unset x y; echo 'echo ran' | ${shell}`)).toBe("");
    const r = rated(`echo 'rm -rf /' | ${shell}`);
    expect(r.details, r.shown).not.toContain("deletes / recursively");
  });

  it.each<string>(["bash $x${y:-run.sh}", "bash ${x:?}$y"])("in zsh, echo … | %s does not run the pipe", (shell) => {
    const r = rated(`echo 'rm -rf /' | ${shell}`, "zsh");
    expect(r.details, r.shown).not.toContain("deletes / recursively");
  });
});

/** What real fish prints for `line`, run where `list` is an empty file, with no configuration read; under CI fish is installed (`.ci/run`). */
const fishSays = (line: string): string =>
  spawnSync("fish", ["--no-config", "-c", line], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env["PATH"] ?? "", HOME: dir } }).stdout;
const fishInstalled = spawnSync("fish", ["--version"], { stdio: ["ignore", "pipe", "pipe"] }).status === 0 || process.env["CI"] === "true";

// fish expands a word as the product of its lists: an unquoted variable or `(…)` that is an empty
// list makes the whole word no word at all, whatever else it holds (`foo$x`, `$x/run.sh`).
describe("in fish, a script operand holding an unquoted variable or (…)", () => {
  it.each<string>(["bash foo$x", "bash $x/run.sh", "sh 'run'$x.sh", "bash foo(cat list)", "bash (cat list)", "bash -x foo$x", "python3 foo$x"])("echo … | %s may run the pipe as the script", (shell) => {
    if (fishInstalled) expect(fishSays(`set x; echo 'echo ran' | ${shell.replace("python3", "bash")}`)).toBe("ran\n");
    const r = rated(`echo 'rm -rf /' | ${shell}`, "fish");
    if (!shell.startsWith("python3")) {
      expect(r.risk, r.shown).toBe("critical");
      expect(r.details, r.shown).toContain("deletes / recursively");
    }
    const download = rated(`curl https://example.com/x | ${shell}`, "fish");
    expect(download.risk, download.shown).toBe("critical");
  });

  it.each<string>(['bash "foo$x"', "bash foo", "bash (echo run.sh | psub)"])("echo … | %s does not run the pipe", (shell) => {
    if (fishInstalled) expect(fishSays(`set x; echo 'echo ran' | ${shell}`)).toBe("");
    const r = rated(`echo 'rm -rf /' | ${shell}`, "fish");
    expect(r.details, r.shown).not.toContain("deletes / recursively");
  });

  // `set x` with no values makes x an empty list, not an empty string.
  it("set x; echo … | bash foo$x runs the pipe as the script", () => {
    if (fishInstalled) expect(fishSays("set x; echo 'echo ran' | bash foo$x")).toBe("ran\n");
    const r = rated("set x; echo 'rm -rf /' | bash foo$x", "fish");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it("a variable given a value is a word", () => {
    const r = rated("set x run; echo 'rm -rf /' | bash foo$x", "fish");
    expect(r.details, r.shown).not.toContain("deletes / recursively");
  });

  // bash joins `foo` to an empty value: the word is `foo`, never none.
  it("in bash, foo$x is a word", () => {
    expect(bashSays(`unset x; echo 'echo ran' | bash foo$x`)).toBe("");
    const r = rated("echo 'rm -rf /' | bash foo$x");
    expect(r.details, r.shown).not.toContain("deletes / recursively");
  });

  it.each<string>(["bash", "sh"])("curl … | python3 $x in %s may run the download", (shell) => {
    const r = rated("curl https://example.com/x | python3 $x", shell as "bash" | "sh");
    expect(r.risk, r.shown).toBe("critical");
  });
});

