#!/usr/bin/env bash
# Rebuild the bundled model and its card from training_data/ and ../shared/realpages.
# Deterministic: the same files and library versions give the same model.
set -euo pipefail
cd "$(dirname "$0")/.."
real=../shared/realpages
model=models/cleaner.skops
cleaner train training_data "$real/wcxb" "$real/readability" --split dev -o "$model"
cleaner evaluate --model "$model" "$real/wcxb" --split test --record wcxb-test | grep -A1 "^mean of"
cleaner evaluate --model "$model" "$real/wcxb" --split test --input-format text --record wcxb-test-text | grep -A1 "^mean of"
