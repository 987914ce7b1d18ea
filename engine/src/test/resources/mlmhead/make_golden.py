#!/usr/bin/python3
"""Golden logits of the MLM transform head (BERT's cls.predictions), from an independent PyTorch computation.

logits = LayerNorm(act(hidden @ W_dense^T + b_dense)) @ E^T + b_out, with E the (tied) word embedding [V, d].
Written as torch.nn modules: nn.Linear, F.gelu (exact, and approximate='tanh' for gelu_new), nn.LayerNorm.
Inputs are drawn with torch.manual_seed(7) and scaled so the activation's curve matters. Writes golden.json:
{"cases": [{"activation", "eps", "hidden" [B,T,d], "dense_weight" [d,d], "dense_bias" [d], "norm_weight" [d],
"norm_bias" [d], "embedding" [V,d], "bias" [V], "logits" [B,T,V]}]}, every array flattened row-major.

Run from this folder:  /usr/bin/python3 make_golden.py      (Debian python3-torch 1.13)
"""
import json
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
B, T, D, V = 2, 3, 4, 6


def case(activation, eps, g):
    r = lambda *s: torch.randn(*s, generator=g, dtype=torch.float64)
    hidden, w, b = r(B, T, D) * 1.5, r(D, D) * 0.8, r(D) * 0.3
    nw, nb, emb, bias = 1 + 0.2 * r(D), 0.1 * r(D), r(V, D), 0.5 * r(V)
    dense = torch.nn.Linear(D, D).double()
    norm = torch.nn.LayerNorm(D, eps=eps).double()
    with torch.no_grad():
        dense.weight.copy_(w); dense.bias.copy_(b); norm.weight.copy_(nw); norm.bias.copy_(nb)
        h = dense(hidden)
        h = {"gelu": F.gelu(h), "gelu_new": F.gelu(h, approximate="tanh"), "relu": F.relu(h), "silu": F.silu(h)}[activation]
        logits = norm(h) @ emb.T + bias
    flat = lambda x: [float(v) for v in x.reshape(-1)]
    return dict(activation=activation, eps=eps, shape=[B, T, D, V], hidden=flat(hidden), dense_weight=flat(w), dense_bias=flat(b),
                norm_weight=flat(nw), norm_bias=flat(nb), embedding=flat(emb), bias=flat(bias), logits=flat(logits))


g = torch.Generator().manual_seed(7)
cases = [case("gelu", 1e-12, g), case("gelu_new", 1e-5, g), case("silu", 1e-6, g)]
with open(os.path.join(HERE, "golden.json"), "w") as f:
    json.dump({"cases": cases}, f, indent=1)
