import { Hono } from "hono";
import type { ServerContext } from "../server-context.js";

/** Liveness, readiness and Prometheus metrics (`extraMetrics` appends more lines, e.g. the router's). */
export function opsRoutes(ctx: ServerContext, extraMetrics?: () => string | Promise<string>): Hono {
  const app = new Hono();
  app.get("/health", (c) => c.json({ status: "ok", version: ctx.version }));
  app.get("/ready", (c) => {
    const models = ctx.host.list();
    const loaded = models.filter((m) => m.loaded).map((m) => m.id);
    const ready = loaded.length > 0;
    return c.json({ status: ready ? "ready" : "loading", loaded, models: models.map((m) => m.id) }, ready ? 200 : 503);
  });
  app.get("/status", (c) => {
    const queues = new Map((ctx.host.queues?.() ?? []).map((q) => [q.id, q]));
    const models = ctx.host.list().map((m) => {
      const queue = queues.get(m.id);
      return { id: m.id, loaded: m.loaded, active: queue?.active ?? 0, queued: queue?.queued ?? 0, ...(m.files ? { files: m.files } : {}) };
    });
    return c.json({
      pid: process.pid,
      version: ctx.version,
      uptimeSeconds: Math.round(process.uptime()),
      // The memory the server holds (the loaded models' weights and contexts included), for clients such as the terminal UI's status line.
      rssBytes: process.memoryUsage().rss,
      activeRequests: models.reduce((n, m) => n + m.active + m.queued, 0),
      models,
    });
  });
  app.get("/metrics", async (c) => {
    // Read from the models' own admissions when scraped: they keep the one line, the server no copy of it.
    for (const queue of ctx.host.queues?.() ?? []) {
      ctx.metrics.queueDepth.set({ model: queue.id }, queue.queued);
      ctx.metrics.activeSequences.set({ model: queue.id }, queue.active);
    }
    return c.body(ctx.metrics.render() + ((await extraMetrics?.()) ?? ""), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });
  return app;
}
