import { z } from "zod";
import type { FieldMeta, SectionContext } from "./context.js";

export const GPU_BACKENDS = ["auto", "cuda", "vulkan", "metal", "cpu"] as const;

/** `[engine]`: how the local llama.cpp engine loads and runs models. */
export function section(ctx: SectionContext) {
  return z
    .strictObject({
      gpu: z
        .enum(GPU_BACKENDS)
        .default("auto")
        .describe(
          "GPU backend: `auto` picks the best one available, `cpu` runs on the CPU only. wren reports what was asked, what was used and how many layers were offloaded. Where a GPU driver is found, a GPU backend is first tried on a tiny model in a child process, once per driver and llama.cpp build (remembered in wren's cache folder): one that loads but stops at its first computation (seen: node-llama-cpp 3.21.1's CUDA build on an H200 with driver 580: the build carries machine code for compute capability 8.6, 8.9, 12.0 and 12.1 only, and PTX from CUDA 13.1 that an older driver cannot compile) is passed over by `auto` (`wren serve` and `wren probe` say so) and is an error, with what to do, when asked for by name.",
        )
        .meta({ noun: "backend" } satisfies FieldMeta),
      gpuSplit: z
        .enum(["layer"])
        .default("layer")
        .describe(
          "How a model spreads over several GPUs of one backend. `layer` (the only mode node-llama-cpp 3.21.1 offers: it passes llama.cpp the number of GPU layers and nothing else) puts whole layers on each GPU llama.cpp sees, in proportion to their free memory. Row split, a main GPU and set proportions are not available; choose the GPUs with CUDA_VISIBLE_DEVICES (CUDA) or GGML_VK_VISIBLE_DEVICES (Vulkan). `wren probe` lists the GPUs in use.",
        )
        .meta({ noun: "GPU split mode (node-llama-cpp 3.21.1 splits by layer only: no row split, main GPU or proportions)" } satisfies FieldMeta),
      threads: z
        .int()
        .min(1)
        .max(ctx.availableParallelism)
        .default(ctx.availableParallelism)
        .describe(
          "CPU threads for inference. More than the machine's available parallelism oversubscribes the cores and slows decoding by orders of magnitude, so a larger value is an error.",
        )
        .meta({
          defaultText: "the machine's available parallelism",
          maxText: "this machine's available parallelism",
        } satisfies FieldMeta),
      contextSize: z
        .int()
        .min(16)
        .default(4096)
        .describe(
          "Context size in tokens that each request (each parallel sequence) gets. A request may ask for another size (num_ctx, x-wren-context-length). When it is set nowhere, `wren serve` (and so the daemon) gives each model the largest context that fits free memory, up to the model's training context (its log says which), and so does the assistant (`wren`, `wren -p`) for a model it loads itself (`--no-daemon`): its instructions and tools alone take some 9,000 tokens; `wren run` and `wren cmd` use the default.",
        ),
      sequences: z
        .int()
        .min(1)
        .max(64)
        .default(4)
        .describe("Parallel sequences per context: how many requests one loaded model serves at once."),
      adapterContexts: z
        .int()
        .min(1)
        .max(64)
        .default(4)
        .describe(
          "Contexts a loaded model holds at once for LoRA adapters that requests name (`x-wren-adapter`, `MODEL+ADAPTER:SCALE`): one per adapter and scale, each with a KV cache as large as the model's own context. A request that needs another takes the place of the least recently used idle one, else waits in the model's line (`server.maxQueue`; past it, 429) for one to go idle. One is made only where memory can take it, else the request is refused with 503. Requests without an adapter are not affected.",
        ),
      batchSize: z
        .int()
        .min(1)
        .default(512)
        .describe("Tokens evaluated per batch during prompt processing."),
      promptCache: z
        .strictObject({
          reuse: z
            .boolean()
            .default(true)
            .describe(
              "Send each request to the parallel sequence whose cached prompt shares the longest prefix with it, and restore saved states of prompts pushed out of every sequence, so a conversation's next turn skips evaluating what it already sent. false reuses a prefix only when the sequence freed last happens to hold it.",
            ),
          bytes: z
            .int()
            .min(0)
            .default(1024 ** 3)
            .describe(
              "Bytes of saved prompt states kept per loaded model, in wren's cache directory (the page cache keeps recent ones in memory), and never more than a quarter of the memory free when the model loads; the least recently used go first. A state holds its prompt's KV cache, 2 × layers × KV width × 2 bytes a token: for a 4,096-token prompt 48 MiB on a 0.5 B model (Qwen2.5 0.5B), 512 MiB on an 8 B model with grouped-query attention (Llama 3 8B). 0 saves none.",
            ),
          entries: z
            .int()
            .min(0)
            .default(64)
            .describe(
              "Saved prompt states kept per loaded model, in wren's cache directory: a conversation pushed out of every sequence comes back from its state instead of being evaluated again. 0 saves none (sequences still keep their prefixes).",
            ),
        })
        .prefault({})
        .describe("Prompt reuse across requests and conversations."),
      speculative: z
        .enum(["auto", "lookup", "off"])
        .default("auto")
        .describe(
          "Speculative decoding: tokens predicted ahead and verified in one batch, with the same output as without. `auto` predicts by prompt lookup (what followed the last tokens in the prompt: an answer that repeats its input, such as a rewritten file) and backs off while its guesses are refuted; `lookup` guesses at every match; `off` predicts nothing. A served model's `draft` drafts with a smaller model instead.",
        ),
    })
    .prefault({})
    .describe("The local llama.cpp engine.");
}
