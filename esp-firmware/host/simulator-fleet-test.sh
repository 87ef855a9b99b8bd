#!/usr/bin/env bash
# The C protocol code against the real router: starts the whole fleet in one process (fleet-app, the
# same program as ./fleet, with its own embedded Redis and local Whisper on the test model), then
# streams the bundled sample recording (device-client's four spoken commands, 1.5 s of silence
# before each and after the last) with the device simulator as Opus, as PCM, and as Opus through a
# dropped and resumed socket, and asserts every result arrives, once, in seq order.
# Usage: simulator-fleet-test.sh PATH/TO/sf-device-sim   (CTest passes it)
# SF_SIM_VERBOSE=1 makes the simulator trace its link (connects, texts sent and received, closes,
# with the wall clock to match the fleet's log) into each case's output.
set -euo pipefail
sim=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sample="$root/device-client/src/main/resources/dev/speechfleet/client/sample"
# The sample in its order (sentences.tsv); 1.5 s of silence around each so the VAD cuts each one and
# a stalled network fits in a pause.
audio=()
while IFS=$'\t' read -r file _; do
  case "$file" in ''|'#'*) continue ;; esac
  audio+=(--wav "$sample/$file")
done <"$sample/sentences.tsv"
audio+=(--gap-ms 1500)
utterances=4
model=${SF_WHISPER_MODEL:-$root/../shared/models/for-tests-ggml-tiny.en.bin}
work=$(mktemp -d)
fleet_pid=""

