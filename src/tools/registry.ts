import type { ToolDefinition } from "../protocol/request.js";
import { WrenError } from "../shared/errors.js";
import { BUILTIN_TOOLS } from "./builtin-tools.js";
import type { Tool } from "./tool.js";
import { toolDefinition } from "./tool-definition.js";

export { BUILTIN_TOOLS };

/** What every provider accepts as a tool name (OpenAI's and Anthropic's rule). */
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The tools of one session: the built-ins, then tools from MCP servers. Names are unique. */
export class ToolRegistry {
  readonly #tools = new Map<string, Tool>();

  constructor(tools: Iterable<Tool> = BUILTIN_TOOLS) {
    this.add(tools);
  }

  /** Adds tools; a name that is taken or that models cannot call is refused. */
  add(tools: Iterable<Tool>): void {
    for (const tool of tools) {
      if (!TOOL_NAME.test(tool.name)) {
        throw new WrenError("bad_request", `The tool name '${tool.name}' cannot be sent to models.`, {
          hint: "Use 1–64 letters, digits, '_' or '-'.",
        });
      }
      if (this.#tools.has(tool.name)) {
        throw new WrenError("bad_request", `Two tools are named '${tool.name}'.`, { hint: "Give each tool its own name." });
      }
      this.#tools.set(tool.name, tool);
    }
  }

  get(name: string): Tool | undefined {
    return this.#tools.get(name);
  }

  list(): Tool[] {
    return [...this.#tools.values()];
  }

  /** The tools as `ChatRequest.tools` takes them, JSON Schema from each zod schema. */
  definitions(): ToolDefinition[] {
    return this.list().map(toolDefinition);
  }
}
