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
          "The model `wren cmd` asks when `--model` is absent: a local ref or alias, or `auto`, a route or `provider:model` through the router. Commands often suit a coder model better than the chat default. Default: `models.default`, else wren's embedded default.",
        ),
    })
    .prefault({})
    .describe("Shell commands from plain words (`wren cmd`).");
}
