// Number encodings of wren's GGUF writer; tests keep this path.
export * from "../../src/models/gguf-encode.js";
