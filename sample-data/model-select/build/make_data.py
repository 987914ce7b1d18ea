#!/usr/bin/python3
"""Benchmark and target classification data sets, and pretraining corpora, for the model-selection
sample repository, generated from the fact world (sample-data/facts/*.tsv, sample-data/world/facts.jsonl).

Usage: /usr/bin/python3 make_data.py <repo root> <corpus dir>
Writes sample-data/model-select/data/<name>.tsv (columns: split, text, label) and, into <corpus dir>,
the pretraining corpora world.txt, facts.txt, mixed.txt. Deterministic (seed 7).
Each item (entity × phrasing) is drawn into train/validation/test with probabilities 0.6/0.2/0.2; the
relation and sentiment sets split by fact and by adjective.
"""
import csv, json, os, random, sys

root, corpus_dir = sys.argv[1], sys.argv[2]
facts = os.path.join(root, 'sample-data/facts')
out_dir = os.path.join(root, 'sample-data/model-select/data')
os.makedirs(out_dir, exist_ok=True)
os.makedirs(corpus_dir, exist_ok=True)
rnd = random.Random(7)

def tsv(name):
    with open(os.path.join(facts, name)) as f:
        return list(csv.DictReader(f, delimiter='\t'))

countries, people, companies = tsv('countries.tsv'), tsv('people.tsv'), tsv('companies.tsv')
continent = {c['country']: ('America' if 'America' in c['continent'] else c['continent']) for c in countries}

def split_of(entities):
    e = sorted(set(entities))
    rnd.shuffle(e)
    n = len(e)
    return {x: ('train' if i < 0.6 * n else 'validation' if i < 0.8 * n else 'test') for i, x in enumerate(e)}

def write(name, rows, folder=None):
    with open(os.path.join(folder or out_dir, name + '.tsv'), 'w') as f:
        f.write('split\ttext\tlabel\n')
        for s, t, l in rows:
            f.write(f'{s}\t{t}\t{l}\n')
    labels = sorted({l for _, _, l in rows})
    print(f'{name}: {len(rows)} items, labels {labels}')

def item_split():
    r = rnd.random()
    return 'train' if r < 0.6 else 'validation' if r < 0.8 else 'test'

def by_entity(name, pairs, templates):
    """pairs: (entity, label); every template instantiated for every entity; each item drawn into a split,
    so an entity met in training under one phrasing is tested under another (fine-tuning must learn the
    entity → label facts and carry them across phrasings; pretraining knowledge of the entity helps)."""
    rows = [(item_split(), t.format(e), l) for e, l in pairs for t in templates]
    write(name, rows)

# --- benchmarks
by_entity('continent', [(c['country'], continent[c['country']]) for c in countries],
          ['{} is a country in', '{} lies on the continent of', 'The country {} is located in', '{} belongs to the continent of'])
coarse_job = {'physicist': 'science', 'chemist': 'science', 'mathematician': 'science', 'researcher': 'science', 'naturalist': 'science', 'astronomer': 'science', 'actress': 'art', 'cellist': 'music', 'drummer': 'music',
              'painter': 'art', 'novelist': 'art', 'poet': 'art', 'sculptor': 'art', 'playwright': 'art',
              'musician': 'music', 'composer': 'music', 'guitarist': 'music', 'violinist': 'music', 'singer': 'music',
              'executive': 'business', 'entrepreneur': 'business', 'investor': 'business', 'programmer': 'business'}
by_entity('profession', [(p['person'], coarse_job[p['occupation']]) for p in people],
          ['{} worked in the field of', 'The profession of {} was in', '{} is remembered for work in', 'By trade, {} belonged to'])
coarse_sector = {'automobiles': 'cars', 'software': 'tech', 'internet': 'tech', 'electronics': 'tech', 'semiconductors': 'tech',
                 'telecommunications': 'tech', 'artificial intelligence': 'tech', 'video games': 'tech', 'engineering': 'tech',
                 'sportswear': 'consumer', 'retail': 'consumer', 'fashion': 'consumer', 'watches': 'consumer', 'food': 'consumer',
                 'beer': 'consumer', 'entertainment': 'media', 'broadcasting': 'media', 'investment': 'finance'}
by_entity('sector', [(c['company'], coarse_sector[c['industry']]) for c in companies if coarse_sector[c['industry']] != 'finance'],
          ['{} is a company in the sector of', 'The business of {} is', '{} makes money from', 'The industry of {} is', '{} is known for'])
