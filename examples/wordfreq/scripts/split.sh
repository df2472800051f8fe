#!/bin/sh
# split.sh DOC OUT JOB: writes each paragraph (lines between blank lines) of the document DOC to
# the directory of OUT (this job's file in the paragraphs repository) as JOB.p1.txt, JOB.p2.txt,
# ... Each paragraph is written under a hidden temporary name and renamed when whole, so the next
# task never reads half a paragraph. A document without text fails.
set -eu
doc=$1
out=$2
job=$3
dir=${out%/*}
mkdir -p "$dir"

if ! awk 'NF { found = 1; exit } END { exit !found }' "$doc"; then
  echo "split: $job has no text" >&2
  exit 1
fi

awk -v dir="$dir" -v job="$job" '
  NF == 0 { if (open) { close(tmp); open = 0 }; next }
  !open { n++; tmp = dir "/." job ".p" n ".tmp"; open = 1 }
  { print > tmp }
  END { print job ": " n " paragraphs" }
' "$doc"

for f in "$dir/.$job".p*.tmp; do
  name=${f##*/.}
  mv "$f" "$dir/${name%.tmp}.txt"
done
