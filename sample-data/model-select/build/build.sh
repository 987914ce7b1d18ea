#!/usr/bin/env bash
# Builds the model-selection sample repository (sample-data/model-select): data sets, 12 tiny language
# models pretrained with the builder's presets, their fp16 copies, the benchmark performance matrix and
# learning curves (real fine-tuning), and LEEP on the two targets. CPU only, 1 thread, about 30 minutes.
#   sample-data/model-select/build/build.sh [stage...]   stages: data models repository select (default: all)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
work="${SELECT_BUILD_DIR:-/tmp/layerwise-model-select-build}"
repo="$root/sample-data/model-select"
layerwise="${LAYERWISE:-$root/layerwise}"   # the launcher (builds the app when needed)
export JAVA_OPTS="${JAVA_OPTS:-} -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
stages="${*:-data models repository select}"
mkdir -p "$work/raw"

if [[ " $stages " == *" data "* ]]; then
  /usr/bin/python3 "$repo/build/make_data.py" "$root" "$work/corpora"
fi

# name preset hidden layers heads ffn corpus seed steps
models=(
  "gpt2-d32-l2-world    gpt2  32 2 2 128 world 1 300"
  "gpt2-d32-l2-facts    gpt2  32 2 2 128 facts 2 300"
  "gpt2-d48-l2-world    gpt2  48 2 4 192 world 3 300"
  "gpt2-d64-l3-world    gpt2  64 3 4 256 world 4 300"
  "gpt2-d64-l3-world-b  gpt2  64 3 4 256 world 12 300"
  "gpt2-d64-l3-facts    gpt2  64 3 4 256 facts 5 300"
  "gpt2-d96-l2-mixed    gpt2  96 2 4 384 mixed 6 300"
  "llama-d32-l2-world   llama 32 2 2 96  world 7 300"
  "llama-d48-l3-facts   llama 48 3 4 128 facts 8 300"
  "llama-d64-l2-world   llama 64 2 4 172 world 9 300"
  "llama-d64-l4-mixed   llama 64 4 4 172 mixed 10 300"
  "llama-d96-l2-world   llama 96 2 4 256 world 11 300"
)
if [[ " $stages " == *" models "* ]]; then
  for spec in "${models[@]}"; do
    read -r name preset hidden layers heads ffn corpus seed steps <<<"$spec"
    [ -f "$work/raw/$name/config.json" ] && continue
    nice -n 10 "$layerwise" pretrain --data-dir "$work/data" --preset "$preset" \
      --set hidden_size="$hidden" --set layers_num="$layers" --set heads_num="$heads" --set feedforward_size="$ffn" \
      --set max_seq_length=64 --set vocab_size=0 --set learning_rate=2e-3 --set min_learning_rate=2e-4 \
      --set warmup_steps=20 --set batch_size=16 --set seed="$seed" --set eval_every=100 --set checkpoint_every=1000 \
      --steps "$steps" --corpus "$work/corpora/$corpus.txt" --tokenizer "$root/sample-data/tokenizers/facts" \
      --out "$work/raw/$name"
  done
fi

if [[ " $stages " == *" repository "* ]]; then
  # fp16 copies into models/, then the benchmark matrix and curves by fine-tuning, then LEEP per target
  nice -n 10 "$layerwise" select-model build-repository --data-dir "$work/data" --models "$work/raw" --repository "$repo" --epochs 5
fi

if [[ " $stages " == *" select "* ]]; then
  # real two-phase selection vs baselines on both targets (records results/<target>-curves.tsv); the docs table adds --seed 18 and 19
  for target in target-company-continent target-person-continent; do
    nice -n 10 "$layerwise" select-model --data-dir "$work/data" --repository "$repo" --target "$target" \
      --mode real --threshold 0.09 --recall 6 --epochs 5 --seed 17
  done
fi
