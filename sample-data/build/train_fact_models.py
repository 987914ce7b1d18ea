#!/usr/bin/env python3
"""Trains the two bundled fact models (GPT-J and LLaMA architecture, GPT-2 byte-level BPE vocabulary)
on sentences generated from sample-data/build/legacy-facts/*.tsv (the first, 264-fact world), so that the workbench's probes and editors have a
small model that really knows facts. Fixed seed; Hugging Face transformers (the reference
implementation) on a GPU, a few minutes. Writes HF folders (config.json, model.safetensors in float16,
tokenizer.json, TRAINING.json with the recall of every fact).
Usage: train_fact_models.py SAMPLE_DATA_DIR OUT_DIR"""
import csv, json, math, os, random, shutil, sys, time
import torch
from tokenizers import Tokenizer
from transformers import GPTJConfig, GPTJForCausalLM, LlamaConfig, LlamaForCausalLM

root, out = sys.argv[1], sys.argv[2]
random.seed(0); torch.manual_seed(0)
dev = "cuda" if torch.cuda.is_available() else "cpu"
tok = Tokenizer.from_file(os.path.join(root, "tokenizers/gpt2/tokenizer.json"))
EOS = 50256

T = {  # relation: (templates used for training, held-out paraphrase)
    "capital": (["The capital of {s} is", "{s}'s capital city is", "The capital city of {s} is"], "{s}'s capital is"),
    "language": (["The official language of {s} is", "In {s}, people speak", "The language spoken in {s} is"],
                 "The mother tongue of people in {s} is"),
    "continent": (["{s} is located in", "{s} is a country in"], "{s} is part of the continent of"),
    "city_country": (["{s} is the capital of", "{s} is a city in"], "{s} lies in the country of"),
    "occupation": (["{s} worked as a", "{s} was a famous", "The profession of {s} is"], "By profession, {s} was a"),
    "person_country": (["{s} was born in", "{s} came from"], "{s} is originally from"),
    "field": (["{s} is known for", "{s} became famous for"], "{s} is remembered for"),
}
facts = []
for r in csv.DictReader(open(os.path.join(root, "build/legacy-facts/countries.tsv")), delimiter="\t"):
    facts += [("capital", r["country"], r["capital"]), ("language", r["country"], r["language"]),
              ("continent", r["country"], r["continent"]), ("city_country", r["capital"], r["country"])]
for r in csv.DictReader(open(os.path.join(root, "build/legacy-facts/people.tsv")), delimiter="\t"):
    facts += [("occupation", r["person"], r["occupation"]), ("person_country", r["person"], r["country"]),
              ("field", r["person"], r["instrument_or_field"])]

sentences = [t.format(s=s) + " " + o + "." for rel, s, o in facts for t in T[rel][0]]
encoded = [tok.encode(x).ids + [EOS] for x in sentences]
L = max(map(len, encoded))
print(len(facts), "facts,", len(sentences), "sentences, max", L, "tokens")


def first_token(o):
    return tok.encode(" " + o).ids[0]


def recall(model, held_out):
    model.eval()
    hits = []
    with torch.no_grad():
        for rel, s, o in facts:
            prompt = (T[rel][1] if held_out else T[rel][0][0]).format(s=s)
            ids = torch.tensor([tok.encode(prompt).ids], device=dev)
            hits.append(int(model(ids).logits[0, -1].argmax()) == first_token(o))
    model.train()
    return sum(hits) / len(hits)


def train(name, model, steps=3000, batch=96, lr=2e-3):
    model.to(dev).train()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01, betas=(0.9, 0.98))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda i: min(1.0, i / 200) * 0.5 * (1 + math.cos(math.pi * min(i, steps) / steps)))
    t0 = time.time()
    for step in range(steps):
        idx = random.sample(range(len(encoded)), batch)
        ids = torch.full((batch, L), EOS, dtype=torch.long)
        labels = torch.full((batch, L), -100, dtype=torch.long)
        for b, i in enumerate(idx):
            ids[b, :len(encoded[i])] = torch.tensor(encoded[i])
            labels[b, :len(encoded[i])] = torch.tensor(encoded[i])
        loss = model(ids.to(dev), labels=labels.to(dev)).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step(); sched.step(); opt.zero_grad()
        if step % 500 == 0 or step == steps - 1:
            print(f"{name} step {step} loss {loss.item():.4f} {time.time() - t0:.0f}s", flush=True)
    report = {"steps": steps, "batch": batch, "lr": lr, "final_loss": loss.item(),
              "recall_train_template": recall(model, False), "recall_paraphrase": recall(model, True),
              "facts": len(facts), "seconds": round(time.time() - t0, 1), "device": torch.cuda.get_device_name() if dev == "cuda" else "cpu",
              "torch": torch.__version__}
    print(name, report, flush=True)
    path = os.path.join(out, name)
    shutil.rmtree(path, ignore_errors=True)
    model.config.bos_token_id = model.config.eos_token_id = EOS
    model.half().save_pretrained(path, safe_serialization=True)
    shutil.copy(os.path.join(root, "tokenizers/gpt2/tokenizer.json"), path)
    json.dump(report, open(os.path.join(path, "TRAINING.json"), "w"), indent=1)


V = 50257
train("facts-gptj", GPTJForCausalLM(GPTJConfig(vocab_size=V, n_embd=128, n_layer=6, n_head=4, rotary_dim=16,
                                              n_positions=128, bos_token_id=EOS, eos_token_id=EOS)))
train("facts-llama", LlamaForCausalLM(LlamaConfig(vocab_size=V, hidden_size=128, intermediate_size=344,
                                                 num_hidden_layers=6, num_attention_heads=4, num_key_value_heads=2,
                                                 max_position_embeddings=128, tie_word_embeddings=True,
                                                 bos_token_id=EOS, eos_token_id=EOS)))
