#!/usr/bin/env bash
# Launch -> first full frame, side by side: the bare ratatui hello example against duet on
# demo journals, each in a 120x40 tmux pane, median of RUNS launches; then peak RSS.
#
# usage: scripts/launch-time.sh [RUNS]          (RUNS defaults to 15)
#   YEARS="1 10 50"   which demo journals to time duet on (default: 1 10 50)
#   RSS_RUNS=3        launches per program for the peak-RSS pass (0 skips it)
#   PAIRED=1          pair each demo journal with another device's (its own demo journal of
#                     the same years, joined): the shared folder then holds that many years
#                     of changes not yet applied, as after a long time apart
#
# Built on ../shared/tools/launch-time.sh (relative to the repository), which polls the tmux
# pane until a marker near the top and one near the bottom are both on screen. The timed runs
# are not wrapped in /usr/bin/time; peak RSS comes from a separate, shorter pass that is.
# Needs tmux, python3 and /usr/bin/time. Uses the tmux socket "launch-time" (the tool's).
set -euo pipefail

RUNS=${1:-${RUNS:-15}}
YEARS=${YEARS:-1 10 50}
RSS_RUNS=${RSS_RUNS:-3}
PAIRED=${PAIRED:-0}

cd "$(dirname "$0")/.."
TOOL=../shared/tools/launch-time.sh
if [ ! -f "$TOOL" ]; then
    echo "launch-time: the shared tool $TOOL is missing (expected beside this repository, at $(cd .. && pwd)/shared/tools/launch-time.sh)" >&2
    exit 1
fi
for need in tmux python3 /usr/bin/time; do
    command -v "$need" >/dev/null || { echo "launch-time: $need is needed" >&2; exit 1; }
done
case $RUNS in '' | *[!0-9]* | 0) echo "launch-time: RUNS must be a positive number" >&2; exit 1 ;; esac

echo "building release binaries..." >&2
cargo build --release --quiet --bin duet --example hello

tmp=$(mktemp -d "${TMPDIR:-/tmp}/duet-launch.XXXXXX")
# The tool leaves its tmux server running; stop it afterwards only if this run started it.
server_was_up=0
tmux -L launch-time has-session 2>/dev/null && server_was_up=1
cleanup() {
    [ "$server_was_up" = 1 ] || tmux -L launch-time kill-server 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

DUET=$PWD/target/release/duet
HELLO=$PWD/target/release/examples/hello

# name | top marker | bottom marker | command
programs=("hello|hello, ratatui|q quit|$(printf '%q' "$HELLO")")
for y in $YEARS; do
    db=$tmp/duet-${y}y.db # a fresh path: `duet demo` refuses an existing journal
    "$DUET" demo --years "$y" --db "$db" >&2
    if [ "$PAIRED" = 1 ]; then
        folder=$tmp/folder-${y}y
        mkdir "$folder"
        "$DUET" --db "$db" sync init --folder "$folder" --me Alex --code-file "$tmp/code-${y}y" >&2
        "$DUET" demo --years "$y" --seed 2 --db "$tmp/other-${y}y.db" >&2
        "$DUET" --db "$tmp/other-${y}y.db" sync join --folder "$folder" --me Sam --code-file "$tmp/code-${y}y" >&2
    fi
    programs+=("duet ${y}y|duet ·|? help|$(printf '%q --db %q' "$DUET" "$db")")
done

# Runs the shared tool; prints its summary line on stderr as it goes and returns it.
measure() { # RSS NAME RUNS TOP BOTTOM COMMAND
    local rss=$1
    shift
    local out
    out=$(RSS=$rss bash "$TOOL" "$1" "$2" "$3" "$4" q "$5")
    echo "$out" >&2
    if [[ $out == *TIMEOUT* || $out != *"median="* ]]; then
        echo "launch-time: no full frame from $1 (markers '$3' / '$4')" >&2
        exit 1
    fi
    printf '%s\n' "$out" | head -1
}

declare -A ms rss
for p in "${programs[@]}"; do
    IFS='|' read -r name top bottom cmd <<<"$p"
    echo "timing $name ($RUNS runs)..." >&2
    line=$(measure 0 "$name" "$RUNS" "$top" "$bottom" "$cmd")
    ms[$name]=$(sed -E 's/.* ms median=([0-9.]+).*/\1/' <<<"$line")
    rss[$name]=-
    if [ "$RSS_RUNS" -gt 0 ]; then
        echo "peak RSS of $name ($RSS_RUNS runs)..." >&2
        line=$(measure 1 "$name" "$RSS_RUNS" "$top" "$bottom" "$cmd")
        rss[$name]=$(sed -E 's/.*peakRSS MB median=([0-9.]+).*/\1/' <<<"$line")
    fi
done

echo
echo "launch -> first full frame, 120x40 tmux pane, median of $RUNS runs"
printf '%-10s %10s %9s %15s\n' program "median ms" "x hello" "peak RSS MiB"
base=${ms[hello]}
for p in "${programs[@]}"; do
    name=${p%%|*}
    ratio=$(awk -v a="${ms[$name]}" -v b="$base" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    printf '%-10s %10s %9s %15s\n' "$name" "${ms[$name]}" "$ratio" "${rss[$name]}"
done
