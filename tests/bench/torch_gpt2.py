#!/usr/bin/env python3
"""PyTorch eager reference for the engine benchmark: the same GPT-2 weights, the same shapes.

Reads a Hugging Face GPT-2 folder (config.json + model.safetensors, F32) with a plain safetensors reader,
runs the GPT-2 forward in eager PyTorch (Debian's python3-torch), and prints one JSON line:
  {"torch": version, "threads": n, "forward": {"1": tokens_per_s, "8": ...}, "checksum": ...}
Usage: torch_gpt2.py MODEL_DIR SEQ_LEN ITERATIONS BATCH [BATCH ...]
"""
import json, math, os, struct, sys, time
import numpy as np
import torch
import torch.nn.functional as F

DT = {"F32": np.float32, "F16": np.float16}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        arr = np.frombuffer(data[b:end], dtype=DT[e["dtype"]]).reshape(e["shape"])
        out[name.removeprefix("transformer.")] = torch.from_numpy(arr.astype(np.float32))
    return out


def gpt2_forward(w, cfg, ids):
    B, T = ids.shape
    H = cfg["n_head"]
    D = cfg["n_embd"]
    x = w["wte.weight"][ids] + w["wpe.weight"][:T]
    mask = torch.full((T, T), float("-inf")).triu(1)
    for l in range(cfg["n_layer"]):
        p = f"h.{l}."
        h = F.layer_norm(x, (D,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], cfg["layer_norm_epsilon"])
        qkv = torch.addmm(w[p + "attn.c_attn.bias"], h.view(-1, D), w[p + "attn.c_attn.weight"]).view(B, T, 3, H, D // H)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(D // H) + mask
        a = (att.softmax(-1) @ v).transpose(1, 2).reshape(B * T, D)
        x = x + torch.addmm(w[p + "attn.c_proj.bias"], a, w[p + "attn.c_proj.weight"]).view(B, T, D)
        h = F.layer_norm(x, (D,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], cfg["layer_norm_epsilon"])
        m = F.gelu(torch.addmm(w[p + "mlp.c_fc.bias"], h.view(-1, D), w[p + "mlp.c_fc.weight"]), approximate="tanh")
        x = x + torch.addmm(w[p + "mlp.c_proj.bias"], m, w[p + "mlp.c_proj.weight"]).view(B, T, D)
    x = F.layer_norm(x, (D,), w["ln_f.weight"], w["ln_f.bias"], cfg["layer_norm_epsilon"])
    return x @ w["wte.weight"].t()


def main():
    model, T, iters = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    batches = [int(b) for b in sys.argv[4:]]
    torch.set_num_threads(os.cpu_count())
    cfg = json.load(open(os.path.join(model, "config.json")))
    w = read_safetensors(os.path.join(model, "model.safetensors"))
    g = torch.Generator().manual_seed(0)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "forward": {}}
    with torch.inference_mode():
        for B in batches:
            ids = torch.randint(0, cfg["vocab_size"], (B, T), generator=g)
            gpt2_forward(w, cfg, ids)  # warm-up
            t0 = time.perf_counter()
            for _ in range(iters):
                logits = gpt2_forward(w, cfg, ids)
            dt = time.perf_counter() - t0
            result["forward"][str(B)] = B * T * iters / dt
        ids = torch.arange(T).remainder(cfg["vocab_size"]).view(1, T)
        result["checksum"] = float(gpt2_forward(w, cfg, ids)[0, -1].sum())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
