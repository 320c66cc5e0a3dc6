import { beforeAll, describe, expect, it } from "vitest";
import { createShellAnalyzer, type ShellAnalyzer } from "./analyze.js";
import type { Risk } from "./types.js";

/** awk programs are read as code: a `|` or `system(` in a string, regex or comment runs nothing. */
const cwd = "/home/ada/code/app";
const home = "/home/ada";

let analyzer: ShellAnalyzer;
beforeAll(async () => {
  analyzer = await createShellAnalyzer();
});

function check(command: string, risk: Risk): void {
  const result = analyzer.analyze(command, { shell: "bash", cwd, home });
  expect(result.risk, `${command} → ${result.risk} ${JSON.stringify(result.reasons)}`).toBe(risk);
}

describe("awk text that only looks like a pipe or a call", () => {
  it.each([
    "awk '/a|b/ {print}' f",
    "awk '/a|b/ {print $1}' f",
    "awk '{print \"a|b\"}' f",
    "awk '{print \"usage: x | sort\"}'",
    "awk '/foo|getline/' f",
    "awk 'BEGIN { print \"system(1)\" }'",
    "awk '{ print $1 ~ /x|y/ }' f",
    "awk '{ print /a|b/ ? \"y\" : \"n\" }' f",
    "awk '{ print \"a|b\" | \"sort\" }' f",
    "awk '{ print $1 } # | sh' f",
    "awk '$1 == \"x|y\" { print $2 }' f",
  ])("%s is a read", (command) => check(command, "safe"));

  it.each<[string, Risk]>([
    // Commands beside such text, and after a division that is not a regex, are still seen.
    ["awk '/a|b/ { system(\"rm -rf ~\") }' f", "critical"],
    ["awk '{ print \"#\"; system(\"rm -rf ~\") }' f", "critical"],
    ["awk '/\"/ { print \"rm -rf ~\" | \"sh\" }' f", "critical"],
    ["awk '{ x = $2 / 3; system(\"rm -rf ~\"); y = $1 / 2 }' f", "critical"],
    ["awk '{ x++ / 2; system(\"rm -rf ~\"); z = 1 / 2 }' f", "critical"],
    ["awk '{ a = (b) / 2; print \"rm -rf /\" | \"sh\"; c = d / 2 }' f", "critical"],
    ["awk '/a|b/ { print | \"sh\" }' f", "high"],
    ["awk '{ print \"x\" | cmd }' f", "high"],
    ["awk '{ n = $1 / $2 | \"sh\" }' f", "high"],
  ])("%s → %s", (command, risk) => check(command, risk));
});
