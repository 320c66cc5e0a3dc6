import { z } from "zod";

/**
 * Ollama's model management requests. The official clients send the model as `name` (pull,
 * delete) or `model` (create); both are accepted, and unknown fields are ignored as Ollama does.
 */
const modelName = z.string().min(1);

export const ollamaPullRequestSchema = z.looseObject({
  model: modelName.optional(),
  name: modelName.optional(),
  insecure: z.boolean().optional(),
  stream: z.boolean().optional(),
});

export const ollamaDeleteRequestSchema = z.looseObject({
  model: modelName.optional(),
  name: modelName.optional(),
});

export const ollamaCopyRequestSchema = z.looseObject({
  source: modelName,
  destination: modelName,
});

export const ollamaCreateRequestSchema = z.looseObject({
  model: modelName.optional(),
  name: modelName.optional(),
  /** A served model's name, or a path to a GGUF file on the server's disk. */
  from: z.string().min(1).optional(),
  /** The older form: a Modelfile whose `FROM` line names the file. */
  modelfile: z.string().optional(),
  stream: z.boolean().optional(),
  quantize: z.string().optional(),
  files: z.record(z.string(), z.string()).optional(),
  adapters: z.record(z.string(), z.string()).optional(),
  template: z.string().optional(),
  system: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  license: z.union([z.string(), z.array(z.string())]).optional(),
});
export type OllamaCreateRequest = z.infer<typeof ollamaCreateRequestSchema>;
