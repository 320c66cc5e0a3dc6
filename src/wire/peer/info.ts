import { z } from "zod";

/**
 * `GET /v1/peer/info`: what a wren server tells the peers that hold its key — its models, its
 * hardware, its load and its health. Loose (`.nullish()` where a peer may leave a field out), as
 * for every upstream answer: an older or newer wren peer still parses.
 */
export const peerInfoSchema = z.object({
  /** The peer's advertised name (also its mDNS instance name). */
  name: z.string().min(1),
  version: z.string().nullish(),
  models: z.array(
    z.object({
      id: z.string().min(1),
      /** Tokens one request may use, when known (a model not loaded yet may not say). */
      contextLength: z.number().int().positive().nullish(),
      /** The GGUF file's size: the measure of "most capable" between peers. */
      sizeBytes: z.number().nonnegative().nullish(),
      loaded: z.boolean().nullish(),
    }),
  ),
  hardware: z
    .object({
      /** llama.cpp's backend in use: `cuda`, `metal`, `vulkan` or `cpu`. */
      gpu: z.string().nullish(),
      memory: z.object({ total: z.number().nonnegative(), free: z.number().nonnegative() }).nullish(),
      cpus: z.number().int().nonnegative().nullish(),
    })
    .nullish(),
  /** Requests being answered now. */
  load: z.object({ inFlight: z.number().nonnegative() }).nullish(),
  health: z.enum(["ok", "degraded"]).nullish(),
});

export type PeerInfo = z.infer<typeof peerInfoSchema>;
