import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import { applyEdit, editOf } from "./parameter-edits.js";
import { RISKS, type Risk } from "./types.js";

/**
 * `${x#word}`, `${x%word}` (and `##`, `%%`), `${x:offset:length}` and `${x/pattern/text}` (and `//`)
 * are what bash makes of x's value where wren knows it. Each line runs in bash, with `printf '<%s>'`
 * for `rm -rf` and HOME set, to show what rm is given; wren must rate the line as it rates `rm -rf`
 * of exactly that.
 */
const rated = shellRater();

// An `rm` that only shows what it is given, first on PATH, so that child shells run it too.
const bin = mkdtempSync(path.join(os.tmpdir(), "wren-parameter-edits-"));
writeFileSync(path.join(bin, "rm"), "#!/bin/sh\nshift\nprintf '<%s>' \"$@\"\n", { mode: 0o755 });
afterAll(() => rmSync(bin, { recursive: true, force: true }));
const env = { PATH: `${bin}:${process.env["PATH"] ?? ""}`, HOME: "/home/ada" };
const bashSays = (line: string): string => execFileSync("bash", ["-c", line], { encoding: "utf8", env });
const argsOf = (said: string): string[] => [...said.matchAll(/<([^>]*)>/g)].map((m) => m[1] ?? "");
const quote = (arg: string): string => `'${arg}'`;

describe("an edit of a known value is what bash makes of it", () => {
  it.each<[string, string, Risk]>([
    ["x=a:~; rm -rf ${x#a:}", "</home/ada>", "critical"],
    ["x=/tmp; rm -rf ${x%tmp}", "</>", "critical"],
    ["x=/tmp/build; rm -rf ${x#/tmp}", "</build>", "critical"],
    ['x=/tmp/; rm -rf "${x%%t*}"', "</>", "critical"],
    ["x=~/build; rm -rf ${x%/build}", "</home/ada>", "critical"],
    ["x=~/.cache/x; rm -rf ${x%/.*}", "</home/ada>", "critical"],
    ["x=~/a/b; rm -rf ${x%%/[a-z]}", "</home/ada/a>", "high"],
    ["x=/tmp/a/b; rm -rf ${x##*/}", "<b>", "moderate"],
    ["x=/tmp/a/b; rm -rf ${x#*/}", "<tmp/a/b>", "moderate"],
    ["x=/tmp/a/b; rm -rf ${x%/*}", "</tmp/a>", "moderate"],
    ["x=/tmp/a/b; rm -rf ${x%%/*}", "<>", "safe"],
    ["x=/.tmp; rm -rf ${x%.*}", "</>", "critical"],
    ["x=//home/ada; rm -rf ${x#?}", "</home/ada>", "critical"],
    ["x=X/; rm -rf ${x#[A-Z]}", "</>", "critical"],
    ["x=X/; rm -rf ${x#[!/]}", "</>", "critical"],
    ["x=build; rm -rf ${x#zzz}", "<build>", "moderate"],
    ["rm -rf ${HOME%/*}", "</home>", "critical"],
    ["rm -rf ${HOME%/ada}/ada", "</home/ada>", "critical"],
    ["declare -n r=HOME; rm -rf ${r%/*}", "</home>", "critical"],
    ["x=ab/; rm -rf ${x:2}", "</>", "critical"],
    ["x=/tmp; rm -rf ${x:0:1}", "</>", "critical"],
    ["x=tmp/; rm -rf ${x: -1}", "</>", "critical"],
    ["x=/tmp; rm -rf ${x: -4:1}", "</>", "critical"],
    ["x=/tmp/; rm -rf ${x:0:-4}", "</>", "critical"],
    ["x=/tmp/a; rm -rf ${x:4}", "</a>", "critical"],
    ["x=abc; rm -rf ${x: -5}", "<>", "safe"],
    ["x=abc; rm -rf ${x:9}", "<>", "safe"],
    ["x=/tmp; rm -rf ${x/tmp}", "</>", "critical"],
    ["x=/tmp; rm -rf ${x//[a-z]}", "</>", "critical"],
    ["x=/tmp/a; rm -rf ${x/tmp?a/home}", "</home>", "critical"],
    ["x=/tmp/a; rm -rf ${x/t*/}", "</>", "critical"],
    ["x=.a.a; rm -rf ${x//.a/_}", "<__>", "moderate"],
    ["x=/a/b; rm -rf ${x//?/x}", "<xxxx>", "moderate"],
    ["x=build; rm -rf ${x/zzz/}", "<build>", "moderate"],
    // Unquoted, the result is split into words as a plain $x is.
    ["x='/tmp/a b'; rm -rf ${x#/tmp/}", "<a><b>", "moderate"],
    ["x='a /'; rm -rf ${x#a}", "</>", "critical"],
    // In a child shell, and of a positional parameter.
    ["sh -c 'rm -rf ${1#a}' _ a/", "</>", "critical"],
    ["x=/tmp; bash -c \"rm -rf ${x%tmp}\"", "</>", "critical"],
    ["env -u HOME sh -c 'rm -rf ${HOME%/*}/'", "</>", "critical"],
    ["HOME=/tmp/x; rm -rf ${HOME%/x}", "</tmp>", "critical"],
  ])("%j runs rm -rf %s and is %s", (command, said, risk) => {
    expect(bashSays(command)).toBe(said);
    const args = argsOf(said);
    const literal = rated(["rm -rf", ...args.map(quote)].join(" "));
    const r = rated(command);
    expect(r.risk, r.shown).toBe(literal.risk);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details, r.shown).toEqual(literal.details);
  });
});

