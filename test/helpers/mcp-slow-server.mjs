// The fixture MCP server (mcp-stdio-server.mjs), ready only after WREN_TEST_DELAY_MS milliseconds
// (default: never), as a server that downloads or builds something first, or hangs. Writes its pid
// to the file named by WREN_TEST_PID_FILE, when set, as it starts.
import { writeFileSync } from "node:fs";
import { setInterval } from "node:timers";
import { setTimeout } from "node:timers/promises";

if (process.env.WREN_TEST_PID_FILE) writeFileSync(process.env.WREN_TEST_PID_FILE, String(process.pid));
const delay = process.env.WREN_TEST_DELAY_MS;
if (delay === undefined) {
  // Never answers, and ignores its stdin closing: only a signal ends it.
  setInterval(() => undefined, 60_000);
} else {
  await setTimeout(Number(delay));
  await import("./mcp-stdio-server.mjs");
}
