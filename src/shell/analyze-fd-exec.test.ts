import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * fd (fdfind on Debian) runs a command on each file it finds with `-x`/`--exec`, or on all at once
 * with `-X`/`--exec-batch`, as `find -exec` does: `{}`, `{/}`, `{//}`, `{.}` and `{/.}` stand for the
 * file, its name, its folder, and those without the extension; with none, the files come last. Its
 * first operand is the pattern, the rest are the folders searched (default: the current one).
 */
const rated = shellRater();

describe("fd -x and -X are judged as find -exec", () => {
  it.each<[string, string, string]>([
    ["fd . ~ -X rm -rf", "find ~ -exec rm -rf {} +", "critical"],
    ["fdfind . ~ -X rm -rf", "find ~ -exec rm -rf {} +", "critical"],
    ["fd . ~ -x rm -rf {//}", "find ~ -exec rm -rf {} \\;", "critical"],
    ["fd . --search-path ~ -x rm -rf", "find ~ -exec rm -rf {} \\;", "critical"],
    ["fd tmp / -x rm -rf {}", `find / -name "*tmp*" -exec rm -rf {} \\;`, "critical"],
    ["fd -e tmp -x rm", `find . -name "*.tmp" -exec rm {} \\;`, "moderate"],
    ["fd --extension=tmp -X rm -rf", `find . -name "*.tmp" -exec rm -rf {} +`, "moderate"],
    ["fd -etmp -x rm", `find . -name "*.tmp" -exec rm {} \\;`, "moderate"],
    ["fd -e log . /var/log -X truncate -s0", `find /var/log -name "*.log" -exec truncate -s0 {} +`, "high"],
    [`fd -e txt -x sh -c "wc -l {}"`, `find . -name "*.txt" -exec sh -c "wc -l {}" \\;`, "high"],
    // A root after `=` is a root (bash leaves `~` after `=` alone: a folder named ~ here).
    ["fd --search-path=/etc -x rm -rf", "fd --search-path /etc -x rm -rf", "critical"],
    [`fd --search-path="$HOME" -x rm -rf`, `find "$HOME" -exec rm -rf {} \\;`, "critical"],
    ["fd --base-directory=/etc -x rm -rf", "find /etc -exec rm -rf {} \\;", "critical"],
    ["fd -C /etc -x rm -rf", "find /etc -exec rm -rf {} \\;", "critical"],
    ["fd --search-path=~ -x rm -rf", "fd --search-path '~' -x rm -rf", "moderate"],
    // Short flags grouped as clap reads them: -x last in a group runs the words after it.
    ["fd . ~ -Hx rm -rf", "find ~ -exec rm -rf {} \\;", "critical"],
    ["fd -Hxrm . ~", "find ~ -exec rm {} \\;", "critical"],
    // `;` ends -x's command: the words after it are fd's pattern and folders again.
    ["fd -x rm -rf \\; . ~", "find ~ -exec rm -rf {} \\;", "critical"],
    ["fd -X rm -rf ';' . /etc", "find /etc -exec rm -rf {} +", "critical"],
    // A command only known at run time, given with = as with a separate word.
    [`fd . ~ --exec="$C"`, `fd . ~ -x "$C"`, "critical"],
    [`fd . ~ --exec-batch="$C"`, `fd . ~ -X "$C"`, "critical"],
    [`fd . ~ -x"$C"`, `fd . ~ -x "$C"`, "critical"],
    // fd's -e is find's -name: outside the project it narrows nothing.
    ["fd -e tmp --search-path ~ -x rm -rf", `find ~ -name "*.tmp" -exec rm -rf {} \\;`, "critical"],
  ])("%s rates as %s", (line, twin, risk) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe(rated(twin).risk);
    expect(r.risk, r.shown).toBe(risk);
  });

  it("reads a group of short flags as clap does: the first that takes a value takes the rest, or the next word", () => {
    for (const [grouped, apart] of [
      ["fd -Ht f . ~ -x rm", "fd -H -t f . ~ -x rm"],
      ["fd -Htf . ~ -x rm", "fd -H -t f . ~ -x rm"],
      ["fd -He tmp -x rm", "fd -H -e tmp -x rm"],
      ["fd -t=f . ~ -x rm", "fd -t f . ~ -x rm"],
    ] as const) {
      const r = rated(grouped);
      const a = rated(apart);
      expect(r.risk, r.shown).toBe(a.risk);
      expect(r.details, r.shown).toEqual(a.details);
    }
  });

  it("fd without -x, and commands that only read or copy the files, stay safe", () => {
    for (const line of ["fd pattern", "fd -e tmp", "fd -x", "fd -t f -x wc -l", "fd -e txt -x cp {} {.}.bak", `fd -e txt -x sh -c 'wc -l "$1"' _ {}`]) {
      const r = rated(line);
      expect(r.risk, `${line}\n${r.shown}`).toBe("safe");
    }
  });
});
