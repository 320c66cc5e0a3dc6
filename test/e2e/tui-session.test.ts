import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatBody, ScriptedTeacher, TeacherScript } from "../helpers/fake-upstreams/scripted-teacher.js";
import { KEYS, type PtySession } from "../helpers/pty-terminal.js";
import { stableScreen } from "../helpers/stable-screen.js";
import { quitSession as quit, sendPrompt as send, tuiWorkspace, type TuiWorkspace } from "../helpers/tui-workspace.js";

/** The Delete key, as terminals send it. */
const DELETE = "\x1b[3~";
/** A critical command's dialog once it takes the word yes: the line it is typed on is drawn. */
const TYPED_YES = /Type yes and Enter to run it once; Esc refuses\.\s*│\n│ > /;
/** The AskUser dialog once it takes keys: it names them. */
const ASK_USER_ARMED = "A digit or Enter picks";
/** What a dialog says in place of its keys while it does not take them yet (a moment after it appears). */
const DIALOG_WAIT = "… a moment: keys typed now are ignored";

/** `text` as the screen shows it, wherever the terminal's width breaks its lines. */
const wrapped = (text: string): RegExp => new RegExp(text.split(/\s+/).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\s+"));

/** The text of the tool results in a request's last message (what the model was told). */
const lastToolOutputs = (body: ChatBody): string[] => body.messages.filter((m) => m.role === "tool").slice(-1).map((m) => String(m.content));

describe("wren's terminal UI against a scripted teacher", { timeout: 240_000 }, () => {
  let workspace: TuiWorkspace;
  let home: string;
  let project: string;

  beforeAll(() => {
    workspace = tuiWorkspace("wren-tui-");
    ({ home, project } = workspace.place(undefined, { folders: ["src"] }));
  });
  afterAll(() => workspace?.[Symbol.asyncDispose]());

  const teacher = (script: TeacherScript): Promise<ScriptedTeacher> => workspace.teacher(script);
  /** Opens `wren` in a pseudo-terminal, answered by `t`, and waits for its prompt. */
  const open = (t: ScriptedTeacher, args: string[] = []): Promise<PtySession> => workspace.open(t, { home, project }, { args });
  /**
   * {@link open}, with dialogs that ignore keys for 4 s rather than 0.6 (agent.dialogGraceMs): a key
   * typed the moment a dialog is seen reaches it within its grace however loaded the machine is.
   */
  const openTypingAhead = (t: ScriptedTeacher, env: Record<string, string> = {}): Promise<PtySession> =>
    workspace.open(t, { home, project }, { env: { WREN_AGENT_DIALOG_GRACE_MS: "4000", ...env } });
  /**
   * {@link open}, with dialogs that take keys the moment they appear (agent.dialogGraceMs 0): for a
   * test about what a dialog does with its answer, not about its grace (the tests that type ahead
   * cover that), which then waits for no grace to pass. It still types only once the dialog shows
   * it takes keys.
   */
  const openAnswering = (t: ScriptedTeacher): Promise<PtySession> => workspace.open(t, { home, project }, { env: { WREN_AGENT_DIALOG_GRACE_MS: "0" } });

  it("streams an answer, shows who answered in the status line, and quits with /quit", async () => {
    const t = await teacher([{ text: "Hello from the scripted teacher." }]);
    const pty = await open(t);
    await send(pty, "say hello");
    await pty.waitFor("● Hello from the scripted teacher.");
    await pty.waitFor("last: openai:gpt-4o-mini (direct)", { visible: true });
    const status = pty.screen().split("\n").slice(-3).join("\n");
    expect(stableScreen(status)).toMatchSnapshot("status line");
    await quit(pty);
  });

  it("shows a tool call, asks before an edit with its diff, and applies it after “allow once”", async () => {
    writeFileSync(path.join(project, "src", "app.js"), 'export const greeting = "hello";\n');
    const t = await teacher([
      { toolCalls: [{ name: "Read", arguments: { file_path: "src/app.js" } }] },
      { toolCalls: [{ name: "Edit", arguments: { file_path: "src/app.js", old_string: '"hello"', new_string: '"hello, wren"' } }] },
      { text: "The greeting names the wren now." },
    ]);
    const pty = await open(t);
    await send(pty, "greet the wren");
    await pty.waitFor("● Read(src/app.js)");
    await pty.waitFor("5. No, and tell the model what to do instead", { visible: true });
    await pty.waitFor("❯ 1. Yes, once", { visible: true });
    // Before it marked a choice, it said it did not take keys yet.
    expect(pty.output()).toContain(DIALOG_WAIT);
    expect(stableScreen(pty.screen())).toMatchSnapshot("permission dialog for an edit");
    pty.type("1");
    await pty.waitFor("● The greeting names the wren now.");
    expect(readFileSync(path.join(project, "src", "app.js"), "utf8")).toBe('export const greeting = "hello, wren";\n');
    const text = pty.text();
    const call = text.slice(text.indexOf("● Edit(src/app.js)"), text.indexOf("● The greeting"));
    expect(call.trimEnd()).toMatchSnapshot("an edit's tool call");
    await quit(pty);
  });

  it("shows the model's todo list whole", async () => {
    const todos = [
      { content: "Read the parser", status: "completed" },
      { content: "Fix the bug", status: "in_progress", activeForm: "Fixing the bug" },
      { content: "Run the tests", status: "pending" },
    ];
    const t = await teacher([{ toolCalls: [{ name: "TodoWrite", arguments: { todos } }] }, { text: "On it." }]);
    const pty = await open(t);
    await send(pty, "plan the fix");
    await pty.waitFor("● On it.");
    const text = pty.text();
    expect(text).toContain("● TodoWrite");
    for (const shown of ["Read the parser", "Fixing the bug", "Run the tests"]) expect(text).toContain(shown);
    await quit(pty);
  });

  it("pins the todo list above the prompt while the turn runs, a few lines around the task in progress, and prints it whole to the scrollback when the turn ends", async () => {
    /** Eight steps: the first `done` completed, the next in progress, the rest to do. */
    const plan = (done: number) =>
      Array.from({ length: 8 }, (_, i) => ({ content: `Step ${i + 1} of the plan`, activeForm: `Doing step ${i + 1}`, status: i < done ? "completed" : i === done ? "in_progress" : "pending" }));
    const t = await teacher([
      { toolCalls: [{ name: "TodoWrite", arguments: { todos: plan(3) } }] },
      // The permission dialog holds the turn open while the screen is read.
      { toolCalls: [{ name: "Write", arguments: { file_path: "src/steps.txt", content: "steps\n" } }] },
      { toolCalls: [{ name: "TodoWrite", arguments: { todos: plan(8) } }] },
      { text: "All eight steps are done." },
    ]);
    const pty = await open(t);
    await send(pty, "work through the plan");
    await pty.waitFor("Permission: Write", { visible: true });
    // Pinned right above the dialog: its heading, the step in progress highlighted with the one
    // before it and the one after, the rest counted.
    expect(pty.screen()).toMatch(/\n☰ Todos \(3\/8 done\)\n {2}… 2 earlier\n {2}☒ Step 3 of the plan\n {2}◼ Doing step 4\n {2}☐ Step 5 of the plan\n {2}… 3 more\n╭─/);
    // The tool call in the scrollback counts the list; the steps out of the window are nowhere yet.
    expect(pty.text()).toContain("● TodoWrite\n  ⎿ Todo list updated: 3 done, 1 in progress, 4 to do");
    expect(pty.text()).not.toContain("Step 8 of the plan");
    // The dialog takes keys once a choice is marked (a moment after it appears).
    await pty.waitFor("❯ 1. Yes, once", { visible: true });
    pty.type("1");
    await pty.waitFor("● All eight steps are done.");
    await pty.waitForGone(/☰ Todos \(/);
    const text = pty.text();
    const printed = text.indexOf("☰ Todos at the end of the turn (8/8 done)");
    expect(printed).toBeGreaterThan(text.indexOf("● All eight steps are done."));
    const lines = text.slice(printed).split("\n").slice(1, 9);
    expect(lines.map((l) => l.trim())).toEqual(plan(8).map((step) => `☒ ${step.content}`));
    // Printed once: the pinned list's frames were redrawn in place, never left in the scrollback.
    expect(text.split("Step 8 of the plan")).toHaveLength(2);
    await quit(pty);
  });

  it("refuses after “deny” and sends the person's note to the model", async () => {
    const t = await teacher([{ toolCalls: [{ name: "Write", arguments: { file_path: "src/new.txt", content: "new\n" } }] }, { text: "All right, I left it." }]);
    const pty = await openAnswering(t);
    await send(pty, "make a file");
    await pty.waitFor("Permission: Write", { visible: true });
    await pty.waitFor("5. No", { visible: true });
    await pty.waitFor("❯ 1. Yes, once", { visible: true });
    pty.type("5");
    await pty.waitFor("Tell the model what to do instead", { visible: true });
    pty.type("not todayX");
    await pty.waitFor("> not todayX", { visible: true });
    // The note is typed at its end: Delete has nothing under the cursor to remove; Backspace takes the X.
    pty.type(`${DELETE}!`);
    await pty.waitFor("> not todayX!", { visible: true });
    pty.type(`${KEYS.backspace}${KEYS.backspace}`);
    await pty.waitFor(/> not today\s/, { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("● All right, I left it.");
    expect(existsSync(path.join(project, "src", "new.txt"))).toBe(false);
    expect(lastToolOutputs(t.requests[1]!)[0]).toMatch(/^Permission denied: Write was not run .*The user says: not today/);
    await quit(pty);
  });

  it("keys typed as the permission dialog appears do not answer it: it takes keys once its choices are marked", async () => {
    const made = path.join(project, "typed-ahead.txt");
    const t = await teacher([{ toolCalls: [{ name: "Bash", arguments: { command: "touch typed-ahead.txt" } }] }, { text: "Refused, then." }]);
    const pty = await openTypingAhead(t);
    await send(pty, "make it");
    await pty.waitFor(/Permission: Bash[\s\S]*5\. No/, { visible: true });
    // Typed at once, as keys meant for the prompt that reach the dialog as it is drawn: Enter and 1
    // would each allow the command.
    pty.type(KEYS.enter);
    pty.type("1");
    await pty.waitFor("❯ 1. Yes, once", { visible: true });
    expect(pty.screen()).toContain("Permission: Bash");
    expect(t.requests).toHaveLength(1);
    pty.type("5");
    await pty.waitFor("Tell the model what to do instead", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("● Refused, then.");
    expect(existsSync(made)).toBe(false);
    await quit(pty);
  });

  it("a y typed as the cloud consent dialog appears does not send the session to the cloud: it takes y once it shows its keys", async () => {
    const t = await teacher([{ text: "Hello from the cloud, with consent." }]);
    const pty = await openTypingAhead(t, { WREN_ROUTER_CLOUD: "ask" });
    await send(pty, "say hello");
    await pty.waitFor("It leaves this machine.", { visible: true });
    // Typed at once, as a key meant for the prompt that reaches the dialog as it is drawn.
    pty.type("y");
    await pty.waitFor("y: yes, for this session", { visible: true });
    expect(pty.output()).toContain(DIALOG_WAIT);
    expect(pty.screen()).toContain("It leaves this machine.");
    expect(t.requests).toHaveLength(0);
    pty.type("y");
    await pty.waitFor("● Hello from the cloud, with consent.");
    expect(t.requests).toHaveLength(1);
    await quit(pty);
  });

  it("an “always” answer is saved for the project, and a new session honours it without asking", async () => {
    const made = path.join(project, "made.txt");
    const script: TeacherScript = [{ toolCalls: [{ name: "Bash", arguments: { command: "touch made.txt" } }] }, { text: "Made it." }];
    const first = await openAnswering(await teacher(script));
    await send(first, "make it");
    await first.waitFor("Permission: Bash", { visible: true });
    await first.waitFor(/3\. Always allow Bash\(touch made\.txt\) in this project/, { visible: true });
    await first.waitFor("❯ 1. Yes, once", { visible: true });
    first.type(KEYS.down);
    first.type(KEYS.down);
    await first.waitFor("❯ 3. Always allow", { visible: true });
    first.type(KEYS.enter);
    await first.waitFor("● Made it.");
    expect(existsSync(made)).toBe(true);
    expect(readFileSync(path.join(project, ".wren", "settings.toml"), "utf8")).toContain('"Bash(touch made.txt)"');
    await quit(first);

    rmSync(made);
    const second = await open(await teacher(script));
    await send(second, "make it again");
    await second.waitFor("● Made it.");
    expect(existsSync(made)).toBe(true);
    expect(second.text()).not.toContain("Permission: Bash");
    await quit(second);
  });

  it("a project's allow rule the user never accepted is named when the session opens, allows nothing, and counts once /trust accepts it", async () => {
    const place = workspace.place("untrusted", { folders: [".wren"], files: { ".wren/settings.toml": '[permissions]\nallow = ["Bash(touch made.txt)"]\n' } });
    const made = path.join(place.project, "made.txt");
    const pty = await workspace.open(await teacher([{ text: "Ready." }, { toolCalls: [{ name: "Bash", arguments: { command: "touch made.txt" } }] }, { text: "Made it." }]), place);
    await pty.waitFor(wrapped("This project's .wren/settings.toml has 1 allow rule you have not accepted, so it allows nothing yet: Bash(touch made.txt)."));
    await send(pty, "/permissions");
    await pty.waitFor(wrapped("Bash(touch made.txt) (project, not accepted: allows nothing until /trust)"));
    await send(pty, "/trust");
    await pty.waitFor(wrapped("Accepted for this project: Bash(touch made.txt). They count from now on."));
    await send(pty, "are you there?");
    await pty.waitFor("● Ready.");
    await send(pty, "make it");
    await pty.waitFor("● Made it.");
    expect(existsSync(made)).toBe(true);
    expect(pty.text()).not.toContain("Permission: Bash");
    expect(readFileSync(path.join(place.home, "trusted-projects.toml"), "utf8")).toContain('"Bash(touch made.txt)"');
    await quit(pty);
  });

  it("a failed turn is said in plain words with what to do, and the session goes on", async () => {
    // Without a reply the teacher answers 500, as a broken upstream would (retries included).
    const t = await teacher((body) => (JSON.stringify(body.messages.at(-1)).includes("again") ? { text: "Back again." } : (undefined as never)));
    const pty = await open(t);
    await send(pty, "hello?");
    await pty.waitFor(/✗ openai answered HTTP 500: the script has no reply/);
    // The hint, under the message: what to do.
    await pty.waitFor(/\n {2}openai failed; retry later or add a fallback target\./);
    await send(pty, "hello again?");
    await pty.waitFor("● Back again.");
    await quit(pty);
  });

  it("Ctrl+C stops a streaming answer, Esc interrupts one too, and the next prompt works", async () => {
    const t = await teacher([{ hang: true }, { hang: true }, { text: "Third answer." }]);
    const pty = await open(t);
    await send(pty, "talk forever");
    await t.waitForRequests(1);
    await pty.waitFor("Thinking…", { visible: true });
    pty.type(KEYS.ctrlC);
    await pty.waitFor("Cancelled. The session goes on");
    await t.waitForHangUps(1);
    await send(pty, "talk again");
    await t.waitForRequests(2);
    await pty.waitFor("Thinking…", { visible: true });
    pty.type(KEYS.escape);
    await t.waitForHangUps(2);
    await pty.waitForGone("Thinking…");
    await send(pty, "and now?");
    await pty.waitFor("● Third answer.");
    await quit(pty);
  });

  it("a prompt spans lines with \\ then Enter, and Tab completes a slash command", async () => {
    const t = await teacher([{ text: "Two lines read." }]);
    const pty = await open(t);
    pty.type("line one\\");
    await pty.waitFor("> line one\\", { visible: true });
    pty.type(KEYS.enter);
    // The next words are typed once Enter has taken effect, so the screen shows its line break.
    await pty.waitForGone("line one\\");
    pty.type("line two");
    await pty.waitFor(/> line one\s*│\n│\s+line two/, { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("● Two lines read.");
    const asked = t.requests[0]!.messages.at(-1)!;
    expect(asked.content).toBe("line one\nline two");

    pty.type("/he");
    await pty.waitFor("/help  the commands and keys", { visible: true });
    pty.type(KEYS.tab);
    // Completed, the command is no longer offered (its ghost text looked the same).
    await pty.waitForGone("/help  the commands and keys");
    pty.type(KEYS.enter);
    await pty.waitFor("Shift+Tab mode (default → accept edits → plan)");
    await quit(pty);
  });

  it("Shift+Tab reaches plan mode, which refuses a write without asking", async () => {
    const t = await teacher([{ toolCalls: [{ name: "Write", arguments: { file_path: "src/plan.txt", content: "planned\n" } }] }, { text: "I will plan instead." }]);
    const pty = await open(t);
    pty.type(KEYS.shiftTab);
    await pty.waitFor("mode: accept edits", { visible: true });
    pty.type(KEYS.shiftTab);
    await pty.waitFor("mode: plan", { visible: true });
    await send(pty, "write the plan file");
    await pty.waitFor("● I will plan instead.");
    expect(existsSync(path.join(project, "src", "plan.txt"))).toBe(false);
    expect(pty.text()).not.toContain("Permission: Write");
    expect(lastToolOutputs(t.requests[1]!)[0]).toMatch(/Plan mode is on/);
    await quit(pty);
  });

  it("/plan TASK plans in plan mode; the approved plan switches to the default mode and is carried out", async () => {
    const t = await teacher([
      { toolCalls: [{ name: "ExitPlanMode", arguments: { plan: "1. Write src/planned.txt." } }] },
      { toolCalls: [{ name: "Write", arguments: { file_path: "src/planned.txt", content: "planned\n" } }] },
      { text: "Carried out." },
    ]);
    const pty = await openTypingAhead(t);
    await send(pty, "/plan write the planned file");
    await pty.waitFor("1. Write src/planned.txt.", { visible: true });
    await pty.waitFor("2. Reject: keep planning", { visible: true });
    // An Enter on its way as the dialog appears (typed for the prompt) does not approve the plan.
    pty.type(KEYS.enter);
    expect(pty.screen()).toContain("mode: plan");
    await pty.waitFor("❯ 1. Approve: carry it out", { visible: true });
    expect(t.requests).toHaveLength(1);
    expect(pty.output()).toContain(DIALOG_WAIT);
    pty.type("1");
    await pty.waitFor("Permission: Write", { visible: true });
    await pty.waitFor("5. No", { visible: true });
    await pty.waitFor("❯ 1. Yes, once", { visible: true });
    pty.type("1");
    await pty.waitFor("● Carried out.");
    await pty.waitFor("mode: default", { visible: true });
    expect(readFileSync(path.join(project, "src", "planned.txt"), "utf8")).toBe("planned\n");
    expect(t.requests[0]!.messages.at(-1)!.content).toBe("write the planned file");
    await quit(pty);
  });

  it("the model's questions (AskUser) are answered in a dialog: a pick, then ticks and words of one's own", async () => {
    const t = await teacher([
      {
        toolCalls: [
          {
            name: "AskUser",
            arguments: {
              questions: [
                { question: "Which colour?", options: ["Red", "Blue"] },
                { question: "Which sizes?", header: "Sizes", options: ["Small", "Large"], multi_select: true },
              ],
            },
          },
        ],
      },
      { text: "Blue, small, and tiny it is." },
    ]);
    const pty = await openAnswering(t);
    await send(pty, "ask me");
    await pty.waitFor("3. Something else (type it)", { visible: true });
    await pty.waitFor(ASK_USER_ARMED, { visible: true });
    pty.type("2");
    await pty.waitFor("Sizes (2 of 2)", { visible: true });
    pty.type("1");
    await pty.waitFor("[x] 1. Small", { visible: true });
    pty.type("3");
    await pty.waitFor("Your answer (Enter sends):", { visible: true });
    pty.type("tiny");
    await pty.waitFor(/> tiny/, { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("● Blue, small, and tiny it is.");
    expect(lastToolOutputs(t.requests[1]!)[0]).toBe('The user answered:\n1. Which colour?\n   → Blue\n2. Which sizes?\n   → Small; in their own words: "tiny"');
    await quit(pty);
  });

  it("a key typed as the AskUser dialog appears does not answer it, and the dialog shows it does not take keys yet", async () => {
    const t = await teacher([
      { toolCalls: [{ name: "AskUser", arguments: { questions: [{ question: "Which colour?", options: ["Red", "Blue"] }] } }] },
      { text: "Blue it is." },
    ]);
    const pty = await openTypingAhead(t);
    await send(pty, "ask me");
    await pty.waitFor("3. Something else (type it)", { visible: true });
    // On its way as the dialog appears (the end of what was typed for the prompt): dropped.
    pty.type("1");
    await pty.waitFor(ASK_USER_ARMED, { visible: true });
    // Until then the dialog said so, where its keys are named once it takes them.
    expect(pty.output()).toContain(DIALOG_WAIT);
    expect(pty.screen()).toContain("❯ 1. Red");
    pty.type("2");
    await pty.waitFor("● Blue it is.");
    expect(lastToolOutputs(t.requests[1]!)[0]).toBe("The user answered:\n1. Which colour?\n   → Blue");
    await quit(pty);
  });

  it("with agent.dialogGraceMs 0 a dialog takes keys the moment it appears", async () => {
    const t = await teacher([
      { toolCalls: [{ name: "AskUser", arguments: { questions: [{ question: "Which shape?", options: ["Square", "Circle"] }] } }] },
      { text: "Circle it is." },
    ]);
    const pty = await workspace.open(t, { home, project }, { env: { WREN_AGENT_DIALOG_GRACE_MS: "0" } });
    await send(pty, "ask me");
    await pty.waitFor("3. Something else (type it)", { visible: true });
    pty.type("2");
    await pty.waitFor("● Circle it is.");
    expect(pty.output()).not.toContain(DIALOG_WAIT);
    expect(lastToolOutputs(t.requests[1]!)[0]).toBe("The user answered:\n1. Which shape?\n   → Circle");
    await quit(pty);
  });

  it("a critical command shows its badge and runs only after the word yes is typed", async () => {
    const ran = path.join(project, "ran.txt");
    // Critical by its words (terraform destroy), harmless in fact: the function only writes a file.
    const command = "terraform() { echo ran > ran.txt; }; terraform destroy";
    const t = await teacher([
      { toolCalls: [{ name: "Bash", arguments: { command } }] },
      { text: "Not run, then." },
      { toolCalls: [{ name: "Bash", arguments: { command } }] },
      { text: "Destroyed." },
    ]);
    const pty = await openAnswering(t);
    await send(pty, "destroy it");
    await pty.waitFor(" critical ", { visible: true });
    await pty.waitFor("Type yes and Enter", { visible: true });
    expect(pty.screen()).toContain("destroys every resource the configuration manages");
    expect(pty.screen()).not.toContain("for this session");
    // The word is typed once the dialog shows where it goes.
    await pty.waitFor(TYPED_YES, { visible: true });
    pty.type("1");
    await pty.waitFor("> 1", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("● Not run, then.");
    expect(existsSync(ran)).toBe(false);

    await send(pty, "really destroy it");
    await pty.waitFor(TYPED_YES, { visible: true });
    pty.type("yes");
    await pty.waitFor("> yes", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("● Destroyed.");
    expect(readFileSync(ran, "utf8")).toBe("ran\n");
    await quit(pty);
  });

  it("--continue carries on the last session of the directory, and says so", async () => {
    const first = await open(await teacher([{ text: "First answer." }]));
    await send(first, "the first question");
    await first.waitFor("● First answer.");
    await quit(first);
    const t = await teacher([{ text: "Second answer." }]);
    const second = await open(t, ["--continue"]);
    await second.waitFor(/Continuing session \S+ \(\d+ earlier prompts?;/);
    await send(second, "the second question");
    await second.waitFor("● Second answer.");
    const contents = t.requests[0]!.messages.map((m) => JSON.stringify(m.content));
    expect(contents.some((c) => c.includes("the first question"))).toBe(true);
    expect(contents.some((c) => c.includes("First answer."))).toBe(true);
    await quit(second);
  });

  it("history persists across sessions (Up recalls), and Ctrl+G / Ctrl+B write feedback lines", async () => {
    const first = await open(await teacher([{ text: "Rated answer." }]));
    await send(first, "remember this prompt");
    await first.waitFor("● Rated answer.");
    first.type(KEYS.ctrlG);
    await first.waitFor("Rated the last answer good", { visible: true });
    const feedbackFile = path.join(home, "data", "feedback.jsonl");
    const lines = (): string[] => readFileSync(feedbackFile, "utf8").trim().split("\n");
    expect(JSON.parse(lines().at(-1)!)).toMatchObject({ rating: "good", weight: 1 });
    const before = lines().length;
    first.type(KEYS.ctrlB);
    await first.waitFor("Rated the last answer bad", { visible: true });
    expect(lines()).toHaveLength(before + 1);
    expect(JSON.parse(lines().at(-1)!)).toMatchObject({ rating: "bad", weight: 3 });
    await quit(first);

    const second = await open(await teacher([{ text: "unused" }]));
    second.type(KEYS.up);
    await second.waitFor("> /quit", { visible: true });
    second.type(KEYS.up);
    await second.waitFor("> remember this prompt", { visible: true });
    second.type(KEYS.ctrlC);
    await second.waitForGone("> remember this prompt");
    second.type(KEYS.ctrlC);
    await second.waitFor("Press Ctrl+C again to exit", { visible: true });
    second.type(KEYS.ctrlC);
    expect(await second.exited).toBe(0);
  });
});
