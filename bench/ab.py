#!/usr/bin/env python3
"""Two commands timed in alternation, each after a site-wide change: for comparing two builds of
Easel, or Easel with Hugo, on a machine whose speed drifts from minute to minute (this virtual
machine's does, by a fifth): a change measured against a run made ten minutes earlier is noise.

    bench/ab.py GALLERY[,GALLERY2] ROUNDS 'COMMAND A' 'COMMAND B' [SETUP_A SETUP_B]

Before each run, the `title:` of every gallery's easel.yml is changed (a site-wide re-render); the
commands are shell strings in which {g} is the first gallery. Rounds alternate the order (A B, B A,
...). SETUP_A and SETUP_B run before each run of A and of B (a theme file put in place, say). Two
Easel binaries need a gallery each: the parse record and cache memo are made for one binary, and
alternating binaries on one gallery re-reads every prompt each time (copy one with `cp -al cache`).

Prints the median and minimum wall time and CPU time (user + system, of the command and its
children) of each. Examples:

    bench/ab.py bench/.work/gallery-large-10000 3 \\
        '.build/release/easel build {g} --offline --json' 'hugo --quiet --source bench/.work/hugo-large'
    bench/ab.py bench/.work/gallery-1000,/tmp/g1000-b 5 \\
        '/tmp/easel-old build bench/.work/gallery-1000 --offline' '.build/release/easel build /tmp/g1000-b --offline'
"""
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time


def retitle(galleries):
    for gallery in galleries:
        path = os.path.join(gallery, "easel.yml")
        text = open(path, encoding="utf-8").read()
        text = re.sub(r"^title: .*$", f"title: A/B {random.random():.9f}", text, flags=re.M)
        open(path, "w", encoding="utf-8").write(text)


def main(argv):
    if len(argv) not in (5, 7):
        sys.exit(__doc__)
    galleries, rounds = argv[1].split(","), int(argv[2])
    commands = argv[3:5]
    setups = argv[5:7] if len(argv) == 7 else ["true", "true"]
    runs = {0: [], 1: []}
    for round_ in range(rounds):
        for which in (0, 1) if round_ % 2 == 0 else (1, 0):
            subprocess.run(setups[which].format(g=galleries[0]), shell=True, check=True)
            retitle(galleries)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.monotonic()
            subprocess.run(commands[which].format(g=galleries[0]), shell=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            wall = time.monotonic() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            runs[which].append((wall, cpu))
    for which in (0, 1):
        walls = [wall for wall, _ in runs[which]]
        cpus = [cpu for _, cpu in runs[which]]
        print(f"{'AB'[which]}: wall median {statistics.median(walls):.3f} s (min {min(walls):.3f}), "
              f"cpu median {statistics.median(cpus):.3f} s (min {min(cpus):.3f})")
    a, b = (statistics.median(w for w, _ in runs[k]) for k in (0, 1))
    print(f"A / B: {a / b:.2f}×")


if __name__ == "__main__":
    main(sys.argv)
