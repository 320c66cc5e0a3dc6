// Starts wren only once a file exists: `node daemon-gate.mjs GATE_FILE CLI_JS ARGS…` waits for
// GATE_FILE, then runs CLI_JS with ARGS as if started directly. A test uses it as the command a
// session starts its daemon with, so "while the model loads" lasts exactly until the test says.
// When GATE_FILE's folder is removed first (the test ended without opening the gate), it exits.
import { existsSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";

const [gate, cli, ...args] = process.argv.slice(2);
if (!gate || !cli) {
  process.stderr.write("usage: node daemon-gate.mjs GATE_FILE CLI_JS ARGS…\n");
  process.exit(2);
}
while (!existsSync(gate)) {
  if (!existsSync(path.dirname(gate))) process.exit(0);
  await sleep(50);
}
process.argv = [process.argv[0] ?? process.execPath, cli, ...args];
await import(pathToFileURL(cli).href);