by_entity('euro', [(c['country'], 'yes' if c['currency'] == 'euro' else 'no') for c in countries],
          ['Does {} use the euro? Answer:', 'Is the euro the money of {}? Answer:', 'Do people in {} pay in euro? Answer:', 'Is {} in the euro zone? Answer:'])
capitals = {c['capital'] for c in countries}
others = {p['birthplace'] for p in people if p['birthplace']} | {c['headquarters'] for c in companies}
others -= capitals
by_entity('capital', [(x, 'yes') for x in sorted(capitals)] + [(x, 'no') for x in sorted(others)],
          ['Is {} a capital city? Answer:', 'Is {} the seat of a government? Answer:', 'Is {} a national capital? Answer:'])
# relation type of a fact prompt (text classification; split by fact)
wanted = {'capital': 'capital', 'language': 'language', 'currency': 'money', 'occupation': 'job', 'industry': 'industry', 'continent': 'place'}
facts_jsonl = [json.loads(l) for l in open(os.path.join(root, 'sample-data/world/facts.jsonl'))]
pairs = [(f"{f['subject']}#{f['relation']}", wanted[f['relation']], f['prompts']) for f in facts_jsonl if f['relation'] in wanted]
sp = split_of([k for k, _, _ in pairs])
rows = []
for k, l, prompts in pairs:
    for p in rnd.sample(prompts, 1):
        rows.append((sp[k], f'"{p} ..." asks about', l))
write('relation', rows, corpus_dir)   # generated (the random stream stays the same) but not a benchmark: kept out to bound build time
# sentiment-like templates
pos = ['wonderful', 'great', 'lovely', 'excellent', 'delightful', 'superb', 'pleasant', 'brilliant', 'charming', 'fantastic']
neg = ['terrible', 'awful', 'boring', 'dreadful', 'poor', 'horrible', 'dull', 'miserable', 'disappointing', 'bad']
places = sorted(capitals)
sp = split_of(pos + neg)
rows = []
for adj in pos + neg:
    for place in rnd.sample(places, 15):
        t = rnd.choice(['My trip to {} was {}. I felt', 'The food in {} was {}. Overall I was', 'We found {} {}. The mood was'])
        rows.append((sp[adj], t.format(place, adj), 'happy' if adj in pos else 'sad'))
write('sentiment', rows)

# --- targets (related to the benchmarks but never among them)
country_of = {c['company']: c['country'] for c in companies}
by_entity('target-company-continent', [(c['company'], continent[c['country']]) for c in companies if c['country'] in continent],
          ['{} has its home on the continent of', 'The headquarters of {} are in', '{} is a company from', 'The company {} comes from'])
by_entity('target-person-continent', [(p['person'], continent[p['country']]) for p in people if p['country'] in continent],
          ['{} came from the continent of', '{} was born in', 'The homeland of {} is in', '{} grew up in'])

# --- pretraining corpora (their own seed, so editing the data sets above never changes the models)
crnd = random.Random(11)
world = [l.strip() for l in open(os.path.join(root, 'sample-data/world/train.txt')) if l.strip()]
fact_lines = []
for c in countries:
    fact_lines += [f"{c['country']} is a country in {c['continent']}.", f"The capital of {c['country']} is {c['capital']}.",
                   f"People in {c['country']} speak {c['language']} and pay in {c['currency']}."]
for p in people:
    fact_lines += [f"{p['person']} was a {p['occupation']} from {p['country']}."]
    if p['birthplace']: fact_lines.append(f"{p['person']} was born in {p['birthplace']}.")
    if p['field']: fact_lines.append(f"{p['person']} worked in {p['field']}.")
for c in companies:
    fact_lines += [f"{c['company']} is a {c['industry']} company based in {c['headquarters']}, {c['country']}.",
                   f"{c['company']} was founded by {c['founder']}."]
fact_lines = fact_lines * 3
crnd.shuffle(fact_lines)
mixed = world[::2] + fact_lines[::2]
crnd.shuffle(mixed)
for name, lines in [('world', world), ('facts', fact_lines), ('mixed', mixed)]:
    with open(os.path.join(corpus_dir, name + '.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print(f'corpus {name}: {len(lines)} lines')
