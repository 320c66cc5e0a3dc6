import { z } from "zod";

/** What the conversation view shows: finished entries go to the terminal's scrollback, once. */
export type Item =
  /** `notSent`: the session's transcript refused the prompt, so the model was not sent it. */
  | { kind: "user"; id: number; text: string; notSent?: boolean }
  /** `continued`: a later part of an answer whose first part is the item before (printed as it settled). */
  | { kind: "assistant"; id: number; text: string; continued?: boolean }
  | { kind: "tool"; id: number; call: ToolView }
  /** The model's todo list as a turn left it (pinned above the prompt while the turn ran). */
  | { kind: "todos"; id: number; todos: readonly Todo[] }
  | { kind: "notice"; id: number; text: string; hint?: string; tone: "info" | "error" | "success" };

/** One tool call as the view knows it: asked, judged, then finished. */
export interface ToolView {
  callId: string;
  name: string;
  input: unknown;
  decision?: { action: "allow" | "deny"; rule?: string; reason: string };
  result?: { display: string; output: string; isError: boolean };
}

const FIELDS: Record<string, string[]> = {
  Bash: ["command"],
  Read: ["file_path"],
  Write: ["file_path"],
  Edit: ["file_path"],
  Glob: ["pattern"],
  Grep: ["pattern"],
  WebFetch: ["url"],
};

const field = (input: unknown, name: string): string | undefined => {
  if (typeof input !== "object" || input === null) return undefined;
  const value = (input as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
};

/** The one argument that says what a call is about (`Bash(npm test)`, `Edit(src/a.ts)`), cut to fit a line. */
export function keyArgument(name: string, input: unknown, width = 80): string {
  const names = FIELDS[name] ?? [];
  let value = names.map((n) => field(input, n)).find((v) => v !== undefined);
  if (value === undefined && typeof input === "object" && input !== null) {
    value = Object.values(input as Record<string, unknown>).find((v): v is string => typeof v === "string");
  }
  if (value === undefined) return "";
  const oneLine = value.replace(/\s*\n\s*/g, " ⏎ ");
  return oneLine.length > width ? `${oneLine.slice(0, width - 1)}…` : oneLine;
}

/** The lines of a unified diff in a tool's output (Edit and Write put theirs after a summary line). */
export function diffLines(output: string): string[] {
  const lines = output.split("\n");
  const start = lines.findIndex((l) => l.startsWith("@@"));
  return start < 0 ? [] : lines.slice(start).filter((l) => !l.startsWith("\\ No newline"));
}

/** What an edit would change, for the permission dialog: removed lines, then added ones. */
export function proposedChange(name: string, input: unknown): string[] {
  if (name === "Edit") {
    const before = field(input, "old_string") ?? "";
    const after = field(input, "new_string") ?? "";
    return [...before.split("\n").map((l) => `-${l}`), ...after.split("\n").map((l) => `+${l}`)];
  }
  if (name === "Write") return (field(input, "content") ?? "").split("\n").map((l) => `+${l}`);
  return [];
}

/** At most `max` lines, the rest counted. */
export function clip(lines: string[], max: number): string[] {
  return lines.length <= max ? lines : [...lines.slice(0, max), `… ${lines.length - max} more line${lines.length - max === 1 ? "" : "s"}`];
}

/** How many lines of a tool's result the view shows before folding the rest (Ctrl+O prints it whole). */
export function foldAt(name: string): number {
  return name === "Bash" ? 4 : 2;
}

/** The lines of a finished call's result as shown: blank lines left out. */
export function resultLines(call: ToolView): string[] {
  return (call.result?.display ?? "").split("\n").filter((l) => l.trim() !== "");
}

/** The latest finished call whose result the view folded, for Ctrl+O to print whole. */
export function lastFolded(items: readonly Item[]): ToolView | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.kind === "tool" && item.call.name !== "TodoWrite" && resultLines(item.call).length > foldAt(item.call.name)) return item.call;
  }
  return undefined;
}

const todoList = z.object({
  todos: z.array(z.object({ content: z.string(), status: z.enum(["pending", "in_progress", "completed"]), activeForm: z.string().optional() })),
});

/** One entry of the model's todo list (TodoWrite's input). */
export type Todo = z.infer<typeof todoList>["todos"][number];

/** The todo list a TodoWrite call set, when its input holds one. */
export function todosOf(input: unknown): Todo[] | undefined {
  const parsed = todoList.safeParse(input);
  return parsed.success ? parsed.data.todos : undefined;
}
