import { describe, expect, it } from "vitest";
import type * as WrenApi from "../../src/index.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

// The package as another project imports it: `import ... from "wren"` resolves through package.json
// "exports" to the built dist/index.js (npm test builds first).
const specifier = "wren";
type Api = typeof WrenApi;
const load = (): Promise<Api> => import(specifier) as Promise<Api>;

describe("the public API of the built package", () => {
  it("rates a command with the shell analysis and maps errors", async () => {
    const wren = await load();
    const verdict = await wren.analyzeCommand("sudo rm -rf / --no-preserve-root", { shell: "bash", cwd: "/tmp", home: "/home/u" });
    expect(verdict.risk).toBe("critical");
    expect(wren.httpStatusOf(new wren.WrenError("model_not_found", "x"))).toBe(404);
    expect(wren.GPU_CHOICES).toContain("cpu");
  });

  it.runIf(hasSharedModels)("loads a model and generates through the canonical contract", async () => {
    const wren = await load();
    await using engine = await wren.Engine.create({ gpu: "cpu", threads: 1 });
    const model = await engine.loadModel(sharedModels.chat, { contextSize: 256 });
    const result = await model.doGenerate({ messages: [wren.userText("hi")], temperature: 0 });
    expect(wren.resultText(result)).toBe("Hello from the tiny synthetic model.");
  });
});
