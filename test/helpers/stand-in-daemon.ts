// Stands in for `wren serve --daemon` (run with tsx): takes the daemon's lock and control listener
// as the daemon does, serves /health and /status on loopback, and records in daemon.json the version
// in WREN_STAND_IN_VERSION (default: this wren's). WREN_STAND_IN_ACTIVE: the requests its /status
// reports in flight; WREN_STAND_IN_ROUTED: those it reports forwarding through its router (default
// 0; `absent`: the field is left out, as a daemon of a wren older than it does). It stops when asked over the control listener, as `wren daemon stop` asks.
// It lists the models in WREN_STAND_IN_MODELS (comma-separated; default `stand-in`) at /v1/models,
// and answers any chat completion with "Hello from the stand-in." streamed as OpenAI does.
// WREN_STAND_IN_FILES (JSON, model id to GGUF file): the files its /status lists for those models,
// as a daemon's does for its local models. Ollama's /api/create from a file serves one more model
// (listed from then on, its file with it), as the daemon adds a GGUF file a client asks for.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { becomeDaemon } from "../../src/runtime/daemon-serve.js";
import { daemonFiles } from "../../src/runtime/daemon-state.js";
import { wrenVersion } from "../../src/shared/version.js";
import { resolvePaths } from "../../src/shared/paths.js";

const files = daemonFiles(resolvePaths(process.env).stateDir);
const version = process.env["WREN_STAND_IN_VERSION"] ?? wrenVersion();
const activeRequests = Number(process.env["WREN_STAND_IN_ACTIVE"] ?? "0");
const routed = process.env["WREN_STAND_IN_ROUTED"] ?? "0";
const routedRequests = routed === "absent" ? {} : { routedRequests: Number(routed) };
const models = (process.env["WREN_STAND_IN_MODELS"] ?? "stand-in").split(",");
const modelFiles = JSON.parse(process.env["WREN_STAND_IN_FILES"] ?? "{}") as Record<string, string>;

function answer(res: ServerResponse, model: string): void {
  res.setHeader("content-type", "text/event-stream");
  const chunk = (delta: object, finish: string | null, usage?: object): string =>
    `data: ${JSON.stringify({ id: "chatcmpl-stand-in", object: "chat.completion.chunk", created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
  res.write(chunk({ role: "assistant", content: "Hello from the stand-in." }, null));
  res.write(chunk({}, "stop", { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 }));
  res.end("data: [DONE]\n\n");
}

const daemon = await becomeDaemon(files);
// Its first model is loaded from the start, as a real daemon's is once it publishes its address.
daemon.control.setLoad({ report: () => ({ phase: "ready", model: models[0] }), load: () => undefined });
const server = createServer((req, res) => {
  if (req.method === "POST" && req.url === "/v1/chat/completions") {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => answer(res, (JSON.parse(body) as { model?: string }).model ?? models[0] ?? ""));
    return;
  }
  if (req.method === "POST" && req.url === "/api/create") {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const { model, from } = JSON.parse(body) as { model: string; from: string };
      models.push(model);
      modelFiles[model] = from;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ status: "success" }));
    });
    return;
  }
  res.setHeader("content-type", "application/json");
  if (req.url === "/health") res.end(JSON.stringify({ status: "ok", version }));
  else if (req.url === "/status") res.end(JSON.stringify({ pid: process.pid, version, activeRequests, ...routedRequests, models: models.map((id) => ({ id, loaded: true, active: 0, queued: 0, ...(modelFiles[id] ? { files: [modelFiles[id]] } : {}) })) }));
  else if (req.url === "/v1/models") res.end(JSON.stringify({ object: "list", data: models.map((id) => ({ id, object: "model" })) }));
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
