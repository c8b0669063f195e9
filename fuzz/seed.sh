#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds from the project's own examples and
# fixtures, and with the kept crash inputs. Run it once before fuzzing; the
# corpus folders are not committed (libFuzzer adds thousands of files).
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/pipeline corpus/import_roundtrip corpus/catalog corpus/flowtest

seed() { # seed TARGET FILE...: copies each file under a name of its own
  local target=$1
  shift
  for f in "$@"; do
    cp "$f" "corpus/$target/$(echo "${f#../}" | tr '/' '_')"
  done
}

mapfile -t flows < <(find "$root/examples" "$root/tests" -name '*.flow' | sort)
seed pipeline "${flows[@]}"
mapfile -t jsons < <(find "$root/tests/conformance" "$root/tests/ui/import" -name '*.json' | sort)
seed import_roundtrip "${jsons[@]}"
mapfile -t tomls < <(find "$root/examples" "$root/tests" -name '*.toml' -not -path '*/snapshots/*' | sort)
seed catalog "${tomls[@]}"
mapfile -t tests < <(find "$root/examples" "$root/tests" -name '*.flowtest' | sort)
seed flowtest "${tests[@]}"

# The bodies of the examples, as `flowc build` writes them.
cargo build --quiet --release --manifest-path "$root/Cargo.toml"
for f in "$root"/examples/*.flow; do
  "$root/target/release/flowc" build --catalog "$root/examples/flowc.toml" "$f" \
    >"corpus/import_roundtrip/example-$(basename "$f" .flow).json"
done

for target in pipeline import_roundtrip catalog flowtest; do
  if compgen -G "regressions/$target/*" >/dev/null; then
    cp regressions/$target/* "corpus/$target/"
  fi
done
echo "seeded: $(ls corpus/pipeline | wc -l) pipeline, $(ls corpus/import_roundtrip | wc -l) import_roundtrip, $(ls corpus/catalog | wc -l) catalog, $(ls corpus/flowtest | wc -l) flowtest"
