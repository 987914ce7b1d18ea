#!/usr/bin/env bash
# Pretrains every builder preset (and the two recurrent encoders), shrunk to a CPU size, on the fact world's
# training sentences with the facts tokenizer, through the real CLI, and prints one line per model:
# parameters, first loss, held-out loss at the end, seconds. Usage: tests/bench/builder_presets.sh [STEPS] [OUT]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
steps="${1:-300}"
out="${2:-$(mktemp -d)}"
corpus="$root/sample-data/world/train.txt"
tok="$root/sample-data/tokenizers/facts"
small=(--set hidden_size=64 --set layers_num=2 --set heads_num=4 --set feedforward_size=128 --set max_seq_length=32
       --set vocab_size=0 --set eval_every=100 --set learning_rate=3e-3 --set min_learning_rate=3e-4 --device cpu)
# sp needs documents: the fact world's sentences sorted and grouped by their first word (a blank line between groups)
docs="$out/documents.txt"
sort "$corpus" | awk '{ s=$1; if (NR > 1 && s != prev) print ""; print; prev=s }' > "$docs"
pairs="$out/pairs.txt"
sed -E 's/ ([^ ]+)$/\t\1/' "$corpus" > "$pairs"
run() {
  local name="$1"; shift
  local start=$SECONDS
  local log="$out/$name.log"
  # the shared small settings first: --set applies in order, so a model's own overrides (lstm's learning_rate) win
  "$root/layerwise" pretrain "${small[@]}" "$@" --steps "$steps" --tokenizer "$tok" --out "$out/$name" >"$log" 2>&1 \
    || { echo "$name: FAILED (see $log)"; tail -3 "$log"; return; }
  printf '%-8s %s  (%ds)\n' "$name" "$(grep -E '^saved' "$log" | sed "s#$out/##")" $((SECONDS - start))
}
run gpt2  --preset gpt2 --corpus "$corpus"
run gptj  --preset gptj --corpus "$corpus" --set rotary_dim=8
run llama --preset llama --corpus "$corpus" --set kv_heads_num=2
# the facts tokenizer's one special token masks (it has no [MASK]); targets [mlm, sp] as the preset says
run bert  --preset bert --corpus "$docs" --set "mask_token=<|endoftext|>"
run t5    --preset t5-small --corpus "$pairs" --set head_size=16 --set decoder_layers_num=2
run lstm  --set encoder=lstm --corpus "$corpus" --set learning_rate=1e-2
run gru   --set encoder=gru --corpus "$corpus" --set learning_rate=1e-2
echo "models and logs in $out"