cleanup() {
  local status=$?
  if [ "$status" -ne 0 ] && [ -s "$work/fleet.log" ]; then
    echo "---- the fleet's log, last 200 lines (the test failed with status $status)"
    tail -n 200 "$work/fleet.log"
  fi
  if [ -n "$fleet_pid" ] && kill -0 "$fleet_pid" 2>/dev/null; then
    kill "$fleet_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$fleet_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$fleet_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

cd "$root"
. .mvn/select-jdk.sh
app=fleet-app/target/quarkus-app/quarkus-run.jar
if [ ! -f "$app" ]; then
  echo "building fleet-app (no $app yet)"
  ./mvnw -q -B -DskipTests package -pl fleet-app -am
fi
[ -f "$model" ] || { echo "no Whisper test model at $model (set SF_WHISPER_MODEL)"; exit 1; }

free_port() {
  for _ in $(seq 1 50); do
    local port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free port found" >&2; return 1
}
port=$(free_port)

# The stub model recognises nothing but answers every utterance; on a loaded machine it can take
# seconds per utterance, so stop waits longer than the router's default 30 s for the last ones.
env -u REDIS_URL -u WHISPER_MODEL -u DEEPGRAM_API_KEY -u ASSEMBLYAI_API_KEY -u PARAKEET_BASE_URL \
  FLEET_PORT="$port" ROUTER_SESSION_STOP_DRAIN_TIMEOUT=180s \
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m -jar "$app" --serve --model "$model" \
  >"$work/fleet.log" 2>&1 &
fleet_pid=$!
token=""
touch "$work/fleet.log"   # the background java may not have opened it yet
for _ in $(seq 1 240); do
  token=$(sed -n 's/.*development device: dev-device, token \([^ ]*\).*/\1/p' "$work/fleet.log" | head -1)
  [ -n "$token" ] && break
  kill -0 "$fleet_pid" 2>/dev/null || break
  sleep 1
done
if [ -z "$token" ]; then
  echo "the fleet did not start; its output:"; cat "$work/fleet.log"; exit 1
fi
echo "fleet up on port $port (pid $fleet_pid)"

passed=0
failed=0
# check NAME EXPECTATION OUTPUT_FILE: EXPECTATION is "exactly N" or "at-least N" results.
check() {
  local name=$1 mode=$2 expected=$3 out=$4 problems=""
  local summary results seqs
  summary=$(grep '^summary:' "$out" || true)
  results=$(sed -n 's/.*results=\([0-9]*\).*/\1/p' <<<"$summary")
  seqs=$(sed -n 's/^#\([0-9]*\) .*/\1/p' "$out" | tr '\n' ' ')
  [ -n "$summary" ] || problems="$problems no summary;"
  grep -q 'in_order=yes' <<<"$summary" || problems="$problems results not in seq order;"
  grep -q '^closed 1000: session ended' "$out" || problems="$problems the session did not end with 1000;"
  grep -q '^#[0-9]* error result_missing' "$out" && problems="$problems a result went missing;"
  # Every seq from 0 up, each once, in order: the printed seqs are exactly 0 1 2 …
  local want="" i
  for ((i = 0; i < ${results:-0}; i++)); do want="$want$i "; done
  [ "$seqs" = "$want" ] || problems="$problems seqs printed '$seqs', expected '$want';"
  if [ "$mode" = exactly ]; then
    [ "${results:-0}" -eq "$expected" ] || problems="$problems $results results, expected $expected;"
  else
    [ "${results:-0}" -ge "$expected" ] || problems="$problems $results results, expected at least $expected;"
  fi
  if [ -z "$problems" ]; then
    echo "ok   $name: ${results} results, seqs $seqs"
    passed=$((passed + 1))
  else
    echo "FAIL $name:$problems"; sed 's/^/     | /' "$out"
    failed=$((failed + 1))
  fi
}

run() {
  local name=$1; shift
  local out="$work/$name.out"
  echo "---- $name: sf-device-sim $*"
  set +e
  "$sim" --url "ws://127.0.0.1:$port" --device dev-device --token "$token" "${audio[@]}" --timeout 300 \
    --verbose "${SF_SIM_VERBOSE:-0}" "$@" >"$out" 2>&1
  local code=$?
  set -e
  sed 's/^/     /' "$out"
  [ $code -eq 0 ] || echo "     (exit code $code)"
}

run opus-20ms --encoding opus --frame-ms 20
check opus-20ms exactly "$utterances" "$work/opus-20ms.out"
run pcm-20ms --encoding pcm --frame-ms 20
check pcm-20ms exactly "$utterances" "$work/pcm-20ms.out"
run opus-60ms-flush-on-silence --encoding opus --frame-ms 60 --flush-silence-ms 500
check opus-60ms-flush-on-silence exactly "$utterances" "$work/opus-60ms-flush-on-silence.out"
# A drop in the middle of the second command (4.6 to 6.1 s): the router cuts what it has of it, the
# device resumes the session and sends the rest, so that command may come back as two results.
run opus-dropped-and-resumed --encoding opus --frame-ms 40 --drop-at-ms 5300
check opus-dropped-and-resumed at-least "$utterances" "$work/opus-dropped-and-resumed.out"
if grep -q '^ready: resumed session' "$work/opus-dropped-and-resumed.out"; then
  echo "ok   opus-dropped-and-resumed: the session was resumed"; passed=$((passed + 1))
else
  echo "FAIL opus-dropped-and-resumed: the session was not resumed"; failed=$((failed + 1))
fi

# The network stalls in the pause after the first command; the send queue (bounded at 200 ms) drops
# what waits longer and sends each dropped frame as an empty message, which the router conceals: the
# later commands keep their place on the session clock.
run opus-stalled-queue-drops --encoding opus --frame-ms 20 --queue-bound-ms 200 --stall-at-ms 3300 --stall-for-ms 600
check opus-stalled-queue-drops exactly "$utterances" "$work/opus-stalled-queue-drops.out"
lost=$(sed -n 's/.*lost_frames=\([0-9]*\).*/\1/p' "$work/opus-stalled-queue-drops.out")
span() { sed -n "s/^#$2 \[\([0-9.]*\)-\([0-9.]*\) s\].*/\1 \2/p" "$1"; }
reference=$(span "$work/opus-20ms.out" 2)
stalled=$(span "$work/opus-stalled-queue-drops.out" 2)
if [ "${lost:-0}" -gt 0 ] && [ -n "$reference" ] && [ -n "$stalled" ] \
   && awk -v a="$reference" -v b="$stalled" 'BEGIN { split(a, x, " "); split(b, y, " ");
        d1 = x[1] - y[1]; d2 = x[2] - y[2]; exit !(d1 * d1 < 0.0036 && d2 * d2 < 0.0036) }'; then
  echo "ok   opus-stalled-queue-drops: $lost frames dropped and concealed; seq 2 at [$stalled] s as without the stall [$reference]"
  passed=$((passed + 1))
else
  echo "FAIL opus-stalled-queue-drops: lost frames '$lost', seq 2 at [$stalled] s, without the stall [$reference]"
  failed=$((failed + 1))
fi

echo "simulator against the fleet: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
