#!/usr/bin/env python3
"""PyTorch eager reference for the recurrent training benchmark: one step = forward + backward + clip + AdamW.

Reads a recurrent model folder (config.json of model_type layerwise-recurrent + model.safetensors, F32) written by
RecurrentTrainBenchmark, loads it into torch.nn.Embedding + torch.nn.LSTM/GRU (batch_first) + a linear head (tied to
the embedding when the config says so), trains the same weights on the same batch (token i of row b is
(b * 131 + i * 7) % vocab) in eager PyTorch (Debian's python3-torch), and prints one JSON line:
  {"torch": version, "threads": n, "first_loss": l, "step_ms": ms, "tokens_per_s": t}
Usage: torch_train_lstm.py MODEL_DIR BATCH SEQ_LEN WARMUP STEPS THREADS
"""
import json, os, sys
import torch
import torch.nn.functional as F

from torch_gpt2 import read_safetensors
from torch_train_gpt2 import race  # the same timing and optimiser as the GPT-2 reference


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

    def forward():
        x = F.embedding(ids, embed)
        if pos is not None:
            x = x + pos[:T]
        return F.linear(rnn(x)[0], head)

    race(params, forward, ids, warmup, steps)

if __name__ == "__main__":
    main()
