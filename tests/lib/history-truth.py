#!/usr/bin/env python3
"""Compare cu-spans --history's container spans with the generator's truth.

Usage: history-truth.py TRUTH SPANS SITE_DIR K

TRUTH is cu-testcloud's truth/containers-SITE.tsv (every container's spans
over its true life); SPANS the span stream from the K snapshots whose times
are in SITE_DIR/snap-1..K/time. For each container:
- never deleted by the last snapshot: its spans must be the truth's exactly;
- deleted after a snapshot saw it: the truth's spans cut at that snapshot's
  time must be its spans (the last one audited inferred), and the true end
  lies within one snapshot interval after it;
- living only between two snapshots: nobody saw it (counted, not an error).
Prints counts, "deleted seen: N", "rows gone: N" (zun.container rows, the
capsules' containers included, a snapshot had and the last one lacks), the
first mismatches; exits 1 on any."""
import sys
from datetime import datetime, timezone


def t(s):
    if s == "\\N":
        return None
    return int(datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())


def spans(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        header = None
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            r = dict(zip(header, cols))
            if r["kind"] != "container":
                continue
            out.setdefault(r["id"], []).append(r)
    for v in out.values():
        v.sort(key=lambda r: r["start"])
    return out


def main():
    truth, got = spans(sys.argv[1]), spans(sys.argv[2])
    k = int(sys.argv[4])
    snaps = []
    for i in range(1, k + 1):
        with open(f"{sys.argv[3]}/snap-{i}/time", encoding="utf-8") as f:
            snaps.append(t(f.read().strip()))
    bad, exact, seen_deleted, unseen = [], 0, 0, 0
    fields = ("state", "start", "end", "host", "project", "user", "reservation", "lease",
              "booking", "nodes", "vcpus", "memory_mb", "disk_gb", "audit")
    for cid, tv in truth.items():
        created = t(tv[0]["start"])
        ends = [t(r["end"]) for r in tv]
        end = None if None in ends else max(ends)
        # truth spans end at the lease's end when clamped; a container gone
        # before the last snapshot has no span there
        last_seen = max((s for s in snaps if s >= created and (end is None or s < end)),
                        default=None)
        alive_at_last = end is None or end > snaps[-1]
        if last_seen is None:
            if cid in got:
                bad.append(f"{cid}: never in a snapshot, but has spans")
            else:
                unseen += 1
            continue
        if cid not in got:
            bad.append(f"{cid}: seen at {last_seen}, no spans")
            continue
        gv = got[cid]
        if alive_at_last:
            want = [[r[c] for c in fields] for r in tv]
            have = [[r[c] for c in fields] for r in gv]
            if want != have:
                bad.append(f"{cid}: alive at the last snapshot, spans differ: {have} != {want}")
            else:
                exact += 1
            continue
        seen_deleted += 1
        cut = []
        for r in tv:
            s, e = t(r["start"]), t(r["end"])
            if s >= last_seen:
                break
            if e is None or e > last_seen:
                r = dict(r, end=datetime.fromtimestamp(last_seen, timezone.utc)
                         .strftime("%Y-%m-%dT%H:%M:%SZ"), audit="inferred")
            cut.append([r[c] for c in fields])
        have = [[r[c] for c in fields] for r in gv]
        if cut != have:
            bad.append(f"{cid}: deleted after {last_seen}: {have} != {cut}")
        nxt = min((s for s in snaps if s > last_seen), default=None)
        if end is not None and nxt is not None and not last_seen <= end <= nxt:
            bad.append(f"{cid}: true end {end} not within the interval ({last_seen}, {nxt}]")
    for cid in got:
        if cid not in truth:
            bad.append(f"{cid}: spans but no truth")
    print(f"containers: {len(truth)}, exact: {exact}, deleted seen: {seen_deleted}, "
          f"never in a snapshot: {unseen}, mismatches: {len(bad)}")
    print(f"deleted seen: {seen_deleted}")
    # the rows of zun.container (capsules' containers too) that a snapshot
    # had and the last one lacks, from the snapshots' own files
    rows = []
    for i in range(1, k + 1):
        with open(f"{sys.argv[3]}/snap-{i}/zun.container.tsv", encoding="utf-8") as f:
            rows.append({line.split("\t")[5] for line in f if line.strip()})
    print(f"rows gone: {len(set().union(*rows[:-1]) - rows[-1])}")
    for b in bad[:10]:
        print(b)
    sys.exit(1 if bad else 0)


main()
