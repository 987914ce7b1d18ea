#!/usr/bin/env python3
"""Builds the fact-world text sequence (sample-data/continual/fact-text/*.jsonl) from sample-data/world/facts.jsonl.

    python3 sample-data/continual/build_fact_tasks.py sample-data/world/facts.jsonl sample-data/continual/fact-text

Four generated tasks over the synthetic fact world (no external data): three relation-classification tasks
(which relation does a sentence state? places / people / organisations, 4 relations each) and one fact-checking
task (is the sentence's object the world's true object, or one swapped in from another fact of the same
relation?). Sentences are each fact's prompts and paraphrases completed with the object. Facts with
case_id % 4 == 0 go to the test split, so no fact is in both. At most 600 train / 200 test lines per task.
"""
import json, random, sys, pathlib

facts = [json.loads(l) for l in open(sys.argv[1])]
out = pathlib.Path(sys.argv[2]); out.mkdir(parents=True, exist_ok=True)
rng = random.Random(0)
GROUPS = {
    'places': ['capital', 'language', 'currency', 'continent'],
    'people': ['occupation', 'citizenship', 'birthplace', 'field'],
    'organisations': ['headquarters', 'company_country', 'industry', 'founder'],
}

def sentences(f, obj):
    return [f'{p} {obj}.' for p in f['prompts'] + f.get('paraphrases', [])]

def cap(rows, n):
    rng.shuffle(rows)
    return rows[:n]

def write(name, rows):
    with open(out / name, 'w') as fh:
        for text, label in rows:
            fh.write(json.dumps({'text': text, 'label': label}) + '\n')

for task, rels in GROUPS.items():
    split = {'train': [], 'test': []}
    for f in facts:
        if f['relation'] in rels:
            s = 'test' if f['case_id'] % 4 == 0 else 'train'
            split[s] += [(t, f['relation']) for t in sentences(f, f['object'])]
    write(f'{task}-train.jsonl', cap(split['train'], 600))
    write(f'{task}-test.jsonl', cap(split['test'], 200))

by_rel = {}
for f in facts:
    by_rel.setdefault(f['relation'], []).append(f)
split = {'train': [], 'test': []}
for f in facts:
    s = 'test' if f['case_id'] % 4 == 0 else 'train'
    others = [g['object'] for g in by_rel[f['relation']] if g['object'] != f['object']]
    if not others:
        continue
    for p in f['prompts'][:2]:
        split[s].append((f'{p} {f["object"]}.', 'true'))
        split[s].append((f'{p} {rng.choice(others)}.', 'false'))
write('true-false-train.jsonl', cap(split['train'], 600))
write('true-false-test.jsonl', cap(split['test'], 200))
print('wrote', out)
