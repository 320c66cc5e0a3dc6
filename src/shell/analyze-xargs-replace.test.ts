import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * xargs under `-I R` (`-i`, `--replace`) puts each input line wherever R stands in its command's
 * words, not only where a word is R alone: `echo / | xargs -I{} sh -c "rm -rf {}"` runs
 * `sh -c "rm -rf /"`, and `xargs -I{} rm -rf {}/` runs `rm -rf //`.
 */
const rated = shellRater();

/** The arguments real xargs gives its command, one per bracket (printf stands in for the command; nothing runs). */
const xargsGives = (writer: string, options: string, words: string): string =>
  spawnSync("bash", ["-c", `${writer} | xargs ${options} printf '[%s]' ${words}`], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env["PATH"] ?? "" },
  }).stdout;

describe("xargs -I puts each item wherever its replacement string stands", () => {
  it.each<[string, string, string, string]>([
    ["echo /", "-I{}", `sh -c "rm -rf {}"`, "[sh][-c][rm -rf /]"],
    ["echo /", "-I{}", "rm -rf {}/", "[rm][-rf][//]"],
    ["echo /", "-I @", "rm -rf @/", "[rm][-rf][//]"],
    ["echo /", "--replace", `bash -c "rm -rf {}*"`, "[bash][-c][rm -rf /*]"],
    ["printf '/\\n'", "-i", `sh -c "rm -rf {}"`, "[sh][-c][rm -rf /]"],
  ])("%s | xargs %s %s is critical", (writer, options, command, given) => {
    // What xargs really hands its command, shown by printf in its place.
    expect(xargsGives(writer, options, command)).toBe(given);
    const r = rated(`${writer} | xargs ${options} ${command}`);
    expect(r.risk, r.shown).toBe("critical");
  });

  it("items only known at run time leave those parts of the word unknown, rated as a variable there is", () => {
    expect(rated(`ls | xargs -I{} sh -c "rm -rf {}"`).risk).toBe(rated(`sh -c "rm -rf $X"`).risk);
    expect(rated(`ls | xargs -I{} sh -c "echo > {}"`).risk).toBe(rated(`sh -c "echo > $X"`).risk);
    expect(rated(`ls | xargs -I{} sh -c "echo > {}"`).risk).not.toBe("safe");
  });

  it("harmless commands stay as they were", () => {
    expect(xargsGives("echo a.txt", "-I{}", "cp {} {}.bak")).toBe("[cp][a.txt][a.txt.bak]");
    expect(rated("echo a.txt | xargs -I{} cp {} {}.bak").risk).toBe("safe");
    expect(rated("echo a | xargs -I{} echo {}").risk).toBe("safe");
  });
});
