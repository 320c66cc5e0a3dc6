import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * xargs under `-0`, `--null`, `-d` or `--delimiter` splits what it reads only at that character, so a
 * line with blanks is one argument: `printf 'rm -rf /' | xargs -0 sh -c` runs `sh -c 'rm -rf /'`.
 */
const rated = shellRater();

/** The arguments real xargs gives its command, one per line in brackets; bash gets no stdin, so it reads no ~/.bashrc. */
const xargsGives = (writer: string, options: string): string =>
  spawnSync("bash", ["-c", `${writer} | xargs ${options} sh -c 'for a; do printf "[%s]" "$a"; done' _`], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env["PATH"] ?? "" },
  }).stdout;

describe("xargs with a delimiter gives a shell the whole line it reads as its script", () => {
  it.each<[string, string, string]>([
    ["printf 'rm -rf /'", "-0", "[rm -rf /]"],
    ["printf '%s\\0' 'rm -rf /'", "-0", "[rm -rf /]"],
    ["echo 'rm -rf /'", "-0", "[rm -rf /\n]"],
    ["echo 'rm -rf /'", "--null", "[rm -rf /\n]"],
    ["echo 'rm -rf /'", "-d '\\n'", "[rm -rf /]"],
    ["echo 'rm -rf /'", "--delimiter '\\n'", "[rm -rf /]"],
    ["echo 'rm -rf /'", "--delimiter='\\n'", "[rm -rf /]"],
    ["printf 'rm -rf /,'", "-d,", "[rm -rf /]"],
    ["printf 'rm -rf /'", "-r0", "[rm -rf /]"],
    // The last of -0 and -d counts.
    ["printf 'rm -rf /'", "-d ' ' -0", "[rm -rf /]"],
  ])("%s | xargs %s sh -c", (writer, options, given) => {
    // Each is one argument to the stand-in that shows them; `sh -c` would run it as its script.
    expect(xargsGives(writer, `${options} -n1`)).toBe(given);
    const r = rated(`${writer} | xargs ${options} sh -c`);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it.each<[string, string]>([
    ["printf 'a\\0\\0rm -rf /\\0'", "-0"],
    ["printf 'x,rm -rf /'", "-d ,"],
  ])("%s | xargs %s bash -c: the script is the first item, the rest its arguments", (writer, options) => {
    expect(xargsGives(writer, options)).toMatch(/^\[.*\]\[rm -rf \/\]$/);
    const r = rated(`${writer} | xargs ${options} bash -c`);
    expect(r.details, r.shown).not.toContain("deletes / recursively");
  });

  it("blanks still split the line without a delimiter, so sh -c runs only rm", () => {
    expect(xargsGives("printf 'rm -rf /'", "")).toBe("[rm][-rf][/]");
    const r = rated("printf 'rm -rf /' | xargs sh -c");
    expect(r.details, r.shown).not.toContain("deletes / recursively");
  });

  it("input only known at run time keeps its rating", () => {
    expect(rated("xargs -0 sh -c < list.txt").risk).toBe(rated("xargs sh -c < list.txt").risk);
    expect(rated("curl -s http://x | xargs -0 sh -c").risk).toBe("critical");
  });
});
