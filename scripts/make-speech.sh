#!/usr/bin/env bash
# Makes the recorded speech that the tests and ./fleet use, from the sentences.tsv beside each set:
# espeak-ng speaks each sentence, sox turns it into a 16 kHz mono 16-bit PCM WAV (trimming espeak's
# own leading and trailing silence where the row says "trimmed"), and SHA256SUMS beside the set
# records what was made. No test runs espeak-ng or sox; SpeechFixturesTest checks the files against
# SHA256SUMS.
#
#   scripts/make-speech.sh           make every set and its SHA256SUMS (needs espeak-ng and sox)
#   scripts/make-speech.sh --check   make every set in a temporary directory and compare it with the
#                                    committed files (the same tool versions give the same bytes)
#
# sentences.tsv: one row per file, tab-separated: file, espeak-ng voice, words per minute, edges
# (trimmed | as-spoken), the sentence. Lines starting with # are comments.
set -euo pipefail
cd "$(dirname "$0")/.."

SETS=(
  router-service/src/test/resources/speech
  consumer-whisper/src/test/resources/speech
  device-client/src/main/resources/dev/speechfleet/client/sample
)

check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: scripts/make-speech.sh [--check]" >&2; exit 2 ;;
esac
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "make-speech: needs $tool (apt-get install espeak-ng sox)" >&2; exit 1; }
done
echo "make-speech: $(espeak-ng --version | sed 's/ *Data at.*//'), $(sox --version | sed 's/^sox: *//')"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# make_set DIR OUT: every row of DIR/sentences.tsv as a WAV in OUT, then OUT/SHA256SUMS.
make_set() {
  local dir=$1 out=$2 file voice wpm edges text
  local -a trim
  while IFS=$'\t' read -r file voice wpm edges text; do
    [[ -z "$file" || "$file" == \#* ]] && continue
    case "$edges" in
      trimmed) trim=(silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse) ;;
      as-spoken) trim=() ;;
      *) echo "make-speech: $dir/sentences.tsv: edges of $file must be trimmed or as-spoken, not '$edges'" >&2; exit 1 ;;
    esac
    espeak-ng -v "$voice" -s "$wpm" -w "$work/spoken.wav" "$text"
    # -R: repeatable dither, so that the same tools make the same bytes.
    sox -R "$work/spoken.wav" -r 16000 -c 1 -b 16 -e signed-integer "$out/$file" "${trim[@]}"
  done < "$dir/sentences.tsv"
  (cd "$out" && sha256sum -- *.wav > SHA256SUMS)
}

status=0
for dir in "${SETS[@]}"; do
  if $check; then
    out="$work/check"; rm -rf "$out"; mkdir -p "$out"
    make_set "$dir" "$out"
    if diff -u "$dir/SHA256SUMS" "$out/SHA256SUMS"; then
      echo "make-speech: $dir matches its SHA256SUMS"
    else
      echo "make-speech: $dir differs from what this script makes (see above)" >&2
      status=1
    fi
    if ! (cd "$dir" && sha256sum --quiet -c SHA256SUMS); then
      status=1
    fi
  else
    rm -f "$dir"/*.wav
    make_set "$dir" "$dir"
    echo "make-speech: $dir: $(ls "$dir"/*.wav | wc -l) file(s), $(du -cb "$dir"/*.wav | tail -1 | cut -f1) bytes"
  fi
done
exit $status
