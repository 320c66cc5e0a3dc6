// The schemas live with the `[mcp]` config section (config is a leaf every layer may read).
export {
  mcpHttpServerSchema,
  mcpServerSchema,
  mcpServersSchema,
  mcpStdioServerSchema,
  type McpServerConfig,
  type McpServersConfig,
} from "../../config/sections/mcp.js";
