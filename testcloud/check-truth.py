#!/usr/bin/env python3
"""Check the internal consistency of cu-testcloud's ground truth.

Usage: check-truth.py DIR [--no-stack]

Reads DIR/manifest.tsv and DIR/truth/*.tsv and prints TAP. The checks are
independent recomputations: they use only the truth files, never the
generator's code, so a bookkeeping mistake in the generator shows up as a
disagreement between two of its outputs. --no-stack skips the checks that
hold only without quirks (the stack order and span containment).
"""
import calendar
import collections
import sys
import time

OPEN = 2 ** 62
COUNTED = ("ok", "clipped", "fallback")  # audits that count in timelines


def unescape(s):
    if s == "\\N":
        return None
    if "\\" not in s:
        return s
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            yield dict(zip(header, (unescape(x) for x in line.rstrip("\n").split("\t"))))


def ts(s):
    if s is None:
        return OPEN
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, name, detail=None):
        self.n += 1
        print(("ok" if ok else "not ok"), self.n, "-", name)
        if not ok:
            self.failed += 1
            if detail:
                for line in str(detail).splitlines()[:10]:
                    print("#", line)


def main():
    d = sys.argv[1]
    stack = "--no-stack" not in sys.argv
    man = {r["key"]: r["value"] for r in read_tsv(d + "/manifest.tsv")}
    w0, w1 = ts(man["truth_start"]), ts(man["truth_end"])
    spans = list(read_tsv(d + "/truth/spans.tsv"))
    secs = list(read_tsv(d + "/truth/instance_seconds.tsv"))
    tl = list(read_tsv(d + "/truth/timeline.tsv"))
    t = Tap()

    def clip(s, e):
        a, z = max(s, w0), min(e, w1)
        return max(0, z - a)

    # 1. state seconds add up to the lifetime inside the window
    bad = [r["instance"] for r in secs
           if sum(int(r[k]) for k in ("active_s", "stopped_s", "error_s", "shelved_s")) != int(r["lifetime_s"])]
    t.check(not bad and len(secs) > 0, "per instance, state seconds sum to the lifetime in the window (%d instances)" % len(secs), bad[:5])
    bad = [r["instance"] for r in secs if int(r["lifetime_s"]) != clip(ts(r["created"]), ts(r["end"]))]
    t.check(not bad, "lifetime = [created, end) clipped to the window", bad[:5])

    # 2. instance spans: contiguous from created to end
    by_inst = collections.defaultdict(list)
    for s in spans:
        if s["kind"] == "instance":
            by_inst[(s["site"], s["id"])].append(s)
    info = {(r["site"], r["instance"]): r for r in secs}
    bad = []
    for key, lst in by_inst.items():
        lst.sort(key=lambda s: ts(s["start"]))
        r = info.get(key)
        if r is None or ts(lst[0]["start"]) != ts(r["created"]) or ts(lst[-1]["end"]) != ts(r["end"]):
            bad.append(key)
            continue
        for a, b in zip(lst, lst[1:]):
            if ts(a["end"]) != ts(b["start"]) or (a["state"] == b["state"] and a["host"] == b["host"]):
                bad.append(key)
                break
    t.check(not bad and len(by_inst) == len(secs), "instance spans are contiguous, merged, from created to end", bad[:5])

    # 3. spans summed per state = instance_seconds
    bad = []
    for key, lst in by_inst.items():
        tot = collections.Counter()
        for s in lst:
            tot[s["state"]] += clip(ts(s["start"]), ts(s["end"]))
        r = info[key]
        if any(tot[k] != int(r[k + "_s"]) for k in ("active", "stopped", "error", "shelved")):
            bad.append((key, dict(tot), [r[k + "_s"] for k in ("active", "stopped", "error", "shelved")]))
    t.check(not bad, "per instance and state, clipped spans sum to instance_seconds", bad[:3])

    # 4. shelved holds no host; active/stopped hold one; booking agrees
    bad = [s["id"] for s in spans if s["kind"] == "instance" and
           ((s["state"] == "shelved") != (s["host"] is None) and s["state"] != "error")]
    t.check(not bad, "shelved spans hold no host, active and stopped spans hold one", bad[:5])
    bad = [s["id"] for s in spans if s["kind"] == "instance" and
           (s["booking"] == "reservation") != (s["reservation"] is not None)]
    t.check(not bad, "booking = reservation exactly when a reservation is set", bad[:5])

    # 4b. nodes: 1 on bare metal, the instance's share of the host's vcpus on KVM
    totals = collections.defaultdict(list)
    for s in spans:
        if s["kind"] == "total":
            totals[(s["site"], s["host"])].append(s)
    bad = []
    for s in spans:
        if s["kind"] != "instance" or not s["host"]:
            continue
        recs = totals[(s["site"], s["host"])]
        st = ts(s["start"])
        rec = [r for r in recs if ts(r["start"]) <= st < ts(r["end"])]
        if not rec:  # fallback: the nearest record
            rec = sorted(recs, key=lambda r: min(abs(ts(r["start"]) - st), abs(ts(r["end"]) - st) if r["end"] else OPEN))
            if s["audit"] != "fallback":
                bad.append((s["id"], "no record at start but audit " + s["audit"]))
        want = 1.0 if s["flavor"].startswith("baremetal") else float(s["vcpus"]) / float(rec[0]["vcpus"])
        if abs(float(s["nodes"]) - want) > 1e-9:
            bad.append((s["id"], s["nodes"], want))
    t.check(not bad, "instance nodes: 1 on bare metal, vcpus / host vcpus on KVM", bad[:5])

    # 5. the timeline: splits, derived metrics, non-negative
    val = {}
    times = collections.defaultdict(set)
    for r in tl:
        val[(r["site"], r["time"], r["resource"], r["metric"])] = float(r["value"])
        times[r["site"]].add(r["time"])
    keys = {(k[0], k[1], k[2]) for k in val}
    eps = 2e-6
    bad_split, bad_der, bad_neg, bad_stack = [], [], [], []
    for k in keys:
        g = lambda m: val[k + (m,)]
        for b in ("reservation", "ondemand"):
            if abs(g("active_" + b) + g("stopped_" + b) + g("error_" + b) - g("occupied_" + b)) > 4 * eps * max(1, g("occupied_" + b)):
                bad_split.append((k, b))
        for m in ("occupied_reservation", "occupied_ondemand", "active_reservation", "active_ondemand",
                  "stopped_reservation", "stopped_ondemand", "error_reservation", "error_ondemand"):
            if g(m) < 0:
                bad_neg.append((k, m, g(m)))
        if k[2] == "instances":
            if any(k + (m,) in val for m in ("total", "reservable", "committed", "idle")):
                bad_der.append((k, "capacity metrics for instances"))
            continue
        der = [("ondemand_capacity", g("total") - g("reservable")),
               ("available_reservable", g("reservable") - g("committed")),
               ("idle", g("committed") - g("occupied_reservation")),
               ("available_ondemand", g("ondemand_capacity") - g("occupied_ondemand"))]
        for m, want in der:
            if abs(g(m) - want) > 4 * eps * max(1, abs(want)):
                bad_der.append((k, m, g(m), want))
        for m in ("total", "reservable", "committed"):
            if g(m) < 0:
                bad_neg.append((k, m, g(m)))
        tol = lambda x: eps * max(1, abs(x))
        if not (g("reservable") <= g("total") + tol(g("total")) and
                g("committed") <= g("reservable") + tol(g("reservable")) and
                g("occupied_reservation") <= g("committed") + tol(g("committed")) and
                g("occupied_ondemand") <= g("ondemand_capacity") + tol(g("ondemand_capacity"))):
            bad_stack.append((k, g("total"), g("reservable"), g("committed"),
                              g("occupied_reservation"), g("occupied_ondemand")))
    t.check(len(keys) > 0 and not bad_split, "timeline: active + stopped + error = occupied (%d site-bucket-resources)" % len(keys), bad_split[:5])
    t.check(not bad_der, "timeline: derived metrics follow their formulas", bad_der[:5])
    t.check(not bad_neg, "timeline: base metrics are never negative", bad_neg[:5])
    if stack:
        t.check(not bad_stack, "timeline: occupied <= committed <= reservable <= total in every bucket", bad_stack[:5])

    # 6. the timeline integrates the spans: instance-seconds and host capacity
    blen = {}
    for site, tset in times.items():
        lst = sorted(tset, key=ts) + [man["truth_end"]]
        for a, b in zip(lst, lst[1:]):
            blen[(site, a)] = ts(b) - ts(a)
    for res, metric_of, states in (("instances", lambda s: 1.0, ("active",)),
                                   ("vcpus", lambda s: float(s["vcpus"]), ("stopped", "error"))):
        bad = []
        for site in times:
            want = sum(metric_of(s) * clip(ts(s["start"]), ts(s["end"])) for s in spans
                       if s["site"] == site and s["kind"] == "instance" and s["state"] in states and s["host"]
                       and s["audit"] in COUNTED)
            got = sum(sum(val[(site, tm, res, st + "_" + b)] for st in states for b in ("reservation", "ondemand")) * L
                      for (st_site, tm), L in blen.items() if st_site == site)
            # each mean is rounded to 6 decimals: at most 5e-7 per term and second
            slack = sum(L for (st_site, _), L in blen.items() if st_site == site) * 5e-7 * 2 * len(states)
            if abs(got - want) > 1e-6 * max(1.0, want) + slack:
                bad.append((site, got, want))
        t.check(not bad, "timeline %s of %s states integrates to the spans" % (res, "/".join(states)), bad)
    bad = []
    for site in times:
        want = sum(float(s["memory_mb"]) * clip(ts(s["start"]), ts(s["end"])) for s in spans
                   if s["site"] == site and s["kind"] == "total")
        got = sum(val[(site, tm, "memory_mb", "total")] * L for (st, tm), L in blen.items() if st == site)
        if abs(got - want) > 1e-6 * max(1.0, want) + sum(L for (st, _), L in blen.items() if st == site) * 5e-7:
            bad.append((site, got, want))
    t.check(not bad, "timeline total memory integrates to the total spans", bad)

    # 7. containment and capacity
    if stack:
        hist_end = ts(man["end"])

        def within(child, parents):
            # an open child is known up to the end of history only
            s, e = ts(child["start"]), min(ts(child["end"]), hist_end)
            return any(ts(p["start"]) <= s and e <= ts(p["end"]) for p in parents)
        by_host = collections.defaultdict(lambda: collections.defaultdict(list))
        for s in spans:
            by_host[(s["site"], s["host"])][s["kind"]].append(s)
        bad = [(s["site"], s["id"]) for s in spans if s["kind"] == "reservable"
               and not within(s, by_host[(s["site"], s["host"])]["total"])]
        t.check(not bad, "every reservable span lies inside a total span of its host", bad[:5])
        bad = [(s["site"], s["id"], s["host"]) for s in spans if s["kind"] == "committed"
               and not within(s, by_host[(s["site"], s["host"])]["reservable"])]
        t.check(not bad, "every committed span lies inside a reservable span of its host", bad[:5])
        com = collections.defaultdict(list)
        for s in spans:
            if s["kind"] == "committed":
                com[(s["site"], s["reservation"], s["host"])].append(s)
        bad = [(s["site"], s["id"]) for s in spans if s["kind"] == "instance" and s["booking"] == "reservation"
               and s["host"] and s["audit"] in COUNTED and not within(s, com[(s["site"], s["reservation"], s["host"])])]
        t.check(not bad, "every reserved instance span on a host lies inside its reservation's committed span there", bad[:5])
        # no host ever holds more than it has
        bad = []
        for (site, host), kinds in by_host.items():
            if not host or not kinds["total"]:
                continue
            ev = []
            for s in kinds["instance"]:
                if s["audit"] in COUNTED and s["state"] in ("active", "stopped", "error"):
                    ev.append((ts(s["start"]), float(s["vcpus"]), float(s["memory_mb"])))
                    ev.append((ts(s["end"]), -float(s["vcpus"]), -float(s["memory_mb"])))
            ev.sort(key=lambda x: (x[0], x[1]))
            cap_v = max(float(s["vcpus"]) for s in kinds["total"])
            cap_m = max(float(s["memory_mb"]) for s in kinds["total"])
            v = m = 0.0
            for tm, dv, dm in ev:
                v += dv
                m += dm
                if v > cap_v + 1e-9 or m > cap_m + 1e-9:
                    bad.append((site, host, tm, v, m))
                    break
        t.check(not bad, "no host holds more vcpus or memory than it has (%d hosts)" % len(by_host), bad[:5])

    print("1..%d" % t.n)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
