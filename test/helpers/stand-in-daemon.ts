// Stands in for `wren serve --daemon` (run with tsx): takes the daemon's lock and control listener
// as the daemon does, serves /health and /status on loopback, and records in daemon.json the version
// in WREN_STAND_IN_VERSION (default: this wren's). WREN_STAND_IN_ACTIVE: the requests its /status
// reports in flight. It stops when asked over the control listener, as `wren daemon stop` asks.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { becomeDaemon } from "../../src/runtime/daemon-serve.js";
import { daemonFiles } from "../../src/runtime/daemon-state.js";
import { wrenVersion } from "../../src/runtime/daemon-version.js";
import { resolvePaths } from "../../src/shared/paths.js";

const files = daemonFiles(resolvePaths(process.env).stateDir);
const version = process.env["WREN_STAND_IN_VERSION"] ?? wrenVersion();
const activeRequests = Number(process.env["WREN_STAND_IN_ACTIVE"] ?? "0");
const daemon = await becomeDaemon(files);
const server = createServer((req, res) => {
  res.setHeader("content-type", "application/json");
  if (req.url === "/health") res.end(JSON.stringify({ status: "ok", version }));
  else if (req.url === "/status") res.end(JSON.stringify({ pid: process.pid, version, activeRequests, models: [] }));
  else {
    res.statusCode = 404;
    res.end("{}");
  }
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
await daemon.publish(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, version);
await daemon.control.shutdownRequested;
await daemon.release();
server.close();
server.closeAllConnections();
