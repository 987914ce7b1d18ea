"""Golden logits for EncoderDecoderModelTest: an independent T5 forward pass in plain torch (1.13, no transformers),
written from the T5 paper and Hugging Face's modeling_t5 semantics. Writes two hand-made safetensors folders with
Hugging Face T5 names (t5: dense relu, tied head; t5-gated: gated-gelu, untied lm_head) and golden.json with their
logits for a padded source/decoder batch, plus reference relative-position buckets for T5's 32 buckets / distance 128.

Run: /usr/bin/python3 make_golden.py   (in this folder)
"""
import json
import math
import os
import struct

import torch

torch.manual_seed(1234)
HERE = os.path.dirname(os.path.abspath(__file__))


def bucket(rel, bidirectional, num_buckets, max_distance):
    """modeling_t5.T5Attention._relative_position_bucket"""
    ret = torch.zeros_like(rel)
    n = num_buckets
    if bidirectional:
        n //= 2
        ret = ret + (rel > 0).long() * n
        rel = rel.abs()
    else:
        rel = -torch.min(rel, torch.zeros_like(rel))
    max_exact = n // 2
    small = rel < max_exact
    large = max_exact + (torch.log(rel.float() / max_exact) / math.log(max_distance / max_exact) * (n - max_exact)).long()
    large = torch.min(large, torch.full_like(large, n - 1))
    return ret + torch.where(small, rel, large)


def position_bias(table, q, k, bidirectional, max_distance):
    rel = torch.arange(k)[None, :] - torch.arange(q)[:, None]
    b = bucket(rel, bidirectional, table.shape[0], max_distance)
    return table[b].permute(2, 0, 1)[None]          # [1, H, q, k]


def rms(x, w, eps):
    var = x.pow(2).mean(-1, keepdim=True)
    return w * (x * torch.rsqrt(var + eps))


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def attention(W, p, x, mem, heads, dkv, bias):
    B, tq, _ = x.shape
    tk = mem.shape[1]
    q = (x @ W[p + ".q.weight"].T).view(B, tq, heads, dkv).transpose(1, 2)
    k = (mem @ W[p + ".k.weight"].T).view(B, tk, heads, dkv).transpose(1, 2)
    v = (mem @ W[p + ".v.weight"].T).view(B, tk, heads, dkv).transpose(1, 2)
    scores = q @ k.transpose(3, 2) + bias                      # no 1/sqrt(d_kv): T5
    probs = torch.softmax(scores.float(), dim=-1)
    ctx = (probs @ v).transpose(1, 2).reshape(B, tq, heads * dkv)
    return ctx @ W[p + ".o.weight"].T


def feed_forward(W, p, x, gated):
    if gated:
        return (gelu_new(x @ W[p + ".wi_0.weight"].T) * (x @ W[p + ".wi_1.weight"].T)) @ W[p + ".wo.weight"].T
    return torch.relu(x @ W[p + ".wi.weight"].T) @ W[p + ".wo.weight"].T


def extended(mask):
    """[B, 1, 1, T] additive: 0 on real keys, finfo.min on padding (modeling_t5 get_extended_attention_mask)."""
    return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


def t5_forward(W, cfg, src, src_mask, dec, dec_mask):
    H, dkv, eps = cfg["num_heads"], cfg["d_kv"], cfg["layer_norm_epsilon"]
    gated = cfg["feed_forward_proj"].startswith("gated")
    nb, md = cfg["relative_attention_num_buckets"], cfg["relative_attention_max_distance"]
    # encoder
    h = W["shared.weight"][src]
    ts = src.shape[1]
    enc_bias = position_bias(W["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"], ts, ts, True, md) \
        + extended(src_mask)
    for i in range(cfg["num_layers"]):
        b = "encoder.block.%d.layer." % i
        n = rms(h, W[b + "0.layer_norm.weight"], eps)
        h = h + attention(W, b + "0.SelfAttention", n, n, H, dkv, enc_bias)
        h = h + feed_forward(W, b + "1.DenseReluDense", rms(h, W[b + "1.layer_norm.weight"], eps), gated)
    memory = rms(h, W["encoder.final_layer_norm.weight"], eps)
    # decoder
    td = dec.shape[1]
    causal = torch.tril(torch.ones(td, td))[None, None]
    allowed = causal * dec_mask[:, None, None, :].float()
    self_mask = (1.0 - allowed) * torch.finfo(torch.float32).min
    self_bias = position_bias(W["decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"], td, td, False, md) + self_mask
    cross_bias = extended(src_mask)                       # cross-attention has no position bias
    x = W["shared.weight"][dec]
    for i in range(cfg["num_decoder_layers"]):
        b = "decoder.block.%d.layer." % i
        n = rms(x, W[b + "0.layer_norm.weight"], eps)
        x = x + attention(W, b + "0.SelfAttention", n, n, H, dkv, self_bias)
        x = x + attention(W, b + "1.EncDecAttention", rms(x, W[b + "1.layer_norm.weight"], eps), memory, H, dkv, cross_bias)
        x = x + feed_forward(W, b + "2.DenseReluDense", rms(x, W[b + "2.layer_norm.weight"], eps), gated)
    x = rms(x, W["decoder.final_layer_norm.weight"], eps)
    if cfg["tie_word_embeddings"]:
        return (x * cfg["d_model"] ** -0.5) @ W["shared.weight"].T
    return x @ W["lm_head.weight"].T


