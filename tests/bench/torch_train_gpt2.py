#!/usr/bin/env python3
"""PyTorch eager reference for the training benchmark: one step = forward + backward + clip + AdamW.

Reads a Hugging Face GPT-2 folder (config.json + model.safetensors, F32) written by the Java side, trains the
same weights on the same batch (token i of row b is (b * 131 + i * 7) % vocab, as TrainBenchmark makes it) in
eager PyTorch (Debian's python3-torch), and prints one JSON line:
  {"torch": version, "threads": n, "first_loss": l, "step_ms": ms, "tokens_per_s": t}
Usage: torch_train_gpt2.py MODEL_DIR BATCH SEQ_LEN WARMUP STEPS
"""
import json, math, os, struct, sys, time
import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        assert e["dtype"] == "F32", name + " must be F32"
        b, end = e["data_offsets"]
        arr = np.frombuffer(data[b:end], dtype=np.float32).reshape(e["shape"])
        out[name.removeprefix("transformer.")] = torch.nn.Parameter(torch.from_numpy(arr.copy()))
    return out


def gpt2_forward(w, cfg, ids):
    B, T = ids.shape
    H, D, eps = cfg["n_head"], cfg["n_embd"], cfg["layer_norm_epsilon"]
    x = w["wte.weight"][ids] + w["wpe.weight"][:T]
    mask = torch.full((T, T), float("-inf")).triu(1)
    for l in range(cfg["n_layer"]):
        p = f"h.{l}."
        h = F.layer_norm(x, (D,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = torch.addmm(w[p + "attn.c_attn.bias"], h.view(-1, D), w[p + "attn.c_attn.weight"]).view(B, T, 3, H, D // H)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(D // H) + mask
        a = (att.softmax(-1) @ v).transpose(1, 2).reshape(B * T, D)
        x = x + torch.addmm(w[p + "attn.c_proj.bias"], a, w[p + "attn.c_proj.weight"]).view(B, T, D)
        h = F.layer_norm(x, (D,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = F.gelu(torch.addmm(w[p + "mlp.c_fc.bias"], h.view(-1, D), w[p + "mlp.c_fc.weight"]), approximate="tanh")
        x = x + torch.addmm(w[p + "mlp.c_proj.bias"], m, w[p + "mlp.c_proj.weight"]).view(B, T, D)
    x = F.layer_norm(x, (D,), w["ln_f.weight"], w["ln_f.bias"], eps)
    return x @ w["wte.weight"].t()


def main():
    model, B, T, warmup, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(os.cpu_count())
    cfg = json.load(open(os.path.join(model, "config.json")))
    w = read_safetensors(os.path.join(model, "model.safetensors"))
    V = cfg["vocab_size"]
    ids = torch.tensor([[(b * 131 + i * 7) % V for i in range(T)] for b in range(B)])
    params = list(w.values())
    decay = [p for p in params if p.dim() >= 2]
    no_decay = [p for p in params if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-4, betas=(0.9, 0.95), eps=1e-8)

    def step():
        opt.zero_grad(set_to_none=False)
        logits = gpt2_forward(w, cfg, ids)
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, V), ids[:, 1:].reshape(-1))
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
