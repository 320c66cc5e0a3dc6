import { Hono } from "hono";
import { AsyncQueue } from "../../shared/async-queue.js";
import { WrenError, toWrenError } from "../../shared/errors.js";
import { ollamaCopyRequestSchema, ollamaCreateRequestSchema, ollamaDeleteRequestSchema, ollamaPullRequestSchema } from "../../wire/ollama/index.js";
import { createSource } from "../codecs/ollama-create.js";
import { errorResponse } from "../error-body.js";
import type { ModelManager, PullProgress } from "../model-host.js";
import { checkModelName } from "../model-name.js";
import { parseBody } from "../parse-body.js";
import type { ServerContext } from "../server-context.js";

type Line = Record<string, unknown>;

const ndjson = (value: unknown): string => `${JSON.stringify(value)}\n`;

function managerOf(ctx: ServerContext): ModelManager {
  const manager = ctx.host.manager;
  if (!manager) {
    throw new WrenError("unsupported", "This server's models are fixed: it does not pull, create, copy or delete models.", {
      hint: "Model management needs local models (not proxy-only serving); pull with `wren pull REF` and restart `wren serve --model REF`.",
    });
  }
  return manager;
}

function nameOf(body: { model?: string | undefined; name?: string | undefined }): string {
  const name = body.model ?? body.name;
  if (!name) throw new WrenError("bad_request", "model is required.", { hint: 'Send {"model": "NAME"}.' });
  checkModelName(name);
  return name;
}

/** NDJSON lines from a queue; an error after the first byte becomes Ollama's `{"error"}` line. */
function ndjsonResponse(first: Line[], rest: AsyncIterator<Line>, onCancel: () => void): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        for (const line of first) controller.enqueue(encoder.encode(ndjson(line)));
        for (;;) {
          const r = await rest.next();
          if (r.done) break;
          controller.enqueue(encoder.encode(ndjson(r.value)));
        }
      } catch (error) {
        try {
          controller.enqueue(encoder.encode(ndjson(errorResponse(toWrenError(error), "ollama").body)));
        } catch {
          // The client went away; nothing to tell it.
        }
      }
      try {
        controller.close();
      } catch {
        // Already cancelled by the client.
      }
    },
    cancel: onCancel,
  });
  return new Response(body, { status: 200, headers: { "content-type": "application/x-ndjson", "cache-control": "no-cache" } });
}

/** One progress line per file when it starts, then at each whole percent, and when it ends. */
function progressLines(push: (line: Line) => void): (p: PullProgress) => void {
  const reported = new Map<string, number>();
  return (p) => {
    const last = reported.get(p.file);
    const step = Math.max(1, Math.floor(p.total / 100));
    if (last !== undefined && p.completed !== p.total && p.completed - last < step) return;
    if (last === p.completed) return;
    reported.set(p.file, p.completed);
    const digest = p.digest ?? "";
    push({ status: `pulling ${digest ? digest.slice("sha256:".length, "sha256:".length + 12) : p.file}`, digest, total: p.total, completed: p.completed });
  };
}

/**
 * Ollama's model management under /api: pull (into wren's store, with Ollama's progress lines),
 * create, copy and delete, through the host's {@link ModelManager}. Refusals known before any
 * byte (pulling turned off, a file path to pull, an unknown model to copy or delete) get their HTTP
 * status and `{"error"}` body; a streamed pull that fails later ends with an `{"error"}` line.
 */
export function ollamaManageRoutes(ctx: ServerContext): Hono {
  const app = new Hono();

  app.post("/pull", async (c) => {
    const body = await parseBody(c, ollamaPullRequestSchema);
    const ref = nameOf(body);
    const manager = managerOf(ctx);
    // A pull outlives the request timeout (models take minutes); only the client leaving stops it.
    const abort = new AbortController();
    const client = c.req.raw.signal;
    const onClient = (): void => abort.abort(new WrenError("aborted", "The client went away during the pull."));
    client.addEventListener("abort", onClient, { once: true });
    const queue = new AsyncQueue<Line>();
    const stream = body.stream !== false;
    void manager
      .pull(ref, {
        signal: abort.signal,
        ...(stream ? { onProgress: progressLines((line) => queue.push(line)), onStatus: (status) => queue.push({ status }) } : {}),
      })
      .then(
        () => {
          for (const status of ["verifying sha256 digest", "writing manifest", "success"]) queue.push({ status });
          queue.end();
        },
        (error: unknown) => queue.fail(error),
      )
      .finally(() => client.removeEventListener("abort", onClient));
    const lines = queue[Symbol.asyncIterator]();
    // The head: the first line ("pulling manifest" once the pull is allowed) or the end, so that a
    // refusal gets its status; what fails later (the Hub, the checksum) is an {"error"} line, as in Ollama.
    const head = await lines.next();
    if (!stream) {
      for (let r = head; !r.done; r = await lines.next());
      return c.json({ status: "success" });
    }
    return ndjsonResponse(head.done ? [] : [head.value], lines, () => abort.abort(new WrenError("aborted", "The client went away during the pull.")));
  });

  app.post("/create", async (c) => {
    const body = await parseBody(c, ollamaCreateRequestSchema);
    const { name, from } = createSource(body);
    checkModelName(name);
    await managerOf(ctx).create(name, from);
    if (body.stream === false) return c.json({ status: "success" });
    const lines = [{ status: "parsing GGUF" }, { status: "success" }].map(ndjson).join("");
    return c.body(lines, 200, { "content-type": "application/x-ndjson" });
  });

  app.post("/copy", async (c) => {
    const body = await parseBody(c, ollamaCopyRequestSchema);
    checkModelName(body.source);
    checkModelName(body.destination);
    await managerOf(ctx).copy(body.source, body.destination);
    return c.body(null, 200);
  });

  app.delete("/delete", async (c) => {
    const body = await parseBody(c, ollamaDeleteRequestSchema);
    await managerOf(ctx).remove(nameOf(body));
    return c.body(null, 200);
  });

  return app;
}
