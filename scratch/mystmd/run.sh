#!/usr/bin/env bash
# Build scratch/mystmd/project offline with the prototype plugin and show what came out.
#
#   MYST=/path/to/myst bash scratch/mystmd/run.sh        # default: see below
#   MYST="jupyter-book" bash scratch/mystmd/run.sh       # Jupyter Book 2 works the same way
#
# Needs mystmd (`pip install mystmd` or `npm install mystmd`) and python3. No network:
# the project's site template is a local stub (project/theme-stub).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [[ -z "${MYST:-}" ]]; then
  for candidate in /work/mystmd-venv/bin/myst "$(command -v myst || true)" \
                   /work/mystmd-tools/node_modules/.bin/myst; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then MYST="$candidate"; break; fi
  done
fi
[[ -n "${MYST:-}" ]] || { echo "run.sh: no myst found; set MYST=/path/to/myst" >&2; exit 2; }
echo "== using: $MYST ($($MYST --version 2>/dev/null | tail -1))"

# The update check and the boxed notice are noise here.
quiet() { grep -v -e '^ *[│╭╰]' -e '^$' || true; }

cd "$here/project"
rm -rf _build
echo "== cold build: $MYST build --site"
start=$(date +%s.%N)
$MYST build --site 2>&1 | quiet
echo "   took $(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')") s"
echo "== warm build (nothing changed)"
start=$(date +%s.%N)
$MYST build --site 2>&1 | quiet
echo "   took $(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')") s"
echo "== content JSON"
python3 "$here/show.py" _build

# A copy of the project with a page of mistakes, to show how problems are reported.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp -r "$here/project/." "$tmp/"
rm -rf "$tmp/_build"
sed -i "s#path: ../plugin.py#path: $here/plugin.py#; s#    - file: usage.md#    - file: usage.md\n    - file: bad.md#" "$tmp/myst.yml"
cat > "$tmp/bad.md" <<'EOF'
# Mistakes

```{lstm-params}
:units: 256
:input-dims: 4096
```

```{lstm-params}
:units: abc
:input-dim: 4096
```

Inline: {lstm-params}`units=2x, input-dim=3`.
EOF
echo "== build with bad.md (line 5: unknown option; line 9: bad value; line 13: bad role)"
(cd "$tmp" && $MYST build --site 2>&1 | quiet)
echo "== bad.md content JSON"
python3 "$here/show.py" --bad "$tmp/_build"
