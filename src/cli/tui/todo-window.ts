import type { Todo } from "./items.js";

/** A row of the pinned todo list: an entry, or a count of the entries left out above or below. */
export type TodoRow = { kind: "todo"; todo: Todo } | { kind: "earlier"; count: number } | { kind: "more"; count: number };

/** How many rows the pinned list has at most, under its heading. */
export const PINNED_TODO_ROWS = 5;

/** `3/8 done`. */
export function todoProgress(todos: readonly Todo[]): string {
  return `${todos.filter((t) => t.status === "completed").length}/${todos.length} done`;
}

/**
 * The rows of a todo list cut to `max` (at least 4): the whole list when it fits; else a window
 * around the entry in progress (or the first one not done), with the one before it for context,
 * and what is left out counted above and below, so the list never grows the live region past
 * `max`. A count of one entry would take the row the entry itself needs: the window goes to the
 * top or the bottom instead.
 */
export function todoWindow(todos: readonly Todo[], max = PINNED_TODO_ROWS): TodoRow[] {
  const rows = (from: number, to: number): TodoRow[] => todos.slice(from, to).map((todo) => ({ kind: "todo", todo }));
  const size = Math.max(4, max);
  const count = todos.length;
  if (count <= size) return rows(0, count);
  const busy = todos.findIndex((t) => t.status === "in_progress");
  const next = todos.findIndex((t) => t.status !== "completed");
  const focus = busy >= 0 ? busy : next >= 0 ? next : count - 1;
  // Only one count (at the top or the bottom): one more entry fits.
  const alone = size - 1;
  if (focus <= 2 && focus < alone) return [...rows(0, alone), { kind: "more", count: count - alone }];
  const room = size - 2;
  if (focus - 1 + room >= count - 1) return [{ kind: "earlier", count: count - alone }, ...rows(count - alone, count)];
  const from = focus - 1;
  return [{ kind: "earlier", count: from }, ...rows(from, from + room), { kind: "more", count: count - from - room }];
}
