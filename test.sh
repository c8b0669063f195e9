#!/usr/bin/env bash
# Every test of the project, on a fresh machine: installs what the tests need
# beyond cargo, then runs them all. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
command -v dot >/dev/null || need_apt+=(graphviz)
if ((${#need_apt[@]})); then
  echo "test.sh: installing ${need_apt[*]} (Debian packages)"
  if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

cargo test --locked
