#!/usr/bin/python3
"""The Dockerfile's RUNTIME_LIBRARIES against what the hub really links.

    check_runtime_packages.py DOCKERFILE ELF|FOLDER...

Reads every shared library the ELF files (bin/swhub and the plugins) need directly (`objdump -p`,
NEEDED), finds where the loader takes each from (`ldd`), and the Debian package that holds that
file (`dpkg -S`); a FOLDER stands for its *.so files (the build's plugins). That set of packages must equal the Dockerfile's RUNTIME_LIBRARIES. Exit 0 when
equal, 1 when not (naming what is missing and what is listed for nothing), 77 (skipped) without
dpkg.
"""

import os
import re
import shutil
import subprocess
import sys


def needed(elf):
    out = subprocess.run(["objdump", "-p", elf], check=True, capture_output=True, text=True).stdout
    return {line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")}


def resolved(elf):
    """soname -> path, as the loader resolves it for this file."""
    out = subprocess.run(["ldd", elf], check=True, capture_output=True, text=True).stdout
    paths = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+) => (\S+)", line)
        if m:
            paths[m.group(1)] = m.group(2)
        else:
            m = re.match(r"\s*(/\S+) \(0x", line)  # the loader itself
            if m:
                paths[os.path.basename(m.group(1))] = m.group(1)
    return paths


def candidates(path):
    """`path` as dpkg may know it (usrmerge: /lib and /usr/lib are the same folder)."""
    real = os.path.realpath(path)
    out = [path, real]
    for p in (path, real):
        if p.startswith("/usr/lib/"):
            out.append(p[len("/usr"):])
        elif p.startswith("/lib"):
            out.append("/usr" + p)
    return out


def packages_of(paths):
    """path -> the Debian package holding it, for every path dpkg knows; one dpkg call (each one
    reads the whole package database)."""
    every = sorted({c for p in paths for c in candidates(p)})
    r = subprocess.run(["dpkg", "-S"] + every, capture_output=True, text=True)
    owner = {}
    for line in r.stdout.splitlines():
        m = re.match(r"([^:,\s]+)(?::\S+)?: (/\S+)$", line)
        if m:
            owner[m.group(2)] = m.group(1)
    return {p: next((owner[c] for c in candidates(p) if c in owner), None) for p in paths}


def listed(dockerfile):
    text = open(dockerfile, encoding="utf-8").read()
    m = re.search(r'ARG RUNTIME_LIBRARIES="(.*?)"', text, re.S)
    if not m:
        sys.exit(f"{dockerfile}: no ARG RUNTIME_LIBRARIES=\"...\"")
    return set(m.group(1).replace("\\", " ").split())


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    if not shutil.which("dpkg"):
        print("skipped: dpkg not found (the runtime packages are Debian's)")
        return 77
    dockerfile, elves = sys.argv[1], []
    for arg in sys.argv[2:]:
        if os.path.isdir(arg):
            elves.extend(sorted(os.path.join(arg, f) for f in os.listdir(arg) if f.endswith(".so")))
        else:
            elves.append(arg)
    linked = []  # (file, soname, path)
    for elf in elves:
        paths = resolved(elf)
        for soname in needed(elf):
            path = paths.get(soname)
            if path is None or path == "not":
                print(f"{elf}: {soname} is not found by the loader")
                return 1
            linked.append((elf, soname, path))
    owners = packages_of({path for _, _, path in linked})
    packages = {}
    for elf, soname, path in linked:
        if owners[path] is None:
            print(f"{elf}: {soname} ({path}) belongs to no Debian package")
            return 1
        packages.setdefault(owners[path], set()).add(soname)
    wanted = set(packages)
    have = listed(dockerfile)
    for package in sorted(wanted):
        print(f"{package}: {', '.join(sorted(packages[package]))}")
    missing = sorted(wanted - have)
    extra = sorted(have - wanted)
    if missing:
        print(f"{dockerfile}: RUNTIME_LIBRARIES lacks {' '.join(missing)} (needed by the hub or a plugin)")
    if extra:
        print(f"{dockerfile}: RUNTIME_LIBRARIES lists {' '.join(extra)}, which nothing links")
    if missing or extra:
        return 1
    print(f"{dockerfile}: RUNTIME_LIBRARIES is what {len(elves)} files link: {len(wanted)} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
