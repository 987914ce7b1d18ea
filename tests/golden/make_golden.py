#!/usr/bin/env python3
"""Golden files for the engine's logits tests, made by Hugging Face transformers (the reference).

Each case is a tiny random model saved with save_pretrained (the real Hugging Face layout and weight
names), a word-level tokenizer.json, and golden.safetensors holding:
  input_ids [T] int64, logits [T, V] f32, hidden.{i} [T, D] f32 (HF hidden_states: i=0 embeddings,
  i=l+1 output of block l; the last one has the final norm applied), generated [N] int64 (greedy).
Run:  python3 make_golden.py OUTDIR        (made with transformers 5.x, torch 2.x, on CPU in float32)
"""
import json, os, sys, shutil
import torch
from safetensors.torch import save_file, load_file
from transformers import (GPT2Config, GPT2LMHeadModel, GPTJConfig, GPTJForCausalLM, LlamaConfig,
                          LlamaForCausalLM, MistralConfig, MistralForCausalLM)
from tokenizers import Tokenizer, models, pre_tokenizers

V, T, NEW = 96, 12, 8
out = sys.argv[1]
torch.manual_seed(1234)


def randomise(model):
    # default init (std 0.02, norms at 1/0) would leave norms and biases untested: draw everything
    g = torch.Generator().manual_seed(7)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 1 and ("ln" in name or "norm" in name) and name.endswith("weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))


def tokenizer(path):
    vocab = {f"w{i}": i for i in range(V)}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="w0"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.save(os.path.join(path, "tokenizer.json"))


def run(name, model, dtype=None, strip_prefix=False, shard=None):
    path = os.path.join(out, name)
    shutil.rmtree(path, ignore_errors=True)
    randomise(model)
    model.eval()
    if dtype is not None:  # store rounded weights; the reference reloads them from disk in float32
        model.to(dtype)
        model.save_pretrained(path, safe_serialization=True, **({"max_shard_size": shard} if shard else {}))
        model = type(model).from_pretrained(path, dtype=torch.float32)
        model.eval()
    else:
        model.save_pretrained(path, safe_serialization=True, **({"max_shard_size": shard} if shard else {}))
    if strip_prefix:  # the original openai-community/gpt2 file: no "transformer." prefix, no lm_head
        f = os.path.join(path, "model.safetensors")
        w = {k.removeprefix("transformer."): v for k, v in load_file(f).items() if not k.startswith("lm_head")}
        save_file(w, f, metadata={"format": "pt"})
    tokenizer(path)
    ids = torch.randint(0, V, (1, T), generator=torch.Generator().manual_seed(99))
    with torch.no_grad():
        o = model(ids, output_hidden_states=True)
        gen = model.generate(ids, max_new_tokens=NEW, do_sample=False, pad_token_id=0,
                             attention_mask=torch.ones_like(ids))
    g = {"input_ids": ids[0].contiguous(), "logits": o.logits[0].float().contiguous(),
         "generated": gen[0, T:].contiguous()}
    for i, h in enumerate(o.hidden_states):
        g[f"hidden.{i}"] = h[0].float().contiguous()
    save_file(g, os.path.join(path, "golden.safetensors"))
    print(name, "params", sum(p.numel() for p in model.parameters()), "files", sorted(os.listdir(path)))


common = dict(vocab_size=V)
gpt2 = dict(n_embd=32, n_layer=2, n_head=4, n_positions=64, **common)
run("gpt2", GPT2LMHeadModel(GPT2Config(**gpt2)))
run("gpt2-noprefix", GPT2LMHeadModel(GPT2Config(**gpt2)), strip_prefix=True)
run("gpt2-f16", GPT2LMHeadModel(GPT2Config(**gpt2)), dtype=torch.float16)
run("gptj", GPTJForCausalLM(GPTJConfig(n_embd=32, n_layer=2, n_head=4, rotary_dim=4, n_positions=64, **common)))
llama = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
             max_position_embeddings=64, rms_norm_eps=1e-5, **common)
run("llama", LlamaForCausalLM(LlamaConfig(num_key_value_heads=4, **llama)))
run("llama-gqa", LlamaForCausalLM(LlamaConfig(num_key_value_heads=2, **llama)))
run("llama-tied", LlamaForCausalLM(LlamaConfig(num_key_value_heads=4, tie_word_embeddings=True, **llama)))
run("llama-bf16-sharded", LlamaForCausalLM(LlamaConfig(num_key_value_heads=2, rope_theta=500000.0, **llama)),
    dtype=torch.bfloat16, shard="20KB")
run("mistral", MistralForCausalLM(MistralConfig(num_key_value_heads=2, sliding_window=None, **llama)))
import transformers
with open(os.path.join(out, "VERSIONS.txt"), "w") as f:
    f.write(f"transformers {transformers.__version__}\ntorch {torch.__version__}\n")
