#!/usr/bin/env python3
"""Golden files for RecurrentModelTest, made with torch.nn.LSTM / torch.nn.GRU (Debian python3-torch 1.13).

For each case a model folder <case>/ holds config.json (model_type layerwise-recurrent) and model.safetensors with
torch's own state_dict names under rnn. (written by hand: 8-byte little-endian header length, JSON header, raw
float32 bytes), and <case>/expected.safetensors holds the token ids, the logits [B, T, V] and, for the summed
next-token cross entropy over the rows, its value and the gradient of every parameter.
Run from this folder:  /usr/bin/python3 make_golden.py
"""
import json, os, struct
import torch
import torch.nn.functional as F

CASES = {
    # cell, vocab, hidden, layers, max positions, learned positions, embedding LayerNorm, tied, lm-head bias
    "lstm": dict(cell="lstm", vocab=50, hidden=16, layers=2, max_pos=12, pos=True, norm=True, tied=False, bias=True),
    "gru": dict(cell="gru", vocab=50, hidden=16, layers=2, max_pos=12, pos=False, norm=False, tied=True, bias=False),
}


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        data = t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)) + head + b"".join(blobs))


def make(name, c, seed):
    torch.manual_seed(seed)
    h, v = c["hidden"], c["vocab"]
    rnn = (torch.nn.LSTM if c["cell"] == "lstm" else torch.nn.GRU)(h, h, c["layers"], batch_first=True)
    w = {"embed.weight": torch.randn(v, h) * 0.5}
    if c["pos"]:
        w["pos_embed.weight"] = torch.randn(c["max_pos"], h) * 0.5
    if c["norm"]:
        w["embed_norm.weight"] = 1 + 0.1 * torch.randn(h)
        w["embed_norm.bias"] = 0.1 * torch.randn(h)
    for k, p in rnn.state_dict().items():
        w["rnn." + k] = p.clone()
    if not c["tied"]:
        w["lm_head.weight"] = torch.randn(v, h) * 0.3
    if c["bias"]:
        w["lm_head.bias"] = 0.1 * torch.randn(v)
    params = {k: t.clone().requires_grad_(True) for k, t in w.items()}

    ids = torch.randint(0, v, (2, 7))
    x = F.embedding(ids, params["embed.weight"])
    if c["pos"]:
        x = x + params["pos_embed.weight"][: ids.shape[1]]
    if c["norm"]:
        x = F.layer_norm(x, (h,), params["embed_norm.weight"], params["embed_norm.bias"], 1e-5)
    rnn.load_state_dict({k[4:]: params[k] for k in params if k.startswith("rnn.")})
    # run the module's own forward on the leaf tensors, so gradients reach them
    flat = [params["rnn." + n] for n in rnn._flat_weights_names]
    fn = torch._VF.lstm if c["cell"] == "lstm" else torch._VF.gru
    h0 = torch.zeros(c["layers"], 2, h)
    hx = (h0, h0) if c["cell"] == "lstm" else h0
    out = fn(x, hx, flat, True, c["layers"], 0.0, False, False, True)[0]
    ref = rnn(x)[0]
    assert torch.allclose(out, ref, atol=1e-6), "functional path differs from nn." + c["cell"].upper()
    head = params["embed.weight"] if c["tied"] else params["lm_head.weight"]
    logits = F.linear(out, head, params.get("lm_head.bias"))
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, v), ids[:, 1:].reshape(-1), reduction="sum")
    loss.backward()

    os.makedirs(name, exist_ok=True)
    write_safetensors(os.path.join(name, "model.safetensors"), w)
    config = {"model_type": "layerwise-recurrent", "cell": c["cell"], "vocab_size": v, "hidden_size": h,
              "num_layers": c["layers"], "max_position_embeddings": c["max_pos"], "learned_positions": c["pos"],
              "embedding_layer_norm": c["norm"], "layer_norm_eps": 1e-5, "tie_word_embeddings": c["tied"],
              "lm_head_bias": c["bias"], "batch_first": True, "torch_dtype": "float32"}
    with open(os.path.join(name, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    expected = {"ids": ids, "logits": logits.detach(), "loss_sum": loss.detach().reshape(1)}
    for k, p in params.items():
        expected["grad." + k] = p.grad
    write_safetensors(os.path.join(name, "expected.safetensors"), expected)
    print(name, "torch", torch.__version__, "loss_sum", float(loss))


if __name__ == "__main__":
    make("lstm", CASES["lstm"], 1)
    make("gru", CASES["gru"], 2)
