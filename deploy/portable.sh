#!/usr/bin/env bash
# A release binary for older Linux compute nodes (RHEL/Rocky 8 and 9, glibc 2.28 and 2.34):
# built against glibc 2.28 with cargo-zigbuild (zig as the linker, from PyPI's `ziglang`), its
# glibc symbol versions checked, and its outputs compared byte for byte with the native release
# build's on the study (every table, chart and the report).
#
#   deploy/portable.sh            # writes target/x86_64-unknown-linux-gnu/release/corridor
#
# Needs pip and cargo; installs ziglang and cargo-zigbuild (pinned) if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
glibc=2.28
target=x86_64-unknown-linux-gnu
tdir=${CARGO_TARGET_DIR:-target}
python3 -m ziglang version >/dev/null 2>&1 || python3 -m pip install -q ziglang==0.17.1
command -v cargo-zigbuild >/dev/null || cargo install --locked cargo-zigbuild@0.24.1
cargo zigbuild --release --locked --bin corridor --target "$target.$glibc"
cargo build --release --locked --bin corridor
portable="$tdir/$target/release/corridor"
native="$tdir/release/corridor"

# The newest glibc symbol version the binary asks for.
needs=$(objdump -T "$portable" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1)
echo "portable binary: $portable needs glibc $needs (symbols: objdump -T)"
[ "$(printf '%s\n%s\n' "$needs" "$glibc" | sort -V | tail -1)" = "$glibc" ] \
  || { echo "it needs glibc $needs, more than $glibc" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$native" study --runs 200 --quiet --out "$work/native" >/dev/null
"$portable" study --runs 200 --quiet --out "$work/portable" >/dev/null
n=$(find "$work/native" -type f | wc -l)
diff -r "$work/native" "$work/portable" >/dev/null \
  || { echo "the portable binary's study differs from the native one's" >&2; diff -rq "$work/native" "$work/portable" >&2; exit 1; }
echo "study (200 replicate-years): $n files byte-identical between the native and the portable binary"
