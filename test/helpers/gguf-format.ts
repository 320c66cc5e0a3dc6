// The GGUF writer is product code (wren writes trained LoRA adapters with it); tests keep this path.
export * from "../../src/models/gguf-writer.js";
