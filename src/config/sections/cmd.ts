import { z } from "zod";

/** `[cmd]`: `wren cmd`, which turns a task into a shell command. */
export function section() {
  return z
    .strictObject({
      model: z
        .string()
        .min(1)
        .optional()
        .describe(
          "The model `wren cmd` asks when `--model` is absent: a local ref or alias, or `auto`, a route or `provider:model` through the router. Default: `models.default`, else the largest catalog coder model that fits this machine and answers at a usable speed (pulled on first use), else wren's embedded chat default.",
        ),
    })
    .prefault({})
    .describe("Shell commands from plain words (`wren cmd`).");
}
