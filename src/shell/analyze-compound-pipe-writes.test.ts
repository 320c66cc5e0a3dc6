import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk } from "./types.js";

/**
 * A compound command's redirection writes what its commands write: a pipeline among them that ends in
 * `cat` or `tee`, which pass their input on as it is, writes what its first command writes, so
 * `{ echo 'rm -rf ~' | cat; } > x.sh` holds `rm -rf ~` as `{ echo 'rm -rf ~'; } > x.sh` does.
 */
const rated = shellRater();

describe("a compound command whose pipeline ends in cat or tee", () => {
  it.each<[string, Risk]>([
    ["{ echo 'rm -rf ~' | cat; } > x.sh; sh x.sh", "critical"],
    ["{ echo ls | cat; } > x.sh; sh x.sh", "safe"],
    ["{ echo '#!/bin/sh'; printf 'rm -rf ~' | cat | cat -; } > x.sh; sh x.sh", "critical"],
    ["{ echo 'rm -rf ~' | tee -a log.txt; } > x.sh; sh x.sh", "critical"],
    ["(echo 'rm -rf ~' | cat) > x.sh; sh x.sh", "critical"],
    ["f() { echo 'rm -rf ~' | cat; } > x.sh; f; sh x.sh", "critical"],
    ["{ echo ls | cat; echo ls | cat; } > x.sh; sh x.sh", "safe"],
    // What cat or tee does there is not a pass-through, or not the builtin's: the text is unknown.
    ["{ echo ls | sort; } > x.sh; sh x.sh", "high"],
    ["{ echo ls | cat -n; } > x.sh; sh x.sh", "high"],
    ["{ echo ls | cat y.sh; } > x.sh; sh x.sh", "high"],
    ["{ echo ls | tee -; } > x.sh; sh x.sh", "high"],
    ["{ echo ls | cat > y.sh; } > x.sh; sh x.sh", "high"],
    ["cat() { echo 'rm -rf ~'; }; { echo ls | cat; } > x.sh; sh x.sh", "high"],
    ["{ echo ls | cat; } >> x.sh; sh x.sh", "high"],
  ])("bash: %s is %s", (command, risk) => {
    const r = rated(command, "bash");
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[string, Risk]>([
    ["{ echo 'rm -rf ~' | cat; } > x.sh; sh x.sh", "critical"],
    ["{ echo ls | cat; } > x.sh; sh x.sh", "safe"],
  ])("zsh: %s is %s", (command, risk) => {
    const r = rated(command, "zsh");
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[string, Risk]>([
    ["begin; echo 'rm -rf ~' | cat; end > x.sh; sh x.sh", "critical"],
    ["begin; echo ls | cat; end > x.sh; sh x.sh", "safe"],
  ])("fish: %s is %s", (command, risk) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe(risk);
  });
});
