import { z } from "zod";
import { defineTool } from "./define-tool.js";
import { okResult } from "./result.js";

const todo = z.object({
  content: z.string().min(1).describe("The task, in the imperative: `Run the tests`."),
  status: z.enum(["pending", "in_progress", "completed"]),
  activeForm: z.string().optional().describe("The task as it is being done: `Running the tests`."),
});

/** One entry of the model's task list, as the agent keeps and shows it. */
export type Todo = z.output<typeof todo>;

const parameters = z.object({
  todos: z.array(todo).describe("The whole list, replacing the previous one."),
});

const MARK: Record<Todo["status"], string> = { pending: "[ ]", in_progress: "[~]", completed: "[x]" };

export const todoWriteTool = defineTool({
  name: "TodoWrite",
  description:
    "Keeps your task list for this session, shown to the user. Use it for work of 3 or more steps: write the whole list " +
    "each time, mark a task in_progress before starting it (one at a time) and completed as soon as it is done.",
  parameters,
  readOnly: false,
  permission: () => ({ tool: "TodoWrite", effect: "interact" }),
  async execute(input) {
    const count = (status: Todo["status"]): number => input.todos.filter((t) => t.status === status).length;
    const summary = `${count("completed")} done, ${count("in_progress")} in progress, ${count("pending")} pending`;
    const many = count("in_progress") > 1 ? " Keep only one task in_progress at a time." : "";
    const display = input.todos.map((t) => `${MARK[t.status]} ${t.status === "in_progress" ? (t.activeForm ?? t.content) : t.content}`).join("\n");
    return okResult(`Todo list updated (${input.todos.length} tasks: ${summary}).${many}`, {
      display: display || "(the todo list is empty)",
      data: { kind: "todos", todos: input.todos },
    });
  },
});
