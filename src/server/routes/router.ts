import { Hono } from "hono";
import { z } from "zod";
import type { Decision, RouterStats } from "../../router/decisions.js";
import { WrenError } from "../../shared/errors.js";

/** What the routes read: the router's DecisionLog fits, and so does the log replicas share. */
export interface DecisionSource {
  list(limit?: number): Decision[] | Promise<Decision[]>;
  stats(): RouterStats;
}

const query = z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(50) });

/**
 * `GET /router/decisions?limit=N` (newest first) and `GET /router/stats`. Mount under `/v1`:
 * `app.route("/v1", routerRoutes(router.log))`.
 */
export function routerRoutes(source: DecisionSource): Hono {
  const app = new Hono();
  app.get("/router/decisions", async (c) => {
    const parsed = query.safeParse({ limit: c.req.query("limit") ?? undefined });
    if (!parsed.success) {
      throw new WrenError("bad_request", "limit must be a whole number from 1 to 10000.", { hint: "For example: /v1/router/decisions?limit=20" });
    }
    return c.json({ object: "list", data: await source.list(parsed.data.limit) });
  });
  app.get("/router/stats", (c) => c.json(source.stats()));
  return app;
}
