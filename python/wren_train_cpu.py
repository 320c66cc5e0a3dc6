"""wren's CPU LoRA trainer: a llama forward pass in torch on a GGUF model's own weights.

Follows wren's trainer protocol (docs/training.md): one JSON spec in (argv[1]), JSON lines out on
stdout (start, resume, progress, checkpoint, done, cancelled), LoRA tensors out as a safetensors
file named the way llama.cpp names GGUF LoRA tensors (blk.N.attn_q.weight.lora_a [r, in] and
.lora_b [out, r], row-major). The base weights are read in place from the GGUF file at the
offsets wren found with its GGUF reader; the examples come tokenized by wren with the engine's own
tokenizer and chat template, so what is trained is exactly what the engine later sees.

Runs on Debian's python3-torch (1.13) and python3-numpy; nothing from PyPI.
"""

import json
import math
import os
import sys
import time

import numpy as np
import torch


def emit(kind, **fields):
    sys.stdout.write(json.dumps({"type": kind, **fields}) + "\n")
    sys.stdout.flush()


def load_tensor(data, info):
    # GGUF dims are ggml order (the row length first); numpy's shape is the reverse.
    shape = tuple(reversed(info["shape"]))
    count = int(np.prod(shape))
    dtype = {"F32": np.float32, "F16": np.float16}[info["type"]]
    start = info["offset"]
    raw = np.frombuffer(data, dtype=dtype, count=count, offset=start)
    return torch.from_numpy(raw.astype(np.float32).reshape(shape).copy())


