#!/usr/bin/env python3
"""Unpacks a ttar text archive (node exporter's test fixtures) into a folder.

usage: ttar.py ARCHIVE DEST [PREFIX [STRIP]]

Only entries whose path starts with PREFIX are written, with STRIP removed from the front of
their path: `ttar.py sys.ttar "$T/sysfs" sys/class/infiniband sys/` puts node exporter's
InfiniBand tree under "$T/sysfs/class/infiniband". An entry is `Directory: P`, or `Path: P`
then `Lines: N` and N lines of content (or `SymlinkTo: T`), then `Mode: M`; entries are apart
by `# ttar - - -` lines.
"""
import os
import sys


def extract(archive, dest, prefix="", strip=""):
    with open(archive, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i, path = 0, None

    def target(p):
        return os.path.join(dest, p[len(strip):] if p.startswith(strip) else p)

    while i < len(lines):
        line = lines[i]
        i += 1
        if line.startswith("Directory: "):
            p = line[len("Directory: "):]
            if p.startswith(prefix):
                os.makedirs(target(p), exist_ok=True)
        elif line.startswith("Path: "):
            path = line[len("Path: "):]
        elif line.startswith("Lines: ") and path is not None:
            count = int(line[len("Lines: "):])
            body = "".join(l + "\n" for l in lines[i:i + count])
            i += count
            if path.startswith(prefix):
                os.makedirs(os.path.dirname(target(path)), exist_ok=True)
                with open(target(path), "w", encoding="utf-8") as out:
                    out.write(body)
            path = None
        elif line.startswith("SymlinkTo: ") and path is not None:
            if path.startswith(prefix):
                os.makedirs(os.path.dirname(target(path)), exist_ok=True)
                os.symlink(line[len("SymlinkTo: "):], target(path))
            path = None


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    extract(*sys.argv[1:5])
