#!/usr/bin/python3
"""Golden logits for the engine's transformer switches, from an independent PyTorch implementation.

Two tiny models with fixed random weights (torch.manual_seed), written as engine folders of model_type "layerwise":
  bert-post   post-LN blocks, embedding LayerNorm, word + sinusoidal positions + segment embedding,
              fully visible mask, exact gelu, tied LM head, no final norm (BERT as TencentPretrain builds it)
  prefix-lm   pre-LN blocks, word + learned positions + segment embedding, causal_with_prefix mask,
              gelu_new, final norm, untied LM head with bias
Each folder gets config.json, model.safetensors (weights, F32), tokenizer.json (copied from ../tokenizer/wordlevel)
and golden.safetensors (input ids, attention mask, segments and the reference logits with and without segments).

Run from this folder:  /usr/bin/python3 make_golden.py      (Debian python3-torch 1.13, numpy; no other packages)
"""
import json
import math
import os
import shutil
import struct

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
V, D, L, H, FF, P = 10, 16, 2, 2, 32, 16
HD = D // H


def spec(**over):
    s = dict(modelType="layerwise", vocabSize=V, dModel=D, layers=L, heads=H, kvHeads=H, headDim=HD, maxPositions=P,
             learnedPositions=False, rotary="NONE", rotaryDim=0, ropeTheta=10000.0, norm="LAYER", normEps=1e-12,
             residual="SEQUENTIAL", qkvBias=True, outBias=True, mlp="DENSE", activation="GELU", intermediateSize=FF,
             mlpBias=True, finalNorm=False, tiedEmbeddings=True, lmHeadBias=False, mask="BIDIRECTIONAL", slidingWindow=0,
             normPosition="POST", embeddingNorm=True, segmentEmbedding=True, sinusoidalPositions=True)
    s.update(over)
    return s


def weights(s, seed):
    g = torch.Generator().manual_seed(seed)
    def mat(*shape):
        return torch.randn(*shape, generator=g) * 0.3
    def norm(prefix):
        w[prefix + ".weight"] = 1 + torch.randn(D, generator=g) * 0.1
        w[prefix + ".bias"] = torch.randn(D, generator=g) * 0.1
    w = {"embed.weight": mat(V, D)}
    if s["learnedPositions"]:
        w["pos_embed.weight"] = mat(P, D)
    if s["segmentEmbedding"]:
        w["seg_embed.weight"] = mat(3, D)
    if s["embeddingNorm"]:
        norm("embed_norm")
    for l in range(L):
        b = "blocks.%d." % l
        norm(b + "norm1")
        w[b + "attn.qkv.weight"] = mat(3 * D, D)
        w[b + "attn.qkv.bias"] = mat(3 * D)
        w[b + "attn.out.weight"] = mat(D, D)
        w[b + "attn.out.bias"] = mat(D)
        norm(b + "norm2")
        w[b + "mlp.up.weight"] = mat(FF, D)
        w[b + "mlp.up.bias"] = mat(FF)
        w[b + "mlp.down.weight"] = mat(D, FF)
        w[b + "mlp.down.bias"] = mat(D)
    if s["finalNorm"]:
        norm("final_norm")
    if not s["tiedEmbeddings"]:
        w["lm_head.weight"] = mat(V, D)
    if s["lmHeadBias"]:
        w["lm_head.bias"] = mat(V)
    return w


def sinusoids(positions):
    """Vaswani et al.: pe[p, 2i] = sin(p w_i), pe[p, 2i+1] = cos(p w_i), w_i = 10000^(-2i/D)."""
    i = torch.arange(0, D, 2, dtype=torch.float64)
    w = torch.exp(i * (-math.log(10000.0) / D))
    angles = positions.double().unsqueeze(-1) * w                      # [B, T, D/2]
    pe = torch.zeros(*positions.shape, D, dtype=torch.float64)
    pe[..., 0::2] = torch.sin(angles)
    pe[..., 1::2] = torch.cos(angles)
    return pe.float()


def gelu(s, x):
    return F.gelu(x, approximate="tanh" if s["activation"] == "GELU_NEW" else "none")


