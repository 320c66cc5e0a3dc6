"""wren's PEFT + TRL trainer: LoRA on the base model's original (Hugging Face) weights.

Follows wren's trainer protocol (docs/training.md): one JSON spec in (argv[1]), JSON lines out on
stdout, LoRA tensors out as a safetensors file with llama.cpp's GGUF tensor names. Runs in the venv
`wren train setup` makes (torch, transformers, peft, trl, datasets, accelerate, safetensors).

The frozen base is loaded in 4-bit (bitsandbytes) when a CUDA GPU and bitsandbytes are there, and
gradient checkpointing is on, so memory stays near the size of the quantized weights rather than
twice the full ones. The examples are the chat-format dataset, rendered with the original model's
own chat template by TRL.
"""

import json
import os
import sys
import time

import torch
from datasets import Dataset
from peft import LoraConfig, get_peft_model_state_dict, prepare_model_for_kbit_training
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
from trl import SFTConfig, SFTTrainer

TARGETS = {"attn_q": "q_proj", "attn_k": "k_proj", "attn_v": "v_proj", "attn_output": "o_proj", "ffn_gate": "gate_proj", "ffn_up": "up_proj", "ffn_down": "down_proj"}


def emit(kind, **fields):
    sys.stdout.write(json.dumps({"type": kind, **fields}) + "\n")
    sys.stdout.flush()


def load_base(weights):
    kwargs = {"torch_dtype": torch.bfloat16 if torch.cuda.is_available() else torch.float32}
    if torch.cuda.is_available():
        try:
            from transformers import BitsAndBytesConfig

            kwargs["quantization_config"] = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch.bfloat16)
        except ImportError:
            pass
    model = AutoModelForCausalLM.from_pretrained(weights, **kwargs)
    if "quantization_config" in kwargs:
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=True)
    else:
        model.gradient_checkpointing_enable()
        model.enable_input_require_grads()
    return model


# Architectures whose q and k weights llama.cpp's converter permutes (its LlamaModel family).
PERMUTED = {"llama", "mistral", "mixtral"}


def to_gguf_names(state, config):
    """PEFT's lora_A/lora_B of layer N's q_proj etc. under llama.cpp's names; for the llama family,
    q and k rows permuted the way llama.cpp's converter permutes the base's q and k weights."""
    out = {}
    permute = getattr(config, "model_type", "") in PERMUTED
    heads, kv_heads = config.num_attention_heads, getattr(config, "num_key_value_heads", config.num_attention_heads)
    back = {v: k for k, v in TARGETS.items()}
    for name, tensor in state.items():
        parts = name.split(".")
        layer = int(parts[parts.index("layers") + 1])
        module = next(p for p in parts if p in back)
        ab = "a" if "lora_A" in name else "b"
        t = tensor.float().contiguous()
        if permute and ab == "b" and module in ("q_proj", "k_proj"):
            n = heads if module == "q_proj" else kv_heads
            t = t.reshape(n, 2, t.shape[0] // n // 2, *t.shape[1:]).swapaxes(1, 2).reshape(t.shape)
        out[f"blk.{layer}.{back[module]}.weight.lora_{ab}"] = t.contiguous()
    return out


class Progress(TrainerCallback):
    def __init__(self, total, cancel_file):
        self.total, self.cancel_file, self.started, self.last = total, cancel_file, time.monotonic(), time.monotonic()

    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs and "loss" in logs:
            now = time.monotonic()
            per_step = (now - self.started) / max(state.global_step, 1)
            tokens = logs.get("num_tokens", 0)
            emit("progress", step=state.global_step, totalSteps=self.total, loss=float(logs["loss"]), tokensPerSecond=float(tokens) / max(now - self.started, 1e-9), etaSeconds=per_step * (self.total - state.global_step))

    def on_save(self, args, state, control, **kwargs):
        emit("checkpoint", step=state.global_step)

    def on_step_end(self, args, state, control, **kwargs):
        if self.cancel_file and os.path.exists(self.cancel_file):
            emit("cancelled", step=state.global_step)
            control.should_training_stop = True


def main():
    spec = json.load(open(sys.argv[1], encoding="utf8"))
    train, lora = spec["train"], spec["lora"]
    weights = spec["base"]["weights"]
    tokenizer = AutoTokenizer.from_pretrained(weights)
    model = load_base(weights)
    peft_config = LoraConfig(r=lora["rank"], lora_alpha=lora["alpha"], target_modules=[TARGETS[t] for t in lora["targets"]], lora_dropout=0.0, task_type="CAUSAL_LM")
    rows = [json.loads(line) for line in open(spec["dataset"], encoding="utf8") if line.strip()]
    rows = [r for r in rows if r.get("label", True) and r.get("weight", 1) > 0]
    # Weights as repeats: TRL has no per-example loss weight.
    data = Dataset.from_list([{"messages": r["messages"]} for r in rows for _ in range(int(r.get("weight", 1)))])
    checkpoints = spec["out"]["checkpoint"]
    config = SFTConfig(
        output_dir=checkpoints,
        max_steps=train["steps"],
        learning_rate=train["learningRate"],
        per_device_train_batch_size=train["batchSize"],
        save_steps=train["checkpointEvery"],
        save_total_limit=1,
        logging_steps=1,
        seed=train["seed"],
        gradient_checkpointing=True,
        report_to=[],
    )
    trainer = SFTTrainer(model=model, args=config, train_dataset=data, processing_class=tokenizer, peft_config=peft_config)
    trainer.add_callback(Progress(train["steps"], spec.get("cancelFile")))
    resume = spec.get("resume") and os.path.isdir(checkpoints) and any(d.startswith("checkpoint-") for d in os.listdir(checkpoints))
    if resume:
        done = max(int(d.split("-")[1]) for d in os.listdir(checkpoints) if d.startswith("checkpoint-"))
        emit("resume", step=done)
    emit("start", step=done if resume else 0, totalSteps=train["steps"], examples=len(rows), trainer="peft")
    trainer.train(resume_from_checkpoint=True if resume else None)
    if spec.get("cancelFile") and os.path.exists(spec["cancelFile"]):
        return
    state = get_peft_model_state_dict(trainer.model)
    save_file(to_gguf_names(state, trainer.model.config), spec["out"]["adapter"], metadata={"alpha": str(lora["alpha"]), "rank": str(lora["rank"])})
    emit("done", step=trainer.state.global_step, adapter=spec["out"]["adapter"])


if __name__ == "__main__":
    main()
