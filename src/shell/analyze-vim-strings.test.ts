import { beforeAll, describe, expect, it } from "vitest";
import { createShellAnalyzer, type ShellAnalyzer } from "./analyze.js";
import type { Risk } from "./types.js";

/** Ex commands given to vim: a `|` ends a command, except inside a regex or an expression's string. */
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

describe("vim -c with | in patterns and strings", () => {
  it.each<[string, Risk]>([
    ["vim -c '%s/a|b/c/g' -c wq f", "safe"],
    ["vi -c 'g/a|b/d' -c wq f", "safe"],
    ["vim +'%s/x\\|y/z/' +wq f", "safe"],
    ["vim -c 'echo \"a|b\"' -c q f", "safe"],
    ["vim -c 'echo \"a|!rm -rf ~\"' f", "safe"],
    ["vim -c 'exe \"!ls | wc\"' f", "safe"],
    // The whole string is the command system() runs.
    ["vim -c 'call system(\"ls|rm -rf ~\")' f", "critical"],
    ["vim -c \"call system('ls|rm -rf ~')\" f", "critical"],
    // A | after the string still ends the command.
    ["vim -c 'let x = \"a|b\" | !rm -rf ~' f", "critical"],
    ["vim -c \"let x = 'a''|b' | !rm -rf ~\" f", "critical"],
    ["vim -c 'let x = \"a\\\"|b\" | !rm -rf ~' f", "critical"],
    ["vim -c 's/a\"b/x/|!rm -rf ~' f", "critical"],
    ["vim -c 'echo \"x | !rm -rf ~' f", "critical"],
  ])("%s → %s", (command, risk) => check(command, risk));
});
