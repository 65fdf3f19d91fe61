#!/usr/bin/env python3
"""Reference masker for bench/cu-mask-bench.sh: the salted SHA-256 of the
published Chameleon traces (sha256(salt || value), first 32 hex digits),
written the straightforward way in Python, over a TSV stream with a header.

    cu-mask-salted.py SALT COL[,COL...] < in.tsv > out.tsv

NULL (\\N) and the empty string are kept. Values are hashed as they are
written in the TSV (this script does not decode escapes; the benchmark data
has none), so on such data its output equals
`cu-mask --method sha256-salted --salt SALT -f COLS`."""
import hashlib
import sys


def main():
    salt = sys.argv[1].encode()
    names = sys.argv[2].split(",")
    inp = sys.stdin.buffer
    out = sys.stdout.buffer
    header = inp.readline()
    cols = header.rstrip(b"\n").split(b"\t")
    idx = [cols.index(n.encode()) for n in names]
    out.write(header)
    base = hashlib.sha256(salt)
    cache = {}
    for line in inp:
        f = line.rstrip(b"\n").split(b"\t")
        for i in idx:
            v = f[i]
            if v == b"\\N" or v == b"":
                continue
            h = cache.get(v)
            if h is None:
                c = base.copy()
                c.update(v)
                h = c.hexdigest()[:32].encode()
                if len(cache) > 100000:
                    cache.clear()
                cache[v] = h
            f[i] = h
        out.write(b"\t".join(f) + b"\n")


if __name__ == "__main__":
    main()
