import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * A `~` after `:` in an assignment's value is the home (`x=a:~/`), and so is one after the `=` of an
 * argument written as an assignment (`dd of=~/.bashrc`). Each line runs in bash with
 * `printf '<%s>'` for `rm -rf` (and for dd), to show what it is given.
 */
const rated = shellRater();

const bashSays = (line: string): string =>
  execFileSync("bash", ["-c", line.replaceAll("rm -rf", "printf '<%s>'").replace("dd if=/dev/zero", "printf '<%s>'")], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", HOME: "/home/ada" } });

describe("a ~ after : or = in an assignment", () => {
  it.each<[string, Risk, string, string]>([
    ["x=a:~/; IFS=:; rm -rf $x", "critical", "<a></home/ada/>", "deletes /home/ada/ recursively"],
    ["declare x=/tmp/a:~; IFS=:; rm -rf $x", "critical", "</tmp/a></home/ada>", "deletes /home/ada recursively"],
    ["export x=~/b:~; sh -c \"IFS=:; rm -rf \\$x\"", "critical", "</home/ada/b></home/ada>", "deletes /home/ada recursively"],
    ["env x=a:~ sh -c \"IFS=:; rm -rf \\$x\"", "critical", "<a></home/ada>", "deletes /home/ada recursively"],
    ["dd if=/dev/zero of=~/.bashrc", "high", "<of=/home/ada/.bashrc>", "overwrites /home/ada/.bashrc"],
  ])("%j is %s", (command, risk, said, detail) => {
    expect(bashSays(command)).toBe(said);
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details, r.shown).toContain(detail);
  });
});
