import { describe, expect, it } from "vitest";
import type { Todo } from "./items.js";
import { todoProgress, todoWindow, type TodoRow } from "./todo-window.js";

/** Eight steps: the first `done` completed, the next in progress, the rest pending. */
const steps = (done: number, count = 8): Todo[] =>
  Array.from({ length: count }, (_, i) => ({ content: `Step ${i + 1}`, status: i < done ? "completed" : i === done ? "in_progress" : "pending" }));

/** `Step 3`, `+2` (more below), `-2` (earlier, above). */
const shown = (rows: TodoRow[]): string[] => rows.map((r) => (r.kind === "todo" ? r.todo.content : r.kind === "more" ? `+${r.count}` : `-${r.count}`));

describe("the pinned todo list's window", () => {
  it("is the whole list when it fits", () => {
    expect(shown(todoWindow(steps(1, 5), 5))).toEqual(["Step 1", "Step 2", "Step 3", "Step 4", "Step 5"]);
  });

  it("keeps the entry in progress in view, one before it, and counts what it leaves out above and below", () => {
    expect(shown(todoWindow(steps(0), 5))).toEqual(["Step 1", "Step 2", "Step 3", "Step 4", "+4"]);
    expect(shown(todoWindow(steps(2), 5))).toEqual(["Step 1", "Step 2", "Step 3", "Step 4", "+4"]);
    expect(shown(todoWindow(steps(3), 5))).toEqual(["-2", "Step 3", "Step 4", "Step 5", "+3"]);
    expect(shown(todoWindow(steps(5), 5))).toEqual(["-4", "Step 5", "Step 6", "Step 7", "Step 8"]);
    expect(shown(todoWindow(steps(7), 5))).toEqual(["-4", "Step 5", "Step 6", "Step 7", "Step 8"]);
  });

  it("never has more rows than asked, shows the entry in progress, and shows or counts every entry", () => {
    for (const max of [4, 5, 6]) {
      for (let count = 1; count <= 12; count++) {
        for (let done = 0; done <= count; done++) {
          const todos = steps(done, count);
          const rows = todoWindow(todos, max);
          expect(rows.length).toBeLessThanOrEqual(max);
          expect(rows.reduce((n, r) => n + (r.kind === "todo" ? 1 : r.count), 0)).toBe(count);
          // A count stands for two entries or more: one entry would take its row.
          for (const r of rows) if (r.kind !== "todo") expect(r.count).toBeGreaterThan(1);
          const busy = todos.find((t) => t.status === "in_progress");
          if (busy) expect(rows.some((r) => r.kind === "todo" && r.todo === busy)).toBe(true);
        }
      }
    }
  });

  it("focuses the first entry not done when none is in progress, and the end when all are", () => {
    const waiting: Todo[] = steps(3).map((t) => (t.status === "in_progress" ? { ...t, status: "pending" } : t));
    expect(shown(todoWindow(waiting, 5))).toEqual(["-2", "Step 3", "Step 4", "Step 5", "+3"]);
    expect(shown(todoWindow(steps(8), 5))).toEqual(["-4", "Step 5", "Step 6", "Step 7", "Step 8"]);
    expect(todoProgress(steps(3))).toBe("3/8 done");
  });
});
