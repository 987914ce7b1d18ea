#!/usr/bin/env python3
"""PyTorch eager reference for the training benchmark: one step = forward + backward + clip + AdamW.

Reads a Hugging Face GPT-2 folder (config.json + model.safetensors, F32) written by the Java side, trains the
same weights on the same batch (token i of row b is (b * 131 + i * 7) % vocab, as TrainBenchmark makes it) in
eager PyTorch (Debian's python3-torch), and prints one JSON line:
  {"torch": version, "threads": n, "first_loss": l, "step_ms": ms, "tokens_per_s": t}
Usage: torch_train_gpt2.py MODEL_DIR BATCH SEQ_LEN WARMUP STEPS
"""
import json, os, sys, time
import torch
import torch.nn.functional as F

from torch_gpt2 import gpt2_forward, read_safetensors  # the same GPT-2 reference as the forward benchmark


def trainable(weights):
    """The forward reference's weights as leaf parameters (a copy, so the file's buffer stays read-only)."""
    return {k: torch.nn.Parameter(v.clone()) for k, v in weights.items()}


def main():
    model, B, T, warmup, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(os.cpu_count())
    cfg = json.load(open(os.path.join(model, "config.json")))
    w = trainable(read_safetensors(os.path.join(model, "model.safetensors")))
    V = cfg["vocab_size"]
    ids = torch.tensor([[(b * 131 + i * 7) % V for i in range(T)] for b in range(B)])
    race(list(w.values()), lambda: gpt2_forward(w, cfg, ids), ids, warmup, steps)


def race(params, forward, ids, warmup, steps):
    """Times training steps (AdamW as the Java side, weight decay on matrices, clip 1.0) and prints the JSON line."""
    B, T = ids.shape
    decay = [p for p in params if p.dim() >= 2]
    no_decay = [p for p in params if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-4, betas=(0.9, 0.95), eps=1e-8)

    def step():
        opt.zero_grad(set_to_none=False)
        logits = forward()
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        return float(loss)

    first = step()
    for _ in range(warmup - 1):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    dt = (time.perf_counter() - t0) / steps
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "first_loss": first,
                      "step_ms": dt * 1000, "tokens_per_s": B * T / dt}))

if __name__ == "__main__":
    main()
