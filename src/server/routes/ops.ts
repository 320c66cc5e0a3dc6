import { Hono } from "hono";
import { ANONYMOUS_KEY_ID } from "../../protocol/index.js";
import type { AuthVariables } from "../auth.js";
import type { ServerContext } from "../server-context.js";

/** Liveness, readiness and Prometheus metrics (`extraMetrics` appends more lines, e.g. the router's). */
export function opsRoutes(ctx: ServerContext, extraMetrics?: () => string | Promise<string>): Hono<{ Variables: AuthVariables }> {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.get("/health", (c) => c.json({ status: "ok", version: ctx.version }));
  app.get("/ready", (c) => {
    const models = ctx.host.list();
    const loaded = models.filter((m) => m.loaded).map((m) => m.id);
    const ready = loaded.length > 0;
    return c.json({ status: ready ? "ready" : "loading", loaded, models: models.map((m) => m.id) }, ready ? 200 : 503);
  });
  app.get("/status", (c) => {
    const queues = new Map((ctx.host.queues?.() ?? []).map((q) => [q.id, q]));
    // Where the models' files are (a folder under someone's home) is the machine's owner's to know: it
    // goes to wren's own commands (the owner key) and, on a server that asks no key, to this machine;
    // never to the holders of API keys on a server others reach.
    const keyId = c.get("client")?.keyId;
    const showFiles = keyId === "owner" || keyId === ANONYMOUS_KEY_ID;
    const models = ctx.host.list().map((m) => {
      const queue = queues.get(m.id);
      return { id: m.id, loaded: m.loaded, active: queue?.active ?? 0, queued: queue?.queued ?? 0, ...(m.files && showFiles ? { files: m.files } : {}) };
    });
    return c.json({
      pid: process.pid,
      version: ctx.version,
      uptimeSeconds: Math.round(process.uptime()),
      // The memory the server holds (the loaded models' weights and contexts included), for clients such as the terminal UI's status line.
      rssBytes: process.memoryUsage().rss,
      activeRequests: models.reduce((n, m) => n + m.active + m.queued, 0),
      // Requests to `auto`, routes and `provider:model` being answered (a teacher's too): a daemon
      // busy with them alone is not idle.
      routedRequests: ctx.host.routedInFlight?.() ?? 0,
      models,
    });
  });
  app.get("/metrics", async (c) => {
    // Read from the models' own admissions when scraped: they keep the one line, the server no copy of it.
    // Only the lines there are now: a model deleted (names clients make and remove again) goes.
    ctx.metrics.queueDepth.clear();
    ctx.metrics.activeSequences.clear();
    for (const queue of ctx.host.queues?.() ?? []) {
      ctx.metrics.queueDepth.set({ model: queue.id }, queue.queued);
      ctx.metrics.activeSequences.set({ model: queue.id }, queue.active);
    }
    // The scrape itself is not a request being answered (nor is it in wren_requests_total): an idle server reads 0.
    ctx.metrics.inFlight.addTo("", -1);
    let text: string;
    try {
      text = ctx.metrics.render();
    } finally {
      ctx.metrics.inFlight.addTo("", 1);
    }
    return c.body(text + ((await extraMetrics?.()) ?? ""), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });
  return app;
}