def weights(cfg):
    d, H, dkv, ff = cfg["d_model"], cfg["num_heads"], cfg["d_kv"], cfg["d_ff"]
    gated = cfg["feed_forward_proj"].startswith("gated")
    W = {"shared.weight": torch.randn(cfg["vocab_size"], d)}

    def lin(name, o, i):
        W[name] = torch.randn(o, i) * (1.0 / math.sqrt(i))

    def stack(kind, layers, cross):
        for i in range(layers):
            b = "%s.block.%d.layer." % (kind, i)
            for p in "qkv":
                lin(b + "0.SelfAttention.%s.weight" % p, H * dkv, d)
            lin(b + "0.SelfAttention.o.weight", d, H * dkv)
            if i == 0:
                W[b + "0.SelfAttention.relative_attention_bias.weight"] = torch.randn(cfg["relative_attention_num_buckets"], H)
            W[b + "0.layer_norm.weight"] = 1 + 0.2 * torch.randn(d)
            j = 1
            if cross:
                for p in "qkv":
                    lin(b + "1.EncDecAttention.%s.weight" % p, H * dkv, d)
                lin(b + "1.EncDecAttention.o.weight", d, H * dkv)
                W[b + "1.layer_norm.weight"] = 1 + 0.2 * torch.randn(d)
                j = 2
            for wi in (["wi_0", "wi_1"] if gated else ["wi"]):
                lin(b + "%d.DenseReluDense.%s.weight" % (j, wi), ff, d)
            lin(b + "%d.DenseReluDense.wo.weight" % j, d, ff)
            W[b + "%d.layer_norm.weight" % j] = 1 + 0.2 * torch.randn(d)
        W["%s.final_layer_norm.weight" % kind] = 1 + 0.2 * torch.randn(d)

    stack("encoder", cfg["num_layers"], False)
    stack("decoder", cfg["num_decoder_layers"], True)
    if not cfg["tie_word_embeddings"]:
        lin("lm_head.weight", cfg["vocab_size"], d)
    return W


def write_safetensors(path, tensors):
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, t in tensors.items():
        data = t.contiguous().float().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


BASE = dict(model_type="t5", architectures=["T5ForConditionalGeneration"], vocab_size=23, d_model=16, d_kv=8, d_ff=20,
            num_layers=2, num_decoder_layers=2, num_heads=3, relative_attention_num_buckets=8,
            relative_attention_max_distance=16, layer_norm_epsilon=1e-6, dropout_rate=0.0, is_encoder_decoder=True,
            decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)
CONFIGS = {"t5": dict(BASE, feed_forward_proj="relu", tie_word_embeddings=True),
           "t5-gated": dict(BASE, feed_forward_proj="gated-gelu", tie_word_embeddings=False, num_decoder_layers=3)}

# a padded batch: source rows of 12 and 9 tokens, decoder rows of 10 and 6 (long enough for the log-spaced buckets)
src = torch.tensor([[5, 9, 13, 2, 7, 21, 3, 3, 8, 11, 17, 1], [4, 6, 19, 22, 10, 12, 14, 15, 1, 0, 0, 0]])
src_mask = (torch.arange(12)[None, :] < torch.tensor([[12], [9]])).long()
dec = torch.tensor([[0, 7, 3, 18, 20, 2, 9, 9, 16, 4], [0, 11, 5, 6, 22, 13, 0, 0, 0, 0]])
dec_mask = (torch.arange(10)[None, :] < torch.tensor([[10], [6]])).long()

golden = {"source": src.tolist(), "source_mask": src_mask.tolist(), "decoder": dec.tolist(), "decoder_mask": dec_mask.tolist()}
for name, cfg in CONFIGS.items():
    W = weights(cfg)
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    write_safetensors(os.path.join(folder, "model.safetensors"), W)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    with torch.no_grad():
        logits = t5_forward(W, cfg, src, src_mask, dec, dec_mask)
    golden[name] = {"shape": list(logits.shape), "logits": [round(v, 7) for v in logits.flatten().tolist()]}

rel = torch.arange(-200, 201)
golden["buckets"] = {"relative": rel.tolist(),
                     "bidirectional": bucket(rel, True, 32, 128).tolist(),
                     "unidirectional": bucket(rel, False, 32, 128).tolist()}
with open(os.path.join(HERE, "golden.json"), "w") as f:
    json.dump(golden, f)
print("wrote", ", ".join(CONFIGS), "and golden.json")