def forward(s, w, ids, mask, seg, given_segments):
    """Logits [B, T, V]. seg: segment ids used for the embedding; the prefix mask reads them only when given."""
    B, T = ids.shape
    ln = lambda x, p: F.layer_norm(x, (D,), w[p + ".weight"], w[p + ".bias"], s["normEps"])
    pos = (mask.cumsum(1) - 1).clamp(min=0)                              # positions count real tokens
    x = w["embed.weight"][ids]
    if s["learnedPositions"]:
        x = x + w["pos_embed.weight"][pos]
    if s["sinusoidalPositions"]:
        x = x + sinusoids(pos)
    if s["segmentEmbedding"]:
        x = x + w["seg_embed.weight"][seg]
    if s["embeddingNorm"]:
        x = ln(x, "embed_norm")
    q_idx = torch.arange(T).view(T, 1)
    k_idx = torch.arange(T).view(1, T)
    visible = torch.ones(B, T, T, dtype=torch.bool)
    if s["mask"] in ("CAUSAL", "CAUSAL_WITH_PREFIX"):
        causal = (k_idx <= q_idx).unsqueeze(0).expand(B, T, T)
        if s["mask"] == "CAUSAL_WITH_PREFIX" and given_segments:
            causal = causal | (seg == 1).unsqueeze(1)                    # prefix keys are seen by every query
        visible = causal
    visible = visible & (mask == 1).unsqueeze(1)
    bias = torch.where(visible, torch.tensor(0.0), torch.tensor(-1e9)).unsqueeze(1)   # [B, 1, T, T]

    def attention(h, b):
        qkv = F.linear(h, w[b + "attn.qkv.weight"], w[b + "attn.qkv.bias"])
        q, k, v = qkv.split(D, dim=-1)
        q, k, v = (t.view(B, T, H, HD).transpose(1, 2) for t in (q, k, v))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(HD) + bias, dim=-1)
        ctx = (att @ v).transpose(1, 2).reshape(B, T, D)
        return F.linear(ctx, w[b + "attn.out.weight"], w[b + "attn.out.bias"])

    def mlp(h, b):
        return F.linear(gelu(s, F.linear(h, w[b + "mlp.up.weight"], w[b + "mlp.up.bias"])),
                        w[b + "mlp.down.weight"], w[b + "mlp.down.bias"])

    for l in range(L):
        b = "blocks.%d." % l
        if s["normPosition"] == "POST":
            h = ln(x + attention(x, b), b + "norm1")
            x = ln(h + mlp(h, b), b + "norm2")
        else:
            h = x + attention(ln(x, b + "norm1"), b)
            x = h + mlp(ln(h, b + "norm2"), b)
    if s["finalNorm"]:
        x = ln(x, "final_norm")
    head = w["embed.weight"] if s["tiedEmbeddings"] else w["lm_head.weight"]
    return F.linear(x, head, w.get("lm_head.bias"))


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        a = t.detach().contiguous().numpy()
        dtype = {np.dtype("float32"): "F32", np.dtype("int64"): "I64"}[a.dtype]
        raw = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for raw in blobs:
            f.write(raw)


def make(name, s, seed):
    out = os.path.join(HERE, name)
    os.makedirs(out, exist_ok=True)
    w = weights(s, seed)
    write_safetensors(os.path.join(out, "model.safetensors"), w)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({"model_type": "layerwise", "vocab_size": V, "tie_word_embeddings": s["tiedEmbeddings"],
                   "layerwise_spec": s}, f, indent=2)
    shutil.copy(os.path.join(HERE, "..", "tokenizer", "wordlevel", "tokenizer.json"), os.path.join(out, "tokenizer.json"))
    ids = torch.tensor([[1, 2, 3, 4, 5, 6, 7], [1, 8, 5, 6, 9, 0, 0]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0, 0]])
    seg = torch.tensor([[1, 1, 1, 2, 2, 2, 2], [1, 1, 2, 2, 2, 0, 0]])
    with torch.no_grad():
        with_seg = forward(s, w, ids, mask, seg, True)
        without = forward(s, w, ids, mask, mask, False)               # no segments: real tokens are segment 1
    write_safetensors(os.path.join(out, "golden.safetensors"), {
        "input_ids": ids, "attention_mask": mask, "segments": seg,
        "logits": with_seg, "logits_without_segments": without})
    print(name, "max |logit|", float(with_seg.abs().max()), "segments change logits by",
          float((with_seg - without).abs().max()))


if __name__ == "__main__":
    torch.set_num_threads(1)
    make("bert-post", spec(), 1)
    make("prefix-lm", spec(learnedPositions=True, sinusoidalPositions=False, normPosition="PRE", embeddingNorm=False,
                           mask="CAUSAL_WITH_PREFIX", activation="GELU_NEW", normEps=1e-5, finalNorm=True,
                           tiedEmbeddings=False, lmHeadBias=True), 2)
