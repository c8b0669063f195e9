#!/usr/bin/env bash
# Every test of the project, on a fresh machine: installs what the tests need
# beyond cargo, then runs them all. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
command -v dot >/dev/null || need_apt+=(graphviz)
command -v genhtml >/dev/null || need_apt+=(lcov)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
command -v npm >/dev/null || need_apt+=(nodejs npm)
command -v nvim >/dev/null || need_apt+=(neovim)
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

# json-logic-js, the reference that tests/logic/ holds flowc::logic to (its
# differential test fails, saying so, without it). `npm ci` runs only when
# the lock file changed.
(
  cd tests/logic-js
  if ! cmp -s package-lock.json node_modules/.flowc-package-lock.json; then
    echo "test.sh: installing json-logic-js (npm) for tests/logic"
    npm ci --no-audit --no-fund
    cp package-lock.json node_modules/.flowc-package-lock.json
  fi
)

# The whole workspace: flowc and its allocator crate (alloc/).
cargo test --locked --workspace

# The language server, driven by a real LSP client (pytest-lsp, from PyPI,
# pinned in tests/lsp/requirements.txt) over the binary cargo just built.
venv=target/lsp-venv
if ! cmp -s tests/lsp/requirements.txt "$venv/requirements.txt"; then
  echo "test.sh: installing pytest-lsp into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r tests/lsp/requirements.txt
  cp tests/lsp/requirements.txt "$venv/requirements.txt"
fi
# The binary is the one `cargo test` built for its integration tests
# (target/debug/flowc): a separate `cargo build` would build flowc and some
# dependencies again, with the features the dev-dependencies do not add
# (two minutes of CI).
# pytest exits 5 when it collects no test, which fails this script too.
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests/lsp
# `flowc test`'s JUnit XML through junitparser, its lcov through genhtml.
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests/reports

# Neovim's built-in client against the same server, on a copy of the files.
nvim_dir=$(mktemp -d)
cp -r tests/lsp/project "$nvim_dir/"
FLOWC="$PWD/target/debug/flowc" FLOW_FILE="$nvim_dir/project/routing.flow" \
  timeout 120 nvim --headless --clean -c "luafile editors/neovim/test.lua"
rm -rf "$nvim_dir"
echo "test.sh: Neovim's LSP client: ok"

# The VS Code extension (editors/vscode): its TextMate grammar against the
# fixture files (vscode-tmgrammar-test), then `vsce package`, so that a
# broken manifest fails here. `npm ci` runs only when the lock file changed.
(
  cd editors/vscode
  if ! cmp -s package-lock.json node_modules/.flowc-package-lock.json; then
    echo "test.sh: installing the VS Code extension's npm packages"
    npm ci --no-audit --no-fund
    cp package-lock.json node_modules/.flowc-package-lock.json
  fi
  npm test
  npm run package
)
