#!/bin/sh
# count.sh PARAGRAPH: prints "word<TAB>count" for every word of the paragraph, most frequent
# first, ties in alphabetical order. Fails on a paragraph holding a corrupt block.
set -eu
paragraph=$1

awk '/^#### CORRUPT BLOCK ####$/ { print "count: corrupt block at line " NR > "/dev/stderr"; exit 1 }' "$paragraph"

tab=$(printf '\t')
tr -cs 'A-Za-z' '\n' < "$paragraph" \
  | tr 'A-Z' 'a-z' \
  | sed '/^$/d' \
  | sort \
  | uniq -c \
  | awk '{ print $2 "\t" $1 }' \
  | sort -t "$tab" -k2,2nr -k1,1
