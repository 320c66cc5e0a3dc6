import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * What a `$(…)` or backticks of one `echo` or `printf` writes is filled in where wren can tell it
 * exactly, as bash writes it; anything else is a value only known at run time. Each substitution is
 * given to bash, with HOME set and x unset, to show what it writes.
 */
const rated = shellRater();

const bashWrites = (substitution: string): string =>
  execFileSync("bash", ["-c", `printf '<%s>' "${substitution}"`], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", HOME: "/home/ada" } });

describe("what $(echo …) and $(printf …) write, as bash writes it", () => {
  it.each<[string, string]>([
    ["$(echo -n /)", "/"],
    ["$(echo -e /)", "/"],
    ["$(echo -E /)", "/"],
    ["$(echo -ne /)", "/"],
    ["$(echo -n -e build)", "build"],
    ["$(echo -nE -n build)", "build"],
    // Words that look like options but are not are written.
    ["$(echo -x /)", "-x /"],
    ["$(echo -- /)", "-- /"],
    ["$(echo -n -- /)", "-- /"],
    ["$(echo build -n)", "build -n"],
    ["$(echo -E 'a\\b')", "a\\b"],
    ["$(printf /)", "/"],
    ["$(printf 'build')", "build"],
    ["$(printf '%s\\n' /)", "/"],
    ["$(printf -- '%s\\n' /)", "/"],
    // The format is applied again while arguments are left; without a %s they are not written.
    ["$(printf '%s/' a b)", "a/b/"],
    ["$(printf '%s\\n' a b)", "a\nb"],
    ["$(printf '%s/%s' a)", "a/"],
    ["$(printf build a b)", "build"],
    ["$(printf '%%s')", "%s"],
    ["$(printf 'a\\tb')", "a\tb"],
    ["`echo -n /`", "/"],
    ["`printf '%s/' a b`", "a/b/"],
  ])("%s writes %j", (substitution, written) => {
    expect(bashWrites(substitution)).toBe(`<${written}>`);
    // Under ./ so that a text starting with - is not read as rm's option.
    const r = rated(`rm -rf ./"${substitution}"`);
    expect(r.details, r.shown).toEqual([`deletes ./${written} recursively`]);
  });

  it.each<[string, string]>([
    // xpg_echo, on in some builds of bash, decodes escapes even without -e.
    ['$(echo "a\\nb")', "a\\nb"],
    // Escapes, conversions and options wren does not work out.
    ["$(echo -e 'a\\x2fb')", "a/b"],
    ["$(printf '%5s' a)", "    a"],
    ["$(printf '%b' 'a\\x2fb')", "a/b"],
    ["$(printf 'a\\x2fb')", "a/b"],
    ["$(printf 'x%d' 7)", "x7"],
    // x may be -n, an option; a run-time value may be split into several arguments.
    ["$(echo ${x:--n} build)", "build"],
    ["$(echo $x -n build)", "build"],
    ["$(printf '%s/' a ${x:-b c})", "a/b/c/"],
    ["$(printf '%s/' ${x:-b c})", "b/c/"],
  ])("%s, which bash writes as %j, is a value only known at run time", (substitution, written) => {
    expect(bashWrites(substitution)).toBe(`<${written}>`);
    const r = rated(`rm -rf ./"${substitution}"`);
    expect(r.risk, r.shown).toBe("high");
    expect(r.details, r.shown).toEqual(["deletes a path only known at run time recursively"]);
  });

  it.each<[string, Risk, string[]]>([
    ["rm -rf \"$(printf '%s\\n' /)\"", "critical", ["/"]],
    ["rm -rf $(echo -n /)", "critical", ["/"]],
    ["rm -rf $(echo -x /)", "critical", ["/"]],
    ["rm -rf `echo -e /`", "critical", ["/"]],
    ["rm -rf $(printf '%s\\n' build /)", "critical", ["build", "/"]],
    // With x unset these are the home and /; x's own value is only known at run time.
    ['rm -rf "$(echo -n ${x:-~})"/', "critical", ["/home/ada/", "a path only known at run time"]],
    ["rm -rf \"$(printf '%s\\n' ${x:-/})\"", "critical", ["/", "a path only known at run time"]],
    ["rm -rf \"$(printf '%s/' ${x:-~})\"", "critical", ["/home/ada/", "a path only known at run time"]],
    ["rm -rf \"$(printf '%s' build)\"", "moderate", ["build"]],
  ])("%j is %s", (command, risk, paths) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
    expect([...r.details].sort(), r.shown).toEqual(paths.map((p) => `deletes ${p} recursively`).sort());
  });

  it.each<[string, string]>([
    ['rm -rf "$(echo -n ${x:-~})"/', "/home/ada/"],
    ["rm -rf \"$(printf '%s\\n' ${x:-/})\"", "/"],
    ["rm -rf \"$(printf '%s/' ${x:-~})\"", "/home/ada/"],
  ])("%j deletes %s in bash with x unset", (command, path) => {
    const said = execFileSync("bash", ["-c", command.replace("rm -rf", "printf '<%s>'")], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", HOME: "/home/ada" } });
    expect(said).toBe(`<${path}>`);
  });
});

describe("a function or alias of echo's or printf's name, defined on the line, runs instead of the builtin", () => {
  const env = { PATH: process.env["PATH"] ?? "", HOME: "/home/ada" };
  const bashSays = (line: string, ...options: string[]): string => execFileSync("bash", [...options, "-c", line], { encoding: "utf8", env, stdio: ["ignore", "pipe", "ignore"] });

  it.each<[string, string[]]>([
    ['echo() { printf /; }; rm -rf "$(echo safe)"', []],
    ['function echo { printf /; }; rm -rf "$(echo safe)"', []],
    ['printf() { builtin printf /; }; rm -rf "$(printf safe)"', []],
    ['function printf { builtin printf /; }; rm -rf "$(printf %s safe)"', []],
    // Defined inside a function the line runs first, by eval, or later in a loop that runs it before the use.
    ['f() { echo() { printf /; }; }; f; rm -rf "$(echo safe)"', []],
    ["eval 'echo() { printf /; }'; rm -rf \"$(echo safe)\"", []],
    ['for i in 1 2; do rm -rf "$(echo safe)"; echo() { printf /; }; done', []],
    // A $(…) is read again when it runs, so where aliases are expanded one defined before it on the line is used.
    ["shopt -s expand_aliases; alias echo='printf /'; rm -rf \"$(echo safe)\"", []],
    ["alias echo='printf /'; rm -rf \"$(echo safe)\"", ["-i"]],
  ])("%j deletes / in bash, and what the $(…) writes is only known at run time", (line, options) => {
    expect(bashSays(line.replaceAll("rm -rf", "builtin printf '<%s>'"), ...options)).toContain("</>");
    const r = rated(line);
    expect(["high", "critical"], r.shown).toContain(r.risk);
    expect(r.details, r.shown).toContain("deletes a path only known at run time recursively");
    expect(r.details, r.shown).not.toContain("deletes ./safe recursively");
    expect(r.details.some((d) => d.includes("safe")), r.shown).toBe(false);
  });

  it.each<[string, string]>([
    ["echo() { printf 'rm -rf /'; }; echo ls | sh", "echo() { printf 'rm -rf /'; }; echo ls | cat"],
    ["echo() { printf 'rm -rf /'; }; sh <<< \"$(echo ls)\"", "echo() { printf 'rm -rf /'; }; cat <<< \"$(echo ls)\""],
  ])("%j gives sh what the function writes, only known at run time", (line, shown) => {
    expect(bashSays(shown).trim()).toBe("rm -rf /");
    const r = rated(line);
    expect(["high", "critical"], r.shown).toContain(r.risk);
    expect(r.details.some((d) => /only known at run time|cannot see/.test(d)), r.shown).toBe(true);
  });

  it.each<[string, string]>([
    ["echo() { printf /; }; echo safe | xargs rm -rf", "echo() { printf /; }; echo safe | xargs printf '<%s>'"],
    ['echo() { printf /; }; xargs rm -rf <<< "$(echo safe)"', "echo() { printf /; }; xargs printf '<%s>' <<< \"$(echo safe)\""],
  ])("%j gives xargs what the function writes, only known at run time", (line, shown) => {
    expect(bashSays(shown)).toBe("</>");
    const r = rated(line);
    expect(r.risk, r.shown).toBe("high");
    expect(r.details, r.shown).toEqual(["deletes a path only known at run time recursively"]);
  });

  it("the builtin's output is still read where no such function is defined", () => {
    const r = rated('f() { printf /; }; rm -rf "$(echo safe)"');
    expect(r.details, r.shown).toContain("deletes safe recursively");
  });
});

/**
 * zsh and sh (dash, as on Debian) read echo otherwise than bash: both decode backslashes without -e,
 * and zsh drops a `-` that ends its options. Each line runs in the real shell; wren must fill in
 * exactly what it writes, or a value only known at run time.
 */
describe("what $(echo …) writes in zsh and sh", () => {
  const shells = { zsh: "zsh", sh: "dash" } as const;
  const writes = (shell: keyof typeof shells, substitution: string): string =>
    execFileSync(shells[shell], ["-c", `printf '<%s>' "${substitution}"`], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", HOME: "/home/ada" } });

  it.each<[keyof typeof shells, string, string]>([
    ["zsh", '$(echo "\\n")', ""],
    ["zsh", "$(echo '\\057')", "/"],
    ["zsh", "$(echo -n '\\0057')", "/"],
    ["zsh", "$(echo 'a\\cb')", "a"],
    ["sh", "$(echo '\\057')", "/"],
    ["sh", "$(echo -E '\\057')", "-E /"],
    ["sh", "$(echo -n 'a\\nb')", "a\nb"],
    ["zsh", "$(echo ${x:-'\\057'})", "/"],
  ])("%s: %s, which writes %j, is a value only known at run time", (shell, substitution, written) => {
    expect(writes(shell, substitution)).toBe(`<${written}>`);
    const r = rated(`rm -rf ./"${substitution}"`, shell);
    expect(r.risk, r.shown).toBe("high");
    expect(r.details, r.shown).toEqual(["deletes a path only known at run time recursively"]);
  });

  it.each<[keyof typeof shells, string, string]>([
    ["zsh", "$(echo - /)", "/"],
    ["zsh", "$(echo -n - -n /)", "-n /"],
    ["zsh", "$(echo -- /)", "-- /"],
    ["zsh", "$(echo -E 'a\\nb')", "a\\nb"],
    ["zsh", "$(printf '%s/' a b)", "a/b/"],
    ["sh", "$(echo -n /)", "/"],
    ["sh", "$(printf '%s\\n' /)", "/"],
  ])("%s: %s writes %j", (shell, substitution, written) => {
    expect(writes(shell, substitution)).toBe(`<${written}>`);
    const r = rated(`rm -rf ./"${substitution}"`, shell);
    expect(r.details, r.shown).toEqual([`deletes ./${written} recursively`]);
  });

  it.each<[keyof typeof shells, string]>([
    ["zsh", 'rm -rf "$(echo - /)"'],
    ["zsh", 'rm -rf "$(echo -n ${x:-~})"/'],
    ["sh", "rm -rf $(echo -n /)"],
  ])("%s: %j is critical", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
  });
});
