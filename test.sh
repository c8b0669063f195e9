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

# pre-commit, for tests/precommit.rs (which runs `pre-commit try-repo` on
# this checkout), from PyPI. A Python that refuses a global install
# (PEP 668) gets a user install instead.
export PATH="$HOME/.local/bin:$PATH"
if ! command -v pre-commit >/dev/null; then
  echo "test.sh: installing pre-commit (PyPI)"
  python3 -m pip install --quiet --disable-pip-version-check pre-commit 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check --user --break-system-packages pre-commit
  hash -r
fi

cargo test --locked
