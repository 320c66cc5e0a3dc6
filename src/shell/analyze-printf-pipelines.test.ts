import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk, ShellKind } from "./types.js";

/**
 * What `printf` feeds a decoder, a shell or xargs in a pipeline is read as the real shells write it:
 * a format with no conversion takes no argument, so it is written once however many arguments
 * follow; only a pass that took some is repeated while arguments are left.
 */
const rated = shellRater();

const SHELLS = ["bash", "zsh", "dash"] as const;

/** What each real shell's printf writes; bash gets no stdin, so it reads no ~/.bashrc. */
const writes = (writer: string): string[] =>
  SHELLS.map((bin) => spawnSync(bin, ["-c", writer], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env["PATH"] ?? "", HOME: "/home/ada" } }).stdout);

describe("what printf writes into a pipeline, however many arguments follow its format", () => {
  it.each<[string, string, string, Risk, string]>([
    // The base64 of rm -rf /, written once: twice over it no longer decodes.
    ["printf 'cm0gLXJmIC8=' x", " | base64 -d | sh", "cm0gLXJmIC8=", "critical", "deletes / recursively"],
    ["printf -- 'cm0gLXJmIC8=' x y z", " | base64 -d | sh", "cm0gLXJmIC8=", "critical", "deletes / recursively"],
    ["printf 'rm -rf /' x", " | sh", "rm -rf /", "critical", "deletes / recursively"],
    // %% is no conversion either.
    ["printf 'rm -rf /%%' x", " | sh", "rm -rf /%", "critical", "deletes /% recursively"],
    // Five words, not five for each of the 65 passes wren allows, which xargs would give up on.
    ["printf '/ a b c d' x", " | xargs rm -rf", "/ a b c d", "critical", "deletes / recursively"],
    // A format that takes arguments is applied again while they are left.
    ["printf '%s' cm0gLXJm IC8=", " | base64 -d | sh", "cm0gLXJmIC8=", "critical", "deletes / recursively"],
    ["printf 'a %s ' / x", " | xargs rm -rf", "a / a x ", "critical", "deletes / recursively"],
  ])("%s%s", (writer, runner, written, risk, detail) => {
    expect(writes(writer)).toEqual(SHELLS.map(() => written));
    for (const shell of ["bash", "zsh", "sh"] satisfies ShellKind[]) {
      const r = rated(`${writer}${runner}`, shell);
      expect(r.risk, r.shown).toBe(risk);
      expect(r.details, r.shown).toContain(detail);
    }
  });
});
