import { askUserTool } from "./ask-user.js";
import { bashTool } from "./bash.js";
import { editTool } from "./edit.js";
import { exitPlanModeTool } from "./exit-plan-mode.js";
import { globTool } from "./glob.js";
import { grepTool } from "./grep.js";
import { readTool } from "./read.js";
import type { Tool } from "./tool.js";
import { todoWriteTool } from "./todo-write.js";
import { webFetchTool } from "./web-fetch.js";
import { writeTool } from "./write.js";

/** wren's own tools, in the order models are shown them. */
export const BUILTIN_TOOLS: readonly Tool[] = [
  readTool,
  writeTool,
  editTool,
  globTool,
  grepTool,
  bashTool,
  webFetchTool,
  askUserTool,
  todoWriteTool,
  exitPlanModeTool,
] as Tool[];
