#!/usr/bin/env bash
# Compares candidate release profiles of flowc: a clean build of each
# (timed), the binary's size, exact instruction counts (callgrind) and wall
# times (hyperfine) for start-up, a 100-step check and a 10,000-step build.
# Results go to target/profiles/ (under $CARGO_TARGET_DIR when set).
#
#   apt-get install -y hyperfine valgrind time
#   bash benches/profiles.sh
#   PROFILES="current default" bash benches/profiles.sh   # a subset
#
# Each candidate is the release profile overridden through Cargo's
# CARGO_PROFILE_RELEASE_* variables, so Cargo.toml's own settings are
# one of the rows ("current") and the others are measured against them.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${CARGO_TARGET_DIR:-target}/profiles
mkdir -p "$out"
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}

declare -A candidates=(
  [default]="CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_STRIP=debuginfo"
  [thin]="CARGO_PROFILE_RELEASE_LTO=thin CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_STRIP=debuginfo"
  [thin-strip]="CARGO_PROFILE_RELEASE_LTO=thin CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_STRIP=symbols"
  [fat-cu1]="CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_STRIP=debuginfo"
  [current]=""
)
# PROFILES="current default" measures only those.
read -r -a names <<< "${PROFILES:-default thin thin-strip fat-cu1 current}"

cargo run --quiet --example gen -- 100 > "$out/w100.flow"
cargo run --quiet --example gen -- 10000 > "$out/w10k.flow"

: > "$out/builds.txt"
for n in "${names[@]}"; do
  dir=$out/target-$n
  rm -rf "$dir"
  # shellcheck disable=SC2086
  env ${candidates[$n]} CARGO_TARGET_DIR="$dir" /usr/bin/time -f "%e %U %S" -o "$out/time-$n" \
    cargo build --quiet --release --locked --bin flowc
  read -r wall user sys < "$out/time-$n"
  echo "$n build_wall=${wall}s build_cpu=$(echo "$user + $sys" | bc)s size=$(stat -c %s "$dir/release/flowc")" | tee -a "$out/builds.txt"
done

: > "$out/instructions.txt"
for n in "${names[@]}"; do
  F=$out/target-$n/release/flowc
  for case in "version:--version" "check100:check $out/w100.flow" "build10k:build $out/w10k.flow"; do
    label=${case%%:*}
    # shellcheck disable=SC2086
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$F" ${case#*:} > /dev/null 2> "$out/cg.log"
    echo "$n $label $(grep Collected "$out/cg.log" | awk '{print $NF}')" | tee -a "$out/instructions.txt"
  done
done

commands() {
  for n in "${names[@]}"; do printf -- '-n\n%s\n%s\n' "$n" "$(printf "$1" "$out/target-$n/release/flowc")"; done
}
mapfile -t a < <(commands "%s --version")
hyperfine -N --warmup 20 --runs 300 "${a[@]}" --export-json "$out/start.json"
mapfile -t a < <(commands "%s check $out/w100.flow")
hyperfine -N --warmup 10 --runs 200 "${a[@]}" --export-json "$out/check100.json"
mapfile -t a < <(commands "%s build $out/w10k.flow")
hyperfine -N --warmup 3 --runs 20 "${a[@]}" --export-json "$out/build10k.json"
