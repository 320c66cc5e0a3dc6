import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolvePaths } from "../../src/shared/paths.js";
import type { ScriptedTeacher, TeacherScript } from "../helpers/fake-upstreams/scripted-teacher.js";
import { KEYS, type PtySession } from "../helpers/pty-terminal.js";
import { stableScreen } from "../helpers/stable-screen.js";
import { quitSession as quit, sendPrompt as send, tuiWorkspace, type TuiPlace, type TuiWorkspace } from "../helpers/tui-workspace.js";

const CTRL_O = "\x0f";

/** The lines of `text` from the one holding `from` up to (not including) the one holding `to`. */
const between = (text: string, from: string, to: string): string => {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.includes(from));
  const end = lines.findIndex((l, i) => i > start && l.includes(to));
  return lines
    .slice(start, end)
    .map((l) => l.trimEnd())
    .join("\n")
    .trimEnd();
};

describe("the terminal UI's view: markdown, tool output, status, themes", { timeout: 240_000 }, () => {
  let workspace: TuiWorkspace;
  let where: TuiPlace;

  beforeAll(() => {
    workspace = tuiWorkspace("wren-tui-view-");
    where = workspace.place();
  });
  afterAll(() => workspace?.[Symbol.asyncDispose]());

  const open = async (script: TeacherScript, args: string[] = [], env: Record<string, string> = {}): Promise<{ pty: PtySession; teacher: ScriptedTeacher }> => {
    const teacher = await workspace.teacher(script);
    return { pty: await workspace.open(teacher, where, { args, env }), teacher };
  };

  it("renders a streaming answer as markdown (an unclosed fence is code so far) and a finished one into the scrollback", async () => {
    const partial = "# Plan\n\nUse **zod** and `safeParse`:\n\n```ts\nconst parsed = schema.safeParse(input);\n";
    const whole = "## Steps\n\n1. Read the *config*\n2. Check it:\n   - types\n   - ranges\n\n```ts\nconst ok = check(config); // early\n```\n\nDone.";
    const { pty, teacher } = await open([{ hang: true, text: partial }, { text: whole }]);
    await send(pty, "how do I check input?");
    await teacher.waitForRequests(1);
    // Mid-answer: the heading, emphasis and code without their markup; the fence still open.
    await pty.waitFor("● Plan", { visible: true });
    const live = pty.screen();
    expect(live).toContain("Use zod and safeParse:");
    expect(live).toMatch(/\n {4}const parsed = schema\.safeParse\(input\);/);
    expect(live).not.toMatch(/```|\*\*|`safeParse`|# Plan/);
    pty.type(KEYS.escape);
    await pty.waitFor("Cancelled. The session goes on");

    await send(pty, "and the steps?");
    await pty.waitFor("Done.");
    expect(between(pty.text(), "● Steps", "Done.")).toMatchSnapshot("a finished markdown answer");
    await quit(pty);
  });

  it("folds a long tool output to a few lines, and Ctrl+O prints it whole", async () => {
    const { pty } = await open([{ toolCalls: [{ name: "Bash", arguments: { command: "seq 1 12" } }] }, { text: "Counted to twelve." }], ["--allow", "Bash(seq 1 12)"]);
    await send(pty, "count");
    await pty.waitFor("● Counted to twelve.");
    const call = between(pty.text(), "● Bash(seq 1 12)", "● Counted to twelve.");
    expect(call).toMatch(/… \d+ more lines \(Ctrl\+O shows the output whole\)/);
    expect(call).not.toMatch(/^\s+12$/m);
    expect(call).toMatchSnapshot("a folded tool call");
    pty.type(CTRL_O);
    await pty.waitFor("Output of Bash(seq 1 12):");
    const whole = pty.text().slice(pty.text().indexOf("Output of Bash(seq 1 12):"));
    for (let n = 1; n <= 12; n++) expect(whole).toMatch(new RegExp(`^\\s*${n}$`, "m"));
    await quit(pty);
  });

  it("the status lines: who answered and why, tokens, first token, speed, context of the window, cost, mode, memory", async () => {
    const words = Array.from({ length: 20 }, (_, i) => `word${i}`).join(" ");
    const { pty } = await open([{ text: words, tokensPerSecond: 10 }]);
    await send(pty, "stream twenty words");
    await pty.waitFor("word19");
    await pty.waitFor("last: openai:gpt-4o-mini (direct)", { visible: true });
    const status = pty.screen().split("\n").slice(-3).join("\n");
    // Twenty words 100 ms apart: the answer lasts about 1.9 s, long enough for a speed (50 ms at
    // least) even where a busy machine holds the terminal UI back for a while and it reads a burst.
    expect(status).toMatch(/\d+ in \/ 7 out · \$0\.0000 · mode: default\nfirst token \d+(\.\d)? m?s · \d+(\.\d)? tok\/s · context \d+\/128k \(\d+%\)/);
    expect(status).toMatch(/^(memory: [\d.]+ [MG]iB free of [\d.]+ GiB|⚠ memory low: .*)$/m);
    expect(stableScreen(status)).toMatchSnapshot("status lines after a streamed turn");
    await quit(pty);
  });

  it("shows the memory line from the start, under the status line, before any turn", async () => {
    const { pty } = await open([]);
    await pty.waitFor(/^(memory: [\d.]+ [MG]iB free of [\d.]+ GiB|⚠ memory low: .*)$/m, { visible: true });
    const status = pty.screen().split("\n").slice(-2).join("\n");
    // No turn has run: no speed line between the status line and the memory line.
    expect(status).toMatch(/^openai:gpt-4o-mini · last: no turn yet · 0 in \/ 0 out · \$0\.0000 · mode: default\n(memory|⚠ memory low): /);
    expect(stableScreen(status)).toMatchSnapshot("status lines before the first turn");
    await quit(pty);
  });

  it("draws with the theme's colours, the user's own by role included, and with none under NO_COLOR", async () => {
    const configDir = resolvePaths({ WREN_HOME: where.home }).configDir;
    mkdirSync(configDir, { recursive: true });
    writeFileSync(path.join(configDir, "settings.toml"), '[ui]\ntheme = "light"\n\n[ui.colors]\naccent = "#5f87ff"\n');
    const answer = "Use `parse`:\n\n```ts\nconst ok = true;\n```";
    // Colour on (the helper's terminal has NO_COLOR set, and CI set, which would turn chalk's colours off).
    const coloured = await open([{ text: answer }], [], { NO_COLOR: "", FORCE_COLOR: "3" });
    await send(coloured.pty, "colours");
    await coloured.pty.waitFor("const ok = true;");
    const out = coloured.pty.output();
    expect(out).toContain("\x1b[38;2;95;135;255m"); // the user's accent: the prompt box and the answer's bullet
    expect(out).toContain("\x1b[35mconst"); // the light theme's keyword colour (magenta)
    await quit(coloured.pty);

    const plain = await open([{ text: answer }], [], { NO_COLOR: "1", FORCE_COLOR: "3" });
    const from = plain.pty.output().length;
    await send(plain.pty, "no colours");
    await plain.pty.waitFor("const ok = true;");
    // No foreground colour (SGR 30–37, 38;…, 90–97) in anything drawn since.
    expect(plain.pty.output().slice(from)).not.toMatch(new RegExp(`${"\x1b"}\\[(3[0-79]|38;|9[0-7])[;m]`));
    await quit(plain.pty);
    rmSync(path.join(configDir, "settings.toml"));
  });

  it("/theme switches the theme and saves it for the next session; a name it does not know is refused", async () => {
    const first = await open([]);
    await send(first.pty, "/theme solarized");
    await first.pty.waitFor("There is no theme “solarized”.");
    await first.pty.waitFor("Pick one of: dark, light, none.");
    await send(first.pty, "/theme light");
    await first.pty.waitFor(/Theme: light, saved to .*settings\.toml\. NO_COLOR is set/, { visible: true });
    const file = path.join(resolvePaths({ WREN_HOME: where.home }).configDir, "settings.toml");
    expect(readFileSync(file, "utf8")).toContain('theme = "light"');
    await quit(first.pty);

    const second = await open([]);
    await send(second.pty, "/theme");
    await second.pty.waitFor("Theme: light. Built in: dark, light, none.");
    await quit(second.pty);
  });
});
