// A stand-in for wren's Python trainers, following wren's trainer protocol (docs/training.md):
// reads the JSON spec whose path is its last argument, reads the dataset, prints JSON progress
// lines on stdout, writes a line of its own on stderr (the job's log), and writes LoRA tensors as
// an F32 safetensors file at spec.out.adapter. It trains nothing: its tensors are small values
// derived from the dataset, so the adapter is real (the engine loads it) and changes the model.
import { Buffer } from "node:buffer";
import { readFileSync, writeFileSync } from "node:fs";

const spec = JSON.parse(readFileSync(process.argv.at(-1), "utf8"));
const examples = readFileSync(spec.dataset, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
const { steps } = spec.train;
const { rank, alpha, targets } = spec.lora;
const tensors = spec.base.table?.tensors;
if (!tensors) {
  process.stdout.write(`${JSON.stringify({ type: "error", message: "the stand-in needs the base's tensor table" })}\n`);
  process.exitCode = 1;
  throw new Error("no tensor table in the spec");
}

const say = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
process.stderr.write(`stand-in trainer: ${examples.length} examples, rank ${rank}\n`);
say({ type: "start", step: 0, totalSteps: steps, examples: examples.length, trainer: "stand-in" });
for (let step = 1; step <= steps; step++) {
  say({ type: "progress", step, totalSteps: steps, loss: 3 / step, tokensPerSecond: 1000, etaSeconds: steps - step });
  if (step % spec.train.checkpointEvery === 0) {
    writeFileSync(spec.out.checkpoint, JSON.stringify({ step }));
    say({ type: "checkpoint", step });
  }
}

// Row-major lora_a [r, in] and lora_b [out, r] for each target of each layer; GGUF lists the base
// weight's dimensions as [in, out].
const header = {};
const chunks = [];
let offset = 0;
const seed = examples.length;
for (const name of Object.keys(tensors).filter((n) => targets.some((t) => n.endsWith(`.${t}.weight`))).sort()) {
  const [inDim, outDim] = tensors[name].shape;
  for (const [suffix, shape] of [["lora_a", [rank, inDim]], ["lora_b", [outDim, rank]]]) {
    const values = new Float32Array(shape[0] * shape[1]).map((_, i) => 0.05 * Math.sin(seed + i * 0.7 + name.length));
    const bytes = Buffer.from(values.buffer);
    header[`${name}.${suffix}`] = { dtype: "F32", shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
}
header.__metadata__ = { alpha: String(alpha), trainer: "stand-in" };
const json = Buffer.from(JSON.stringify(header));
const length = Buffer.alloc(8);
length.writeBigUInt64LE(BigInt(json.length));
writeFileSync(spec.out.adapter, Buffer.concat([length, json, ...chunks]));
say({ type: "done", step: steps, adapter: spec.out.adapter });
