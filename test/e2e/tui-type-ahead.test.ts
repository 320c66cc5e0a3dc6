import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PtySession } from "../helpers/pty-terminal.js";
import { quitSession as quit, tuiWorkspace, type TuiPlace, type TuiWorkspace } from "../helpers/tui-workspace.js";

/**
 * Keys typed ahead reach wren in one read on a busy machine (or over ssh): each is still a key, as if
 * typed separately. Only what the terminal marks as pasted is taken as text. Each case writes its
 * keys to the terminal in one write.
 */
describe("wren's terminal UI takes keys typed ahead one by one and pastes as text", { timeout: 240_000 }, () => {
  let workspace: TuiWorkspace;
  let place: TuiPlace;

  beforeAll(() => {
    workspace = tuiWorkspace("wren-tui-typeahead-");
    place = workspace.place();
  });
  afterAll(() => workspace?.[Symbol.asyncDispose]());

  /** Whether the terminal was last told to mark pastes (bracketed paste mode on) and not told to stop. */
  const pasteMarkingLeftOn = (pty: PtySession): boolean => pty.output().lastIndexOf("\x1b[?2004h") > pty.output().lastIndexOf("\x1b[?2004l");

  /** The prompt box's rows on the visible screen: the lines between its top and bottom border. */
  const promptRows = (pty: PtySession): string[] => {
    const lines = pty.screen().split("\n");
    const top = lines.findLastIndex((l) => l.includes("╭"));
    const bottom = lines.findLastIndex((l) => l.includes("╰"));
    return lines.slice(top + 1, bottom).map((l) => l.replace(/^\s*│\s?/, "").replace(/\s*│\s*$/, "").trimEnd());
  };

  it("Ctrl+C then text in one write clears the prompt, then types the text", async () => {
    const t = await workspace.teacher([]);
    const pty = await workspace.open(t, place);
    pty.type("/mcp d\x03question");
    await pty.waitFor("> question", { visible: true });
    expect(promptRows(pty)).toEqual(["> question"]);
    pty.type("\x03");
    await pty.waitForGone("> question");
    await quit(pty);
  });

  it("Enter then text in one write sends the first prompt and types the second", async () => {
    const t = await workspace.teacher([{ text: "First answer." }]);
    const pty = await workspace.open(t, place);
    pty.type("first prompt\rsecond prompt");
    await pty.waitFor("● First answer.");
    await pty.waitFor("> second prompt", { visible: true });
    expect(t.requests).toHaveLength(1);
    const sent = t.requests[0]?.messages.at(-1);
    expect(sent?.content).toBe("first prompt");
    expect(promptRows(pty)).toEqual(["> second prompt"]);
    pty.type("\x03");
    await pty.waitForGone("> second prompt");
    await quit(pty);
  });

  it("a bracketed paste of two lines is inserted as two lines and not sent", async () => {
    const t = await workspace.teacher([]);
    const pty = await workspace.open(t, place);
    pty.type("\x1b[200~pasted one\rpasted two\x1b[201~");
    await pty.waitFor(/pasted one\s*│\n\s*│\s+pasted two/, { visible: true });
    expect(promptRows(pty)).toEqual(["> pasted one", "  pasted two"]);
    expect(t.requests).toHaveLength(0);
    pty.type("\x03");
    await pty.waitForGone("pasted two");
    await quit(pty);
    expect(pasteMarkingLeftOn(pty)).toBe(false);
  });

  it("drops escape sequences from a paste: nothing acts on the terminal, the model gets what was shown", async () => {
    const t = await workspace.teacher([{ text: "Pasted answer." }]);
    const pty = await workspace.open(t, place);
    const before = pty.output().length;
    // A page's copied text: a clipboard write (OSC 52), a title change and concealed words.
    pty.type("\x1b[200~look\x1b]52;c;ZXZpbA==\x07 here\x1b]0;pwned\x07\x1b[8m hidden\x1b[0m\x1b[201~");
    await pty.waitFor("> look here hidden", { visible: true });
    const drawn = pty.output().slice(before);
    expect(drawn).not.toContain("]52;");
    expect(drawn).not.toContain("pwned");
    expect(drawn).not.toContain("\x1b[8m");
    pty.type("\r");
    await pty.waitFor("● Pasted answer.");
    expect(t.requests[0]?.messages.at(-1)?.content).toBe("look here hidden");
    await quit(pty);
  });

  it("stops the terminal marking pastes when it ends on a signal", async () => {
    const t = await workspace.teacher([]);
    const pty = await workspace.open(t, place);
    expect(pasteMarkingLeftOn(pty)).toBe(true);
    // wren runs as the pty bridge's child (Linux lists children in /proc, without procps; macOS has pgrep).
    const bridge = String(pty.pid);
    const children = process.platform === "linux" ? readFileSync(`/proc/${bridge}/task/${bridge}/children`, "utf8") : execFileSync("pgrep", ["-P", bridge], { encoding: "utf8" });
    const wren = Number(children.trim().split(/\s+/)[0]);
    expect(wren).toBeGreaterThan(0);
    process.kill(wren, "SIGTERM");
    await pty.exited;
    expect(pasteMarkingLeftOn(pty)).toBe(false);
  });
});
