#!/usr/bin/python3
"""Independent reference for the contrast probe (Debian python3-torch 1.13, numpy; no transformers).

Re-implements the LLaMA forward pass (RMSNorm, rotate_half rotary, grouped-query attention, SiLU-gated MLP,
untied LM head) from model/model.safetensors and config.json, reads the residual stream after attention
(resid_pre + attn_out) and after the MLP (block output) of every layer, and writes the logit-lens
probability and rank (#tokens strictly more probable) of each case's original and target token at every
layer and position, with and without the final norm, to golden.json.

Inputs (token ids, subject-last position, answer token ids) come from inputs.json, written by
GoldenModelMain (Java) from the same tokenizer. Run: /usr/bin/python3 make_golden.py (from this folder or any).
"""
import json
import os
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DTYPES = {"F16": np.float16, "F32": np.float32, "BF16": None}


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        arr = np.frombuffer(data[a:b], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        out[name] = torch.from_numpy(arr.astype(np.float32))
    return out


def rms(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


def forward(W, cfg, ids):
    d, L = cfg["hidden_size"], cfg["num_hidden_layers"]
    H, KV = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = cfg.get("head_dim", d // H)
    eps, theta = cfg["rms_norm_eps"], cfg.get("rope_theta", 10000.0)
    T = len(ids)
    x = W["model.embed_tokens.weight"][torch.tensor(ids)]
    inv = 1.0 / (theta ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
    ang = torch.outer(torch.arange(T, dtype=torch.float32), inv)
    ang = torch.cat([ang, ang], dim=-1)
    cos, sin = ang.cos(), ang.sin()
    causal = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
    after_attn, after_mlp = [], []
    for l in range(L):
        p = "model.layers.%d." % l
        h = rms(x, W[p + "input_layernorm.weight"], eps)
        q = (h @ W[p + "self_attn.q_proj.weight"].T).view(T, H, hd).transpose(0, 1)
        k = (h @ W[p + "self_attn.k_proj.weight"].T).view(T, KV, hd).transpose(0, 1)
        v = (h @ W[p + "self_attn.v_proj.weight"].T).view(T, KV, hd).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(H // KV, dim=0)
        v = v.repeat_interleave(H // KV, dim=0)
        s = (q @ k.transpose(1, 2)) / (hd ** 0.5)
        s = s.masked_fill(causal, float("-inf")).softmax(-1)
        a = (s @ v).transpose(0, 1).reshape(T, H * hd) @ W[p + "self_attn.o_proj.weight"].T
        mid = x + a
        after_attn.append(mid)
        h2 = rms(mid, W[p + "post_attention_layernorm.weight"], eps)
        m = (torch.nn.functional.silu(h2 @ W[p + "mlp.gate_proj.weight"].T) * (h2 @ W[p + "mlp.up_proj.weight"].T)) \
            @ W[p + "mlp.down_proj.weight"].T
        x = mid + m
        after_mlp.append(x)
    return torch.stack(after_attn), torch.stack(after_mlp), eps


def lens(W, hidden, final_norm, eps):
    h = rms(hidden, W["model.norm.weight"], eps) if final_norm else hidden
    head = W["lm_head.weight"] if "lm_head.weight" in W else W["model.embed_tokens.weight"]
    return (h @ head.T).softmax(-1)                                   # [L, T, V]


def main():
    cfg = json.load(open(os.path.join(HERE, "model", "config.json")))
    W = load_safetensors(os.path.join(HERE, "model", "model.safetensors"))
    cases = json.load(open(os.path.join(HERE, "inputs.json")))
    out = []
    with torch.no_grad():
        for c in cases:
            attn, mlp, eps = forward(W, cfg, c["ids"])
            entry = dict(c)
            for site, hidden in (("mlp", mlp), ("attn", attn)):
                for fn in (False, True):
                    P = lens(W, hidden, fn, eps)
                    key = "%s_%s" % (site, "norm" if fn else "raw")
                    res = {}
                    for who in ("original", "target"):
                        t = c[who + "_id"]
                        pt = P[..., t]
                        res[who + "_prob"] = pt.tolist()
                        res[who + "_rank"] = (P > pt.unsqueeze(-1)).sum(-1).tolist()
                    entry[key] = res
            out.append(entry)
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(out, f, indent=1)
    print("wrote golden.json for %d cases" % len(out))


if __name__ == "__main__":
    main()
