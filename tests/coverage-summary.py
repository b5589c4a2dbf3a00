"""Summarises a cobertura report per project: line and branch rates, and the uncovered lines of each file as ranges."""
import os
import sys
import xml.etree.ElementTree as ET

report, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
tree = ET.parse(report)
sources = [s.text for s in tree.getroot().iter("source")]


def relative(filename):
    for source in sources:
        path = os.path.join(source or "", filename)
        if os.path.exists(path):
            return os.path.relpath(path, root)
    return filename


def ranges(numbers):
    numbers = sorted(numbers)
    result, start, prev = [], None, None
    for n in numbers:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            result.append(f"{start}-{prev}" if prev != start else f"{start}")
            start = prev = n
    if start is not None:
        result.append(f"{start}-{prev}" if prev != start else f"{start}")
    return result


rows, uncovered = [], []
for package in tree.getroot().iter("package"):
    files = {}
    for cls in package.iter("class"):
        name = relative(cls.get("filename"))
        lines = files.setdefault(name, {})
        for line in cls.iter("line"):
            n, hits = int(line.get("number")), int(line.get("hits"))
            branch = line.get("condition-coverage")
            covered_branches, total_branches = (0, 0)
            if line.get("branch") == "True" and branch:
                covered_branches, total_branches = map(int, branch.split("(")[1].rstrip(")").split("/"))
            old = lines.get(n, (0, 0, 0))
            lines[n] = (max(old[0], hits), max(old[1], covered_branches), max(old[2], total_branches))
    total = sum(len(v) for v in files.values())
    covered = sum(1 for v in files.values() for h in v.values() if h[0] > 0)
    branches = sum(h[2] for v in files.values() for h in v.values())
    branches_covered = sum(h[1] for v in files.values() for h in v.values())
    rows.append((package.get("name"), covered, total, branches_covered, branches))
    for name in sorted(files):
        missing = [n for n, h in files[name].items() if h[0] == 0]
        if missing and not name.startswith("obj") and "/obj/" not in name:
            uncovered.append(f"{name}: {', '.join(ranges(missing))}")

lines = ["| Project | Lines covered | Line coverage | Branches covered | Branch coverage |", "|---|---:|---:|---:|---:|"]
for name, covered, total, bc, bt in sorted(rows):
    lines.append(f"| {name} | {covered} / {total} | {100 * covered / max(total, 1):.1f} % | {bc} / {bt} | {100 * bc / max(bt, 1):.1f} % |")
summary = "\n".join(lines)
print(summary)
with open(os.path.join(out, "summary.md"), "w") as f:
    f.write(summary + "\n")
with open(os.path.join(out, "uncovered.txt"), "w") as f:
    f.write("\n".join(uncovered) + "\n")
print(f"uncovered lines per file: {os.path.join(out, 'uncovered.txt')} ({len(uncovered)} files)")
