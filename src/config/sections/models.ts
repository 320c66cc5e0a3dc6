import { z } from "zod";
import type { FieldMeta, SectionContext } from "./context.js";

/** `[models]`: where models live and the names users call them by. */
export function section(ctx: SectionContext) {
  return z
    .strictObject({
      dir: z
        .string()
        .min(1)
        .default(ctx.modelsDir)
        .describe("Where downloaded models are stored. `~` expands; a relative path is relative to the file that sets it.")
        .meta({ defaultText: "`$XDG_DATA_HOME/wren/models` (or `$WREN_HOME/models`)", path: true } satisfies FieldMeta),
      default: z
        .string()
        .min(1)
        .optional()
        .describe("The model used when a command or request names none: a ref (`hf:org/repo:quant`, a URL or a path; `./m.gguf` is relative to the file that sets it) or an alias.")
        .meta({ modelRef: true } satisfies FieldMeta),
      token: z
        .string()
        .min(1)
        .optional()
        .describe("Hugging Face access token for gated repositories. `HF_TOKEN` in the environment wins over it."),
      aliases: z
        .record(z.string().min(1), z.string().min(1).meta({ modelRef: true } satisfies FieldMeta))
        .default({})
        .describe("Short names for model refs, e.g. `tiny = \"hf:org/repo:Q8_0\"` (`./m.gguf` is relative to the file that sets it)."),
    })
    .prefault({})
    .describe("Model storage and names.");
}
