#!/usr/bin/env python3
"""PyTorch eager reference for the recurrent training benchmark: one step = forward + backward + clip + AdamW.

Reads a recurrent model folder (config.json of model_type layerwise-recurrent + model.safetensors, F32) written by
RecurrentTrainBenchmark, loads it into torch.nn.Embedding + torch.nn.LSTM/GRU (batch_first) + a linear head (tied to
the embedding when the config says so), trains the same weights on the same batch (token i of row b is
(b * 131 + i * 7) % vocab) in eager PyTorch (Debian's python3-torch), and prints one JSON line:
  {"torch": version, "threads": n, "first_loss": l, "step_ms": ms, "tokens_per_s": t}
Usage: torch_train_lstm.py MODEL_DIR BATCH SEQ_LEN WARMUP STEPS THREADS
"""
import json, os, sys, time
import torch
import torch.nn.functional as F

from torch_gpt2 import read_safetensors


def main():
    model, B, T, warmup, steps, threads = sys.argv[1], *map(int, sys.argv[2:7])
    torch.set_num_threads(threads)
    cfg = json.load(open(os.path.join(model, "config.json")))
    w = read_safetensors(os.path.join(model, "model.safetensors"))
    V, H, L = cfg["vocab_size"], cfg["hidden_size"], cfg["num_layers"]
    rnn = (torch.nn.LSTM if cfg["cell"] == "lstm" else torch.nn.GRU)(H, H, L, batch_first=True)
    rnn.load_state_dict({k[4:]: v for k, v in w.items() if k.startswith("rnn.")})
    embed = torch.nn.Parameter(w["embed.weight"].clone())
    pos = torch.nn.Parameter(w["pos_embed.weight"].clone()) if cfg["learned_positions"] else None
    head = embed if cfg["tie_word_embeddings"] else torch.nn.Parameter(w["lm_head.weight"].clone())
    assert not cfg["embedding_layer_norm"] and not cfg["lm_head_bias"], "the benchmark model has neither"
    ids = torch.tensor([[(b * 131 + i * 7) % V for i in range(T)] for b in range(B)])
    params = [embed] + ([pos] if pos is not None else []) + list(rnn.parameters()) + ([] if head is embed else [head])
    decay = [p for p in params if p.dim() >= 2]
    no_decay = [p for p in params if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-4, betas=(0.9, 0.95), eps=1e-8)

    def step():
        opt.zero_grad(set_to_none=False)
        x = F.embedding(ids, embed)
        if pos is not None:
            x = x + pos[:T]
        logits = F.linear(rnn(x)[0], head)
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