/**
 * Where wren does not know the value, or cannot be sure what bash makes of it (a pattern or text with
 * expansions, quotes or `&`, a value with other than ASCII characters, a substring bash refuses), the
 * path stays one only known at run time, as a plain unknown `$x` is.
 */
describe("an edit wren cannot be sure of stays unknown", () => {
  it.each<string>([
    "rm -rf ${x#a}",
    "rm -rf ${x:1}",
    "x=/tmp/build; rm -rf ${x#$y}",
    "x=/tmp/build; rm -rf ${x#'/tmp'}",
    "x=/tmp/build; rm -rf ${x:$n}",
    "x=/tmp/build; rm -rf ${x:1+1}",
    "x=/tmp/build; rm -rf ${x/build/$y}",
    "x=/tmp/build; rm -rf ${x/build/&}",
    "x=/tmp/build; rm -rf ${x/#\\/tmp}",
    "x=/tmp/é; rm -rf ${x:1}",
    "x=$(mktemp -d); rm -rf ${x:0:4}",
    "x=${y:-$z}; rm -rf ${x%tmp}",
    "x=${y:-/tmp/é}; rm -rf ${x:1}",
    "x=$(mktemp -d); eval \"$s\"; rm -rf ${x:0:4}",
    "rm -rf ${@:1}",
  ])("%j is high", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("high");
  });

  it("a substring bash refuses stops the shell before rm runs, and wren does not guess it", () => {
    const run = spawnSync("bash", ["-c", "x=abc; rm -rf ${x:2:-2}"], { encoding: "utf8", env });
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("substring expression < 0");
    const r = rated("x=abc; rm -rf ${x:2:-2}");
    expect(r.risk, r.shown).toBe("high");
  });

  it("${x:-word} and its kin are read as before", () => {
    expect(rated("x=; rm -rf ${x:-/}").risk).toBe("critical");
    expect(rated("x=build; rm -rf ${x:-/}").risk).toBe("moderate");
  });
});

/**
 * Where wren knows x as one of several readings (`x=${y:-/tmp}`: y's value or `/tmp`), an edit of x is
 * the edit of each reading, and unknown where the reading is. Each line runs in bash with y (and x)
 * unset and set to a value wren cannot know; wren must rate it as the worst of `rm -rf` of what bash
 * gives in each run and of a path only known at run time (high).
 */
