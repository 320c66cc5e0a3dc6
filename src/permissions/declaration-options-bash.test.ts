import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";

/**
 * Which of a declaring builtin's words are options is bash's to say: they end at the first word that
 * is not one, or after `--` (`export EDITOR=/x -p` exports EDITOR; `-p` is a name bash refuses). Each
 * line below runs in bash, and wren's reading of it must agree with what bash did to EDITOR, a
 * variable that changes what runs.
 */
describe("a declaring builtin's options are read as bash reads them", () => {
  let commands: CommandAnalyzer;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
  });
  afterAll(() => commands.dispose());

  /** EDITOR's value and whether it is exported, after `line` (then `after`) ran in bash. */
  const editorAfter = (line: string, after = ""): string => {
    const script = `EDITOR=before; export EDITOR\n${line}\n${after}\nprintf '%s|%s' "\${EDITOR-<unset>}" "$(printenv EDITOR || echo '<not exported>')"`;
    return execFileSync("bash", ["-c", script], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "" }, stdio: ["ignore", "pipe", "ignore"] });
  };
  const untouched = editorAfter("");

  // What the line leaves EDITOR as is what wren takes it to set (`sets`): nothing more, nothing less.
  it.each([
    "export EDITOR=/x -p",
    "export -- -p EDITOR=/x",
    "readonly EDITOR=/x -p",
    "export -p EDITOR=/x",
    "export EDITOR -n",
    "export -n EDITOR=/x",
    "export -pn EDITOR",
    "unset EDITOR -f",
    "unset -f EDITOR",
    "unset -v EDITOR",
    "declare -f EDITOR=/x",
    "declare -p EDITOR=/x",
    "declare +p EDITOR=/x",
    "declare -x +p EDITOR=/x",
    "declare +x EDITOR",
    "declare EDITOR +x",
    "declare EDITOR=/x -p",
    "builtin unset EDITOR -f",
    "builtin export EDITOR -n",
    "command unset EDITOR -f",
    // bash takes no `+` options for export, readonly and unset: `+p` is a name it refuses, and ends the options.
    "export +p -n EDITOR",
    "export +n EDITOR=/x",
    "readonly +p EDITOR=/x",
    "unset +f -f EDITOR",
    "builtin unset +v -f EDITOR",
  ])("%s", (line) => {
    const changed = editorAfter(line) !== untouched;
    const breakdown = commands.breakdown(line, { cwd: "/", home: "/nonexistent" });
    expect(breakdown.sets.includes("EDITOR"), `bash: ${editorAfter(line)}; wren: ${JSON.stringify(breakdown.parts)}`).toBe(changed);
  });

  // `-n` makes R name EDITOR only as an option: then what is assigned to R goes to EDITOR.
  it.each(["declare -n R=EDITOR", "declare R=EDITOR -n", "declare -- -n R=EDITOR", "typeset -xn R=EDITOR"])("%s", (line) => {
    const references = editorAfter(line, "R=/x") !== untouched;
    const part = commands.breakdown(line, { cwd: "/", home: "/nonexistent" }).parts.find((p) => p.text.startsWith(line.split(" ")[0] ?? ""));
    expect(part?.whatRuns?.includes("EDITOR") ?? false, JSON.stringify(part)).toBe(references);
  });
});
