export { mcpHttpServerSchema, mcpServerSchema, mcpServersSchema, mcpStdioServerSchema, type McpServerConfig, type McpServersConfig } from "./config.js";
export { connectMcpServers, McpConnections, type McpConnectOptions, type McpServerFailure } from "./connect.js";
export { mcpToolName } from "./mcp-tool.js";
