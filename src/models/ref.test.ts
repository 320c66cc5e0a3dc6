import path from "node:path";
import { describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { formatModelRef, isSafeRepoFile, parseModelRef, quantOfFileName, splitPartNames } from "./ref.js";
import { selectQuantFile } from "./select-quant.js";

describe("model references", () => {
  it("parses every kind", () => {
    expect(parseModelRef("hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF:q4_k_m")).toEqual({ kind: "hf", repo: "Qwen/Qwen2.5-0.5B-Instruct-GGUF", revision: undefined, quant: "q4_k_m", file: undefined });
    expect(parseModelRef("hf:org/repo@v1.0/sub/model-Q8_0.gguf")).toEqual({ kind: "hf", repo: "org/repo", revision: "v1.0", quant: undefined, file: "sub/model-Q8_0.gguf" });
    expect(parseModelRef("https://example.com/m.gguf")).toEqual({ kind: "url", url: "https://example.com/m.gguf" });
    expect(parseModelRef("./models/m.gguf")).toEqual({ kind: "path", path: path.resolve("models/m.gguf") });
    expect(parseModelRef("~/m.gguf", "/home/u")).toEqual({ kind: "path", path: "/home/u/m.gguf" });
    expect(parseModelRef("qwen2.5-1.5b")).toEqual({ kind: "name", name: "qwen2.5-1.5b" });
    expect(formatModelRef(parseModelRef("hf:org/repo@main:Q4_K_M"))).toBe("hf:org/repo@main:Q4_K_M");
  });

  it("accepts only repo file paths that stay inside the repository's folder", () => {
    for (const good of ["m-Q4_K_M.gguf", "sub/dir/m.gguf", "a..b.gguf"]) expect(isSafeRepoFile(good), good).toBe(true);
    for (const bad of ["", "../x.gguf", "a/../../x.gguf", "/etc/x.gguf", "a//x.gguf", "./x.gguf", "a\\..\\x.gguf", "x\u0000.gguf", "C:/x.gguf", "a/.."]) {
      expect(isSafeRepoFile(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it("rejects malformed references with a hint", () => {
    for (const bad of ["", "hf:onlyorg", "hf:org/repo:", "hf:org/re po", "hf:org/repo/../x.gguf"]) {
      const error = (() => {
        try {
          parseModelRef(bad);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, bad).toBeInstanceOf(WrenError);
      expect((error as WrenError).hint).toContain("hf:org/repo:Q4_K_M");
    }
  });

  it("reads the quantisation from file names", () => {
    expect(quantOfFileName("qwen2.5-7b-instruct-q4_k_m-00001-of-00002.gguf")).toBe("Q4_K_M");
    expect(quantOfFileName("nomic-embed-text-v1.5.Q8_0.gguf")).toBe("Q8_0");
    expect(quantOfFileName("Llama-3.2-3B-Instruct-IQ4_XS.gguf")).toBe("IQ4_XS");
    expect(quantOfFileName("stories260K-F32.gguf")).toBe("F32");
    expect(quantOfFileName("model.gguf")).toBeUndefined();
  });

  it("names every part of a split GGUF", () => {
    expect(splitPartNames("a/m-Q4_K_M-00002-of-00003.gguf")).toEqual([
      "a/m-Q4_K_M-00001-of-00003.gguf",
      "a/m-Q4_K_M-00002-of-00003.gguf",
      "a/m-Q4_K_M-00003-of-00003.gguf",
    ]);
    expect(splitPartNames("m.gguf")).toEqual(["m.gguf"]);
  });
});

describe("choosing a file by quantisation", () => {
  const files = ["README.md", "m-Q8_0.gguf", "m-Q4_K_M-00001-of-00002.gguf", "m-Q4_K_M-00002-of-00002.gguf", "mmproj-m-F16.gguf"];

  it("picks the first part of the quant asked for, or Q4_K_M by default", () => {
    expect(selectQuantFile("o/r", files, "q8_0")).toEqual({ file: "m-Q8_0.gguf", quant: "Q8_0" });
    expect(selectQuantFile("o/r", files, undefined)).toEqual({ file: "m-Q4_K_M-00001-of-00002.gguf", quant: "Q4_K_M" });
  });

  it("lists what is available when the quant is absent", () => {
    try {
      selectQuantFile("o/r", files, "Q2_K");
      expect.unreachable();
    } catch (error) {
      expect((error as WrenError).message).toBe("o/r has no Q2_K file. Available: Q4_K_M, Q8_0.");
      expect((error as WrenError).hint).toContain("wren pull hf:o/r:Q4_K_M");
    }
  });

  it("says so when a repository has no GGUF", () => {
    expect(() => selectQuantFile("o/r", ["model.safetensors"], undefined)).toThrow("o/r has no GGUF files.");
  });
});
