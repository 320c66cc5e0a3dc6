import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellWord } from "./shell-word.js";

describe("shellWord", () => {
  it.each([
    ["qwen2.5-0.5b", "qwen2.5-0.5b"],
    ["hf:org/repo:Q4_K_M", "hf:org/repo:Q4_K_M"],
    ["Bash(git merge topic)", '"Bash(git merge topic)"'],
    ["Say hi", '"Say hi"'],
    ["Bash(echo $HOME)", "'Bash(echo $HOME)'"],
    ["Bash(git merge fix!)", "'Bash(git merge fix!)'"],
    ["Bash(echo 'a' \"b\")", `'Bash(echo '\\''a'\\'' "b")'`],
    ["", '""'],
  ])("%j is written %s", (text, written) => {
    expect(shellWord(text)).toBe(written);
  });

  it("bash reads each word back as written, with history expansion on", () => {
    for (const text of ["Bash(git merge fix!)", "a b", "it's $HOME `x` \\ \"q\" !!", "Read(~/notes/**)", ""]) {
      const echoed = execFileSync("bash", ["-c", `set -H; printf %s ${shellWord(text)}`], { encoding: "utf8" });
      expect(echoed).toBe(text);
    }
  });
});