def rms_norm(x, weight, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rope(x, positions, base):
    # llama.cpp's LLAMA_ROPE_TYPE_NORM: rotates adjacent pairs (x0, x1), (x2, x3), ... of each head.
    dim = x.shape[-1]
    inv = base ** (-torch.arange(0, dim, 2, dtype=torch.float32) / dim)
    angles = positions[:, None].float() * inv[None, :]  # [T, dim/2]
    cos, sin = angles.cos()[None, :, None, :], angles.sin()[None, :, None, :]
    pairs = x.view(*x.shape[:-1], dim // 2, 2)
    x0, x1 = pairs[..., 0], pairs[..., 1]
    return torch.stack((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1).view_as(x)


class LlamaLora(torch.nn.Module):
    def __init__(self, weights, hp, rank, alpha, targets):
        super().__init__()
        self.w = weights
        self.hp = hp
        self.scale = alpha / rank
        self.lora = torch.nn.ParameterDict()
        for layer in range(hp["nLayer"]):
            for target in targets:
                name = f"blk.{layer}.{target}.weight"
                out_dim, in_dim = weights[name].shape
                a = torch.empty(rank, in_dim)
                # PEFT's initialisation: A like a default nn.Linear, B zero, so training starts at the base model.
                torch.nn.init.kaiming_uniform_(a, a=math.sqrt(5))
                self.lora[key(name, "a")] = torch.nn.Parameter(a)
                self.lora[key(name, "b")] = torch.nn.Parameter(torch.zeros(out_dim, rank))

    def linear(self, x, name):
        y = x @ self.w[name].T
        a = self.lora[key(name, "a")] if key(name, "a") in self.lora else None
        if a is not None:
            y = y + (x @ a.T) @ self.lora[key(name, "b")].T * self.scale
        return y

    def forward(self, tokens):
        hp, w = self.hp, self.w
        batch, length = tokens.shape
        n_head, n_kv = hp["nHead"], hp["nHeadKv"]
        head_dim = hp["nEmbd"] // n_head
        positions = torch.arange(length)
        mask = torch.full((length, length), float("-inf")).triu(1)
        x = w["token_embd.weight"][tokens]
        for layer in range(hp["nLayer"]):
            p = f"blk.{layer}."
            h = rms_norm(x, w[p + "attn_norm.weight"], hp["rmsEps"])
            q = self.linear(h, p + "attn_q.weight").view(batch, length, n_head, head_dim)
            k = self.linear(h, p + "attn_k.weight").view(batch, length, n_kv, head_dim)
            v = self.linear(h, p + "attn_v.weight").view(batch, length, n_kv, head_dim)
            q, k = rope(q, positions, hp["ropeBase"]), rope(k, positions, hp["ropeBase"])
            # Grouped-query attention: query head i reads KV head i // (n_head / n_kv), as llama.cpp does.
            k = k.repeat_interleave(n_head // n_kv, dim=2)
            v = v.repeat_interleave(n_head // n_kv, dim=2)
            q, k, v = (t.transpose(1, 2) for t in (q, k, v))
            att = (q @ k.transpose(-1, -2)) / math.sqrt(head_dim) + mask
            out = (att.softmax(-1) @ v).transpose(1, 2).reshape(batch, length, -1)
            x = x + self.linear(out, p + "attn_output.weight")
            h = rms_norm(x, w[p + "ffn_norm.weight"], hp["rmsEps"])
            gate = torch.nn.functional.silu(self.linear(h, p + "ffn_gate.weight"))
            x = x + self.linear(gate * self.linear(h, p + "ffn_up.weight"), p + "ffn_down.weight")
        x = rms_norm(x, w["output_norm.weight"], hp["rmsEps"])
        head = w.get("output.weight", w["token_embd.weight"])
        return x @ head.T


def key(name, part):
    # ParameterDict keys may not contain dots.
    return f"{name}.lora_{part}".replace(".", "__")


def unkey(k):
    return k.replace("__", ".")


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header).encode("utf8")
    text += b" " * ((8 - len(text) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(len(text).to_bytes(8, "little"))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    os.replace(tmp, path)


def batch_of(examples, step, size):
    # The batch depends on the step alone, so a resumed run sees the same data as an uninterrupted one.
    n = len(examples)
    return [examples[(step * size + j) % n] for j in range(min(size, n))]


def loss_of(model, batch, mean_weight):
    length = max(len(e["tokens"]) for e in batch)
    tokens = torch.zeros(len(batch), length, dtype=torch.long)
    targets = torch.full((len(batch), length), -100, dtype=torch.long)
    for i, e in enumerate(batch):
        t = torch.tensor(e["tokens"], dtype=torch.long)
        tokens[i, : len(t)] = t
        # Position j predicts token j + 1; only the answer's tokens (from lossFrom on) are learned.
        targets[i, e["lossFrom"] - 1 : len(t) - 1] = t[e["lossFrom"] :]
    logits = model(tokens)
    per_token = torch.nn.functional.cross_entropy(logits.transpose(1, 2), targets, reduction="none", ignore_index=-100)
    counts = (targets != -100).sum(1).clamp(min=1)
    per_example = per_token.sum(1) / counts
    weights = torch.tensor([float(e["weight"]) for e in batch])
    # Scaled by the dataset's mean weight, not the batch's: an example weighing 10 pulls 10 times as
    # hard as one weighing 1 whichever batch each falls in.
    return (per_example * weights).sum() / (len(batch) * mean_weight), sum(len(e["tokens"]) for e in batch)


def main():
    spec = json.load(open(sys.argv[1], encoding="utf8"))
    train = spec["train"]
    torch.manual_seed(train.get("seed", 0))
    torch.set_num_threads(max(1, int(train.get("threads", 1))))
    table = spec["base"]["table"]
    hp = table["hparams"]
    # Mapped, not read: only the weights' pages are touched, once, while copying them into tensors.
    data = np.memmap(spec["base"]["gguf"], dtype=np.uint8, mode="r")
    weights = {name: load_tensor(data, info) for name, info in table["tensors"].items()}
    del data
    for t in weights.values():
        t.requires_grad_(False)
    lora = spec["lora"]
    model = LlamaLora(weights, hp, lora["rank"], lora["alpha"], lora["targets"])
    examples = [json.loads(line) for line in open(spec["examples"], encoding="utf8") if line.strip()]
    examples = [e for e in examples if e["weight"] > 0 and len(e["tokens"]) > e["lossFrom"] >= 1]
    if not examples:
        emit("error", message="no example has an answer to learn")
        sys.exit(2)
    mean_weight = sum(float(e["weight"]) for e in examples) / len(examples)
    optimizer = torch.optim.AdamW(model.lora.parameters(), lr=train["learningRate"], weight_decay=0.0)
    steps, every = train["steps"], train["checkpointEvery"]
    ckpt = spec["out"]["checkpoint"]
    step = 0
    if spec.get("resume") and os.path.exists(ckpt):
        state = torch.load(ckpt, map_location="cpu")
        model.lora.load_state_dict(state["lora"])
        optimizer.load_state_dict(state["optimizer"])
        torch.set_rng_state(state["rng"])
        step = state["step"]
        emit("resume", step=step)
    emit("start", step=step, totalSteps=steps, examples=len(examples), trainer="cpu-torch")
    cancel = spec.get("cancelFile")
    started, done_here = time.monotonic(), 0
    while step < steps:
        if cancel and os.path.exists(cancel):
            emit("cancelled", step=step)
            return
        t0 = time.monotonic()
        loss, tokens = loss_of(model, batch_of(examples, step, train["batchSize"]), mean_weight)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        step += 1
        done_here += 1
        took = max(time.monotonic() - t0, 1e-9)
        per_step = (time.monotonic() - started) / done_here
        emit("progress", step=step, totalSteps=steps, loss=round(float(loss), 6), tokensPerSecond=round(tokens / took, 1), etaSeconds=round(per_step * (steps - step), 1))
        if step % every == 0 or step == steps:
            state = {"step": step, "lora": model.lora.state_dict(), "optimizer": optimizer.state_dict(), "rng": torch.get_rng_state()}
            torch.save(state, ckpt + ".tmp")
            os.replace(ckpt + ".tmp", ckpt)
            emit("checkpoint", step=step)
    tensors = {unkey(k): v for k, v in model.lora.items()}
    write_safetensors(spec["out"]["adapter"], tensors, {"alpha": str(lora["alpha"]), "rank": str(lora["rank"])})
    emit("done", step=step, adapter=spec["out"]["adapter"])


if __name__ == "__main__":
    main()
