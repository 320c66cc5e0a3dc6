// The fixture MCP server (mcp-stdio-server.mjs), made stubborn: it ignores its stdin closing and
// SIGTERM, and starts a child that ignores SIGTERM too, as a launcher (npx, uvx) and a careless
// server may. Writes "SERVER_PID CHILD_PID" to the file named by WREN_TEST_PIDS once it listens.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { setInterval } from "node:timers";

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, () => undefined);
setInterval(() => undefined, 60_000);
const child = spawn(process.execPath, ["-e", "process.on('SIGTERM', () => undefined); setInterval(() => undefined, 60_000);"], { stdio: "ignore" });
await import("./mcp-stdio-server.mjs");
writeFileSync(process.env.WREN_TEST_PIDS ?? "pids", `${process.pid} ${child.pid}\n`);