describe("an edit of a value known as one of several readings is the edit of each", () => {
  const withY = { ...env, x: "/srv/data", y: "/srv/data" };
  const worst = (...risks: Risk[]): Risk => RISKS[Math.max(...risks.map((r) => RISKS.indexOf(r)))] ?? "critical";
  it.each<[string, string, string, Risk]>([
    ["x=${y:-/tmp}; rm -rf ${x%tmp}", "</>", "</srv/data>", "critical"],
    [": ${x:=/tmp}; rm -rf ${x%tmp}", "</>", "</srv/data>", "critical"],
    ["x=${y-/tmp}; rm -rf ${x%tmp}", "</>", "</srv/data>", "critical"],
    ["x=${y:+/tmp}; rm -rf ${x%tmp}", "<>", "</>", "critical"],
    ['x=${y:-/tmp}; rm -rf "${x%tmp}"', "</>", "</srv/data>", "critical"],
    ["x=${y:-~/build}; rm -rf ${x%/build}", "</home/ada>", "</srv/data>", "critical"],
    ["x=${y:-/tmp/a}; rm -rf ${x:0:1}", "</>", "</>", "critical"],
    ["x=${y:-/tmp}; rm -rf ${x/tmp}", "</>", "</srv/data>", "critical"],
    ["x=${y:-/tmp}; rm -rf ${x//[a-z]}", "</>", "<//>", "critical"],
    ["x=${y:-'a /'}; rm -rf ${x#a}", "</>", "</srv/data>", "critical"],
    ["x=${y:-/tmp/a/b}; rm -rf ${x:1}", "<tmp/a/b>", "<srv/data>", "high"],
    ["x=${y:-/tmp/a/b}; rm -rf ${x##*/}", "<b>", "<data>", "high"],
    // Assigned on: the readings go with the value, as a plain copy carries them.
    ["x=${y:-/tmp}; z=${x%tmp}; rm -rf $z", "</>", "</srv/data>", "critical"],
    ["x=${y:-/}; z=$x; rm -rf $z", "</>", "</srv/data>", "critical"],
    ['x=${y:-/}; z="$x"; rm -rf "$z"', "</>", "</srv/data>", "critical"],
    ["x=${y:-/}; z=$x/; rm -rf $z", "<//>", "</srv/data/>", "critical"],
    [": ${x:=/tmp}; z=${x%tmp}; rm -rf $z", "</>", "</srv/data>", "critical"],
    ["x=${y:-/tmp}; z=${x%tmp}; w=$z; rm -rf $w", "</>", "</srv/data>", "critical"],
    ["x=${y:-/tmp/a/b}; z=${x##*/}; rm -rf $z", "<b>", "<data>", "high"],
  ])("%j runs rm -rf %s with y unset, %s with y set, and is %s", (command, unset, set, risk) => {
    expect(bashSays(command)).toBe(unset);
    expect(execFileSync("bash", ["-c", command], { encoding: "utf8", env: withY })).toBe(set);
    const literal = (said: string): Risk => rated(["rm -rf", ...argsOf(said).map(quote)].join(" ")).risk;
    const r = rated(command);
    expect(r.risk, r.shown).toBe(worst("high", literal(unset), literal(set)));
    expect(r.risk, r.shown).toBe(risk);
  });

  it("after eval, a value wren knew is that value or another, and an edit of it is read for both", () => {
    const command = 'x=/tmp; eval "$s"; rm -rf ${x%tmp}';
    expect(bashSays(command)).toBe("</>");
    expect(execFileSync("bash", ["-c", command], { encoding: "utf8", env: { ...env, s: "x=/srv/data" } })).toBe("</srv/data>");
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
  });

  it("after eval, a copy of a value wren knew is that value or another", () => {
    const command = 'x=/tmp; eval "$s"; z=${x%tmp}; rm -rf $z';
    expect(bashSays(command)).toBe("</>");
    expect(execFileSync("bash", ["-c", command], { encoding: "utf8", env: { ...env, s: "x=/srv/data" } })).toBe("</srv/data>");
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
  });
});

/** Every edit wren reads, of values with and without matches, against what bash prints for it (`<?>`: bash refuses it). */
describe("each edit wren reads agrees with bash", () => {
  const edits: [string, string][] = [
    ["#", "a"], ["##", "a"], ["%", "a"], ["%%", "a"], ["#", "*/"], ["##", "*/"], ["%", "/*"], ["%%", "/*"], ["#", "?"], ["%", "??"],
    ["#", "*"], ["##", "*"], ["%", "*"], ["%%", "*"], ["#", "[a-c]*"], ["##", "[!/]*"], ["%", "[.]*"], ["%%", "[^a]"], ["#", "-"], ["%", "[-a]"],
    ["#", "a*b"], ["%%", ".*"], ["#", "/tmp/"], ["%", "tmp"], ["##", "[0-9]"], ["#", "[A-Za-z]*."],
    [":", "0"], [":", "1"], [":", "3"], [":", " -1"], [":", " -3:2"], [":", "1:0"], [":", "1:2"], [":", "0:-1"], [":", "2:-1"], [":", "9"], [":", " -9"], [":", "1:99"],
    ["/", "a"], ["//", "a"], ["/", "a/X"], ["//", "a/X"], ["//", "?/-"], ["/", "*"], ["//", "*/Z"], ["/", "[ab]*/_"], ["//", "[!a]/"], ["//", "b*a/="], ["/", "tmp/home"],
  ];
  it.each<string>(["abcab", "/tmp/a.b/c", "a", "", "aaa", "x-a.b", "/", "..a", "ab/ba", "ABC9.z"])("of %j", (value) => {
    // A substring bash refuses stops the subshell: shown as <?>, which is what wren's not knowing shows.
    const script = edits.map(([op, rest]) => `(printf '<%s>\\n' "\${x${op}${rest}}") 2>/dev/null || echo '<?>'`).join("; ");
    const said = execFileSync("bash", ["-c", `x='${value}'; ${script}`], { encoding: "utf8", env }).split("\n");
    edits.forEach(([op, rest], i) => {
      const edit = editOf(op, rest);
      expect(edit, `\${x${op}${rest}}`).toBeDefined();
      if (edit) expect(`<${applyEdit(edit, value) ?? "?"}>`, `\${x${op}${rest}} of ${value}`).toBe(said[i]);
    });
  });
});
