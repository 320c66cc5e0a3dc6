import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk, ShellKind } from "./types.js";

/**
 * bash, zsh and sh read a whole line, and every line of a compound command, before they run any
 * of it, and expand aliases as they read: an alias defined on a line applies from the next line on
 * (`alias x='rm -rf'; x ~` runs `x`), while text read later (eval's, a `$(…)`'s, a trap's) sees
 * every alias defined before it runs; a child shell's script sees only its own (see the end of the file). fish and PowerShell apply a definition at
 * once. The alias body itself is judged where it is defined, whatever uses it.
 */
const rated = shellRater();

describe("an alias applies from the line after the one that defines it", () => {
  it.each<[ShellKind, string, Risk]>([
    // The same line: the alias is not expanded; only its body is judged.
    ["bash", "alias x='rm -rf'; x ~", "safe"],
    ["zsh", "alias x='rm -rf'; x ~", "safe"],
    ["sh", "alias x='rm -rf'; x ~", "safe"],
    ["bash", "alias x='rm -rf' && x ~", "safe"],
    ["bash", "alias x='rm -rf' &&\nx ~", "safe"],
    ["bash", "alias ls='rm -rf ~'; ls", "critical"],
    ["bash", "if true; then alias x='rm -rf'\nx ~; fi", "safe"],
    ["bash", "f() { alias x='rm -rf'; }; f; x ~", "safe"],
    ["bash", "alias x='rm -rf'; f() { x ~; }; f", "safe"],
    ["bash", "eval \"alias x='rm -rf'\"; x ~", "safe"],
    ["bash", "eval \"alias x='rm -rf'; x ~\"", "safe"],
    ["bash", "bash -c \"alias x='rm -rf'; x ~\"", "safe"],
    // A later line: expanded.
    ["bash", "alias x='rm -rf'\nx ~", "critical"],
    ["zsh", "alias x='rm -rf'\nx ~", "critical"],
    ["sh", "alias x='rm -rf'\nx ~", "critical"],
    ["bash", "alias ls='rm -rf ~'\nls", "critical"],
    ["bash", "alias x='rm -rf' # a comment\nx ~", "critical"],
    ["bash", "alias x='rm -rf'; cat <<END\nhi\nEND\nx ~", "critical"],
    ["bash", "if true; then alias x='rm -rf'\nfi\nx ~", "critical"],
    ["bash", "if true; then alias x='rm -rf'; fi\nfor i in 1; do x ~; done", "critical"],
    ["bash", "f() { alias x='rm -rf'; }\nf\nx ~", "critical"],
    ["bash", "eval \"alias x='rm -rf'\"\nx ~", "critical"],
    ["bash", "eval \"alias x='rm -rf'\nx ~\"", "critical"],
    // Text read after the definition ran: expanded.
    ["bash", "alias x='rm -rf'; eval 'x ~'", "critical"],
    ["bash", "alias x='rm -rf'; echo \"$(x ~)\"", "critical"],
    ["bash", "alias x='rm -rf'; cat <(x ~)", "critical"],
    ["bash", "alias echo='rm -rf'; eval \"$(echo ~)\"", "critical"],
    // fish and PowerShell define it at once.
    ["fish", "alias x 'rm -rf'; x ~", "critical"],
    ["powershell", "Set-Alias x Remove-Item; x -Recurse ~", "critical"],
    ["bash", "pwsh -c \"Set-Alias x Remove-Item; x -Recurse ~\"", "critical"],
    ["bash", "fish -c \"alias x 'rm -rf'; x ~\"", "critical"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });
});

/**
 * A child shell reads the aliases its own script defines as that shell does when run without a
 * terminal (checked against bash 5, dash and zsh 5.9): bash expands none unless `shopt -s
 * expand_aliases` (or `-i`) is on, sh expands them from the next line, zsh -c reads its whole
 * script first, so they apply only to text read later (eval). No child inherits the line's aliases.
 */
describe("aliases in a child shell's script", () => {
  it.each<[ShellKind, string, Risk]>([
    ["bash", "bash -c \"alias x='rm -rf'\nx ~\"", "safe"],
    ["bash", "bash -c \"alias x='rm -rf'\neval 'x ~'\"", "safe"],
    ["bash", "bash -c \"alias ls='echo hi'; ls\"", "safe"],
    ["bash", "bash -c \"shopt -s expand_aliases\nalias x='rm -rf'\nx ~\"", "critical"],
    ["bash", "bash -c \"shopt -s expand_aliases; alias x='rm -rf'\nx ~\"", "critical"],
    ["bash", "bash -ic \"alias x='rm -rf'\nx ~\"", "critical"],
    ["bash", "bash -O expand_aliases -c \"alias x='rm -rf'\nx ~\"", "critical"],
    ["bash", "sh -c \"alias x='rm -rf'\nx ~\"", "critical"],
    ["bash", "zsh -c \"alias x='rm -rf'\nx ~\"", "safe"],
    ["bash", "zsh -c \"alias x='rm -rf'\neval 'x ~'\"", "critical"],
    ["zsh", "alias x='rm -rf'\nbash -c 'x ~'", "safe"],
    ["bash", "alias x='rm -rf'\nsh -c 'x ~'", "safe"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });
});
