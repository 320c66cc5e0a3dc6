import { Hono } from "hono";
import type { ServerContext } from "../server-context.js";

/**
 * `GET /v1/adapters`: the LoRA adapters requests may apply (`x-wren-adapter: NAME[:SCALE]` or the
 * model name `BASE+NAME[:SCALE]`), read from the registry on each call so one added while the
 * server runs shows at once.
 */
export function adaptersRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  app.get("/adapters", async (c) => {
    const adapters = (await ctx.host.adapters?.()) ?? [];
    return c.json({ object: "list", data: adapters.map((a) => ({ object: "adapter", id: a.name, ...a })) });
  });
  return app;
}
