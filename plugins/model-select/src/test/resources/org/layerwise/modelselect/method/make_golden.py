#!/usr/bin/python3
"""Independent re-computation of the paper's coarse recall (arXiv:2404.00069) for the golden test.

Written from the method note, not from the Java code: distance = mean of the 5 largest absolute accuracy
gaps over data sets where both models have a result (> 0), 1e7 if 5 or fewer; average linkage computed
directly as the mean of all member-pair distances (no Lance-Williams update); merge the closest pair while
its distance <= threshold; representative = member with the highest mean accuracy over its > 0 entries;
proxy = mean_acc * exp(LEEP) for clustered models, mean_acc * mean_r cos(acc_s, acc_r) * exp(LEEP_r) for
singletons. Run: /usr/bin/python3 make_golden.py <repo root>  (writes golden_clusters.json next to itself).
"""
import json, os, sys
import numpy as np

def read(folder):
    lines = [l for l in open(os.path.join(folder, 'matrix.txt')).read().split('\n') if l.strip()]
    models = [m.strip() for m in lines[0].split('\t')]
    acc = np.array([[float(x) for x in l.split('\t')] for l in lines[1:]])
    return models, acc

def distance(a, b):
    both = (a > 0) & (b > 0)
    gaps = np.sort(np.abs(a[both] - b[both]))
    return 1e7 if len(gaps) <= 5 else gaps[-5:].mean()

def clusters(acc, threshold):
    n = acc.shape[1]
    D = np.array([[distance(acc[:, i], acc[:, j]) for j in range(n)] for i in range(n)])
    groups = [[i] for i in range(n)]
    while len(groups) > 1:
        best, pair = None, None
        for x in range(len(groups)):
            for y in range(x + 1, len(groups)):
                d = np.mean([D[i, j] for i in groups[x] for j in groups[y]])
                if best is None or d < best:
                    best, pair = d, (x, y)
        if best > threshold:
            break
        x, y = pair
        groups[x] = sorted(groups[x] + groups[y])
        del groups[y]
    return sorted(groups, key=lambda g: g[0]), D

def mean_acc(col):
    ok = col[col > 0]
    return ok.mean() if len(ok) else 0.0

def proxy(models, acc, groups, leep):
    means = [mean_acc(acc[:, m]) for m in range(len(models))]
    reps = [max(g, key=lambda m: (means[m], -m)) for g in groups if len(g) > 1]
    e = [np.exp(leep.get(models[m], 0.0)) for m in range(len(models))]
    cl = {m for g in groups if len(g) > 1 for m in g}
    out = []
    for m in range(len(models)):
        if m in cl or not reps:
            out.append(means[m] * e[m])
        else:
            a = np.maximum(acc[:, m], 0)
            cs = [np.dot(a, np.maximum(acc[:, r], 0)) / np.linalg.norm(a) / np.linalg.norm(np.maximum(acc[:, r], 0)) for r in reps]
            out.append(means[m] * np.mean([c * e[r] for c, r in zip(cs, reps)]))
    return reps, out

def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    paper = os.path.join(root, 'sample-data/model-select/paper')
    result = {}
    for name, threshold, leep_file in [('nlp', 0.09, 'leep_score_multirc.txt'), ('cv', 0.03, 'leep_score_xray.txt')]:
        models, acc = read(os.path.join(paper, name))
        groups, D = clusters(acc, threshold)
        ll = [l for l in open(os.path.join(paper, name, leep_file)).read().split('\n') if l.strip()]
        leep = dict(zip([x.strip() for x in ll[0].split('\t')], [float(x) for x in ll[1].split('\t')]))
        reps, px = proxy(models, acc, groups, leep)
        order = sorted(range(len(models)), key=lambda m: (-px[m], m))
        result[name] = {'threshold': threshold, 'models': models,
                        'clusters': [[models[i] for i in g] for g in groups],
                        'representatives': [models[r] for r in reps],
                        'proxy': {models[m]: px[m] for m in range(len(models))},
                        'recall15': [models[m] for m in order[:15]],
                        'distance_0_1': D[0, 1], 'distance_2_8': D[2, 8]}
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden_clusters.json')
    json.dump(result, open(out, 'w'), indent=1)
    for k, v in result.items():
        print(k, len(v['clusters']), 'clusters;', sum(len(g) > 1 for g in v['clusters']), 'with >1 member')

main()
