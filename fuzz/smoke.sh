#!/usr/bin/env bash
# The CI smoke run of the fuzz targets, on the stable toolchain: builds them with libFuzzer's
# coverage instrumentation (the flags `cargo fuzz build --sanitizer none` passes, all stable, so
# neither nightly nor cargo-fuzz is needed), seeds the corpus from the shipped files, runs every
# saved regression input once, then fuzzes each target for FUZZ_SECONDS (default 30). Any
# crash, panic, timeout (10 s) or RSS over 2 GiB fails it, and the input is left in
# fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")"
secs="${FUZZ_SECONDS:-30}"
triple="$(rustc -vV | sed -n 's/^host: //p')"
dir="target/smoke"
# With --target, RUSTFLAGS reach only the target's code, not build scripts or proc macros.
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth \
-Cllvm-args=-simplifycfg-branch-fold-threshold=0 --cfg fuzzing" \
    cargo build --release --locked --bins --target "$triple" --target-dir "$dir"
./seed.sh
for t in scenario network variant csv; do
    bin="$dir/$triple/release/$t"
    mkdir -p "artifacts/$t"
    if compgen -G "regressions/$t/*" >/dev/null; then
        "$bin" -rss_limit_mb=2048 -timeout=10 regressions/"$t"/*
    fi
    log="artifacts/$t/smoke.log"
    if ! "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" "corpus/$t" >"$log" 2>&1; then
        tail -40 "$log"
        echo "fuzz target $t failed; the input is in fuzz/artifacts/$t/" >&2
        exit 1
    fi
    echo "$t: $(grep -E '^stat::number_of_executed_units' "$log" | tr -s ' ' | cut -d' ' -f2) executions in ${secs} s, no crash"
done
