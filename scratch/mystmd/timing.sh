#!/usr/bin/env bash
# Median wall and CPU (user+sys, children included) time of `myst build --site` (warm:
# _build kept) for three variants of the project, N runs each, interleaved. CPU time is the
# steadier number on a busy machine. Usage: MYST=... N=5 bash scratch/mystmd/timing.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
MYST="${MYST:-/work/mystmd-venv/bin/myst}"
N="${N:-5}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

# A: same two pages without any directive or role, no plugin
mkdir -p "$tmp/A"; cp -r "$here/project/theme-stub" "$tmp/A/"
printf 'version: 1\nproject:\n  id: a\n  title: A\n  toc:\n    - file: index.md\n    - file: usage.md\nsite:\n  template: ./theme-stub\n' > "$tmp/A/myst.yml"
printf '# A\n\ntext\n' > "$tmp/A/index.md"; printf '# B\n\ntext\n' > "$tmp/A/usage.md"
# B: the project as committed (plugin.py's shebang: /usr/bin/env python3)
cp -r "$here/project" "$tmp/B"; rm -rf "$tmp/B/_build"
sed -i "s#path: ../plugin.py#path: $here/plugin.py#" "$tmp/B/myst.yml"
# C: the same plugin run by a fixed interpreter (what a venv console script does)
cp -r "$tmp/B" "$tmp/C"
py="$(python3 -c 'import sys; print(sys.executable)')"
{ echo "#!$py"; tail -n +2 "$here/plugin.py"; } > "$tmp/C/plugin.py"; chmod +x "$tmp/C/plugin.py"
sed -i "s#path: .*plugin.py#path: plugin.py#" "$tmp/C/myst.yml"

for v in A B C; do (cd "$tmp/$v" && $MYST build --site >/dev/null 2>&1); done  # cold, not timed
for i in $(seq "$N"); do
  for v in A B C; do
    (cd "$tmp/$v" && /usr/bin/time -o "$tmp/t" -f "%e %U %S" $MYST build --site >/dev/null 2>&1)
    echo "$v $(cat "$tmp/t")" >> "$tmp/times"
  done
done
python3 - "$tmp/times" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
names = {"A": "no plugin (2 pages, no directives)",
         "B": "plugin, #!/usr/bin/env python3",
         "C": "plugin, #!<fixed interpreter>"}
for v in "ABC":
    wall = sorted(float(r[1]) for r in rows if r[0] == v)
    cpu = sorted(float(r[2]) + float(r[3]) for r in rows if r[0] == v)
    print(f"{v} {names[v]:38s} wall median {statistics.median(wall):.2f} s"
          f" (min {wall[0]:.2f}), CPU median {statistics.median(cpu):.2f} s"
          f" (min {cpu[0]:.2f}), n={len(wall)}")
print("load average:", open("/proc/loadavg").read().split()[:3])
PY
