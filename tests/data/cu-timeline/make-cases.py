#!/usr/bin/env python3
"""Writes the cu-timeline golden cases (tests/cases/cu-timeline/) and the data
they share (tests/data/cu-timeline/). The expected outputs are written by hand
here, worked out in the comments, never captured from the tool.
Usage: python3 tests/data/cu-timeline/make-cases.py TOP_SRCDIR"""
import os, sys
ROOT = sys.argv[1]
CASES = os.path.join(ROOT, 'tests/cases/cu-timeline')
DATA = os.path.join(ROOT, 'tests/data/cu-timeline')
os.makedirs(CASES, exist_ok=True); os.makedirs(DATA, exist_ok=True)
COLS = 'site kind state id start end host project user reservation lease flavor booking nodes vcpus memory_mb disk_gb audit'.split()
HDR = '\t'.join(COLS) + '\n'
def T(h, m=0, d='2024-01-01'):
    return '%sT%02d:%02d:00Z' % (d, h, m)
def span(site, kind, state, start, end, booking='\\N', nodes=1, vcpus=1, mem=1, disk=1, audit='ok', host='h1', n=[0]):
    n[0] += 1
    if kind != 'instance': state = kind
    return '\t'.join(str(x) for x in [site, kind, state, 'id%d' % n[0], start, end if end else '\\N', host, 'p1', 'u1', '\\N', '\\N', 'f1', booking, nodes, vcpus, mem, disk, audit]) + '\n'
def inst(start, end, state='active', booking='ondemand', site='uc', **kw):
    return span(site, 'instance', state, start, end, booking, **kw)
def rows(*rs):
    return ''.join('\t'.join(str(x) for x in r) + '\n' for r in rs)
LONG = 'site\ttime\tresource\tmetric\tvalue\n'
def trailers(cmd, out):
    """The stream trailers of cu(7) around a TSV or JSONS output (CSV has
    none; --no-trailers leaves them out): #cu 1, #end ROWS, #eof."""
    if not out or '--no-trailers' in cmd or '--csv' in cmd:
        return out
    if '--jsons' in cmd:
        return '{"_cu":1}\n' + out + '{"_end":%d}\n{"_eof":true}\n' % out.count('\n')
    return '#cu\t1\n' + out + '#end\t%d\n#eof\n' % (out.count('\n') - 1)
def case(name, cmd, out, stdin=None, err=None, status=None):
    if not status:
        out = trailers(cmd, out)
    d = os.path.join(CASES, name); os.makedirs(d, exist_ok=True)
    for f in ('stdin', 'err', 'status'):
        p = os.path.join(d, f)
        if os.path.exists(p): os.remove(p)
    open(os.path.join(d, 'cmd'), 'w').write(cmd + '\n')
    open(os.path.join(d, 'out'), 'w').write(out)
    if stdin is not None: open(os.path.join(d, 'stdin'), 'w').write(stdin)
    if err is not None: open(os.path.join(d, 'err'), 'w').write(err)
    if status is not None: open(os.path.join(d, 'status'), 'w').write('%d\n' % status)
def data(name, text):
    open(os.path.join(DATA, name), 'w').write(text)
D = '"$top_srcdir/tests/data/cu-timeline/%s"'

# --- [1,3) + [2,4) -> 1, 2, 1, 0
overlap = HDR + inst(T(1), T(3)) + inst(T(2), T(4))
data('overlap.tsv', overlap)
case('overlap', 'cu-timeline --resources nodes --metrics active_ondemand',
     LONG + rows(('uc', T(1), 'nodes', 'active_ondemand', 1), ('uc', T(2), 'nodes', 'active_ondemand', 2),
                 ('uc', T(3), 'nodes', 'active_ondemand', 1), ('uc', T(4), 'nodes', 'active_ondemand', 0)),
     stdin=overlap)

# --- an open span: it stays open, the last value holds, no row at "infinity"
openspan = HDR + inst(T(1), None, vcpus=4) + inst(T(2), T(3), vcpus=2)
case('open-span', 'cu-timeline --resources vcpus --metrics occupied_ondemand',
     LONG + rows(('uc', T(1), 'vcpus', 'occupied_ondemand', 4), ('uc', T(2), 'vcpus', 'occupied_ondemand', 6),
                 ('uc', T(3), 'vcpus', 'occupied_ondemand', 4)), stdin=openspan)
# with --step and --end the open span's value holds to the end of the window
case('open-span-step-end', 'cu-timeline --resources vcpus --metrics occupied_ondemand --step 1h --end 2024-01-01T05:00:00Z',
     LONG + rows(('uc', T(1), 'vcpus', 'occupied_ondemand', 4), ('uc', T(2), 'vcpus', 'occupied_ondemand', 6),
                 ('uc', T(3), 'vcpus', 'occupied_ondemand', 4), ('uc', T(4), 'vcpus', 'occupied_ondemand', 4)), stdin=openspan)
# without --end the last bucket is the one holding the last change
case('open-span-step', 'cu-timeline --resources vcpus --metrics occupied_ondemand --step 1h',
     LONG + rows(('uc', T(1), 'vcpus', 'occupied_ondemand', 4), ('uc', T(2), 'vcpus', 'occupied_ondemand', 6),
                 ('uc', T(3), 'vcpus', 'occupied_ondemand', 4)), stdin=openspan)

# --- same-instant deltas: A [1,2) and B [2,3) meet at 2 (no row at 2);
# C and D both [1,3) stopped: +2 at once
same = HDR + inst(T(1), T(2)) + inst(T(2), T(3)) + inst(T(1), T(3), state='stopped') + inst(T(1), T(3), state='stopped')
case('same-instant', 'cu-timeline --resources nodes --metrics active_ondemand,stopped_ondemand,occupied_ondemand',
     LONG + rows(('uc', T(1), 'nodes', 'occupied_ondemand', 3), ('uc', T(1), 'nodes', 'active_ondemand', 1),
                 ('uc', T(1), 'nodes', 'stopped_ondemand', 2),
                 ('uc', T(3), 'nodes', 'occupied_ondemand', 0), ('uc', T(3), 'nodes', 'active_ondemand', 0),
                 ('uc', T(3), 'nodes', 'stopped_ondemand', 0)), stdin=same)

# --- a value of 32 moves the sum by 32 (and memory by 65536)
v32 = HDR + inst(T(1), T(3), vcpus=32, mem=65536) + inst(T(2), T(4), vcpus=8, mem=16384)
case('value-32', 'cu-timeline --resources vcpus,memory_mb --metrics active_ondemand',
     LONG + rows(('uc', T(1), 'vcpus', 'active_ondemand', 32), ('uc', T(1), 'memory_mb', 'active_ondemand', 65536),
                 ('uc', T(2), 'vcpus', 'active_ondemand', 40), ('uc', T(2), 'memory_mb', 'active_ondemand', 81920),
                 ('uc', T(3), 'vcpus', 'active_ondemand', 8), ('uc', T(3), 'memory_mb', 'active_ondemand', 16384),
                 ('uc', T(4), 'vcpus', 'active_ondemand', 0), ('uc', T(4), 'memory_mb', 'active_ondemand', 0)),
     stdin=v32)

# --- derived metrics: total 12, reservable 10, committed 3 at [1,3),
# one reserved and one on-demand instance at [1,2).
def same(n): return dict(nodes=n, vcpus=n, mem=n, disk=n)
derived = (HDR + span('uc', 'total', '', T(0), None, **same(12)) + span('uc', 'reservable', '', T(0), None, **same(10))
           + span('uc', 'committed', '', T(1), T(3), **same(3))
           + inst(T(1), T(2), booking='reservation') + inst(T(1), T(2)))
data('derived.tsv', derived)
def N(t, m, v): return ('uc', t, 'nodes', m, v)
case('derived', 'cu-timeline --resources nodes ' + D % 'derived.tsv',
     LONG + rows(
         # 00: od capacity 12-10 = 2, available reservable 10-0, idle 0, available od 2-0
         N(T(0), 'total', 12), N(T(0), 'reservable', 10), N(T(0), 'committed', 0),
         N(T(0), 'occupied_reservation', 0), N(T(0), 'occupied_ondemand', 0),
         N(T(0), 'active_reservation', 0), N(T(0), 'active_ondemand', 0),
         N(T(0), 'stopped_reservation', 0), N(T(0), 'stopped_ondemand', 0),
         N(T(0), 'error_reservation', 0), N(T(0), 'error_ondemand', 0),
         N(T(0), 'ondemand_capacity', 2), N(T(0), 'available_reservable', 10),
         N(T(0), 'idle', 0), N(T(0), 'available_ondemand', 2),
         # 01: committed 3 -> available 10-3 = 7; idle 3-1 = 2; available od 2-1 = 1
         N(T(1), 'committed', 3), N(T(1), 'occupied_reservation', 1), N(T(1), 'occupied_ondemand', 1),
         N(T(1), 'active_reservation', 1), N(T(1), 'active_ondemand', 1),
         N(T(1), 'available_reservable', 7), N(T(1), 'idle', 2), N(T(1), 'available_ondemand', 1),
         # 02: the instances end: idle 3, available od 2
         N(T(2), 'occupied_reservation', 0), N(T(2), 'occupied_ondemand', 0),
         N(T(2), 'active_reservation', 0), N(T(2), 'active_ondemand', 0),
         N(T(2), 'idle', 3), N(T(2), 'available_ondemand', 2),
         # 03: the lease ends
         N(T(3), 'committed', 0), N(T(3), 'available_reservable', 10), N(T(3), 'idle', 0)))

# --- --wide: one row per site, time and resource; instances have no capacity
WH = 'site\ttime\tresource\ttotal\tcommitted\toccupied_reservation\tidle\n'
case('wide', 'cu-timeline --wide --metrics total,committed,occupied_reservation,idle --resources nodes,instances ' + D % 'derived.tsv',
     WH + rows(('uc', T(0), 'nodes', 12, 0, 0, 0), ('uc', T(0), 'instances', '\\N', '\\N', 0, '\\N'),
               ('uc', T(1), 'nodes', 12, 3, 1, 2), ('uc', T(1), 'instances', '\\N', '\\N', 1, '\\N'),
               ('uc', T(2), 'nodes', 12, 3, 0, 3), ('uc', T(2), 'instances', '\\N', '\\N', 0, '\\N'),
               ('uc', T(3), 'nodes', 12, 0, 0, 0)))
# --wide with --step: every bucket, every resource
case('wide-step', 'cu-timeline --wide --step 2h --metrics committed,idle --resources nodes,vcpus ' + D % 'derived.tsv',
     'site\ttime\tresource\tcommitted\tidle\n' + rows(
         # [0,2): committed 3 for 1h -> 1.5; idle 0 for [0,1), 2 for [1,2) -> 1
         ('uc', T(0), 'nodes', 1.5, 1), ('uc', T(0), 'vcpus', 1.5, 1),
         # [2,4): committed 3 for 1h -> 1.5; idle 3 for 1h -> 1.5
         ('uc', T(2), 'nodes', 1.5, 1.5), ('uc', T(2), 'vcpus', 1.5, 1.5)))

# max and min over the same buckets: committed is 3 on [1,3), idle 0, 2, 3, 0
case('wide-step-max', 'cu-timeline --wide --step 2h --agg max --metrics committed,idle --resources nodes ' + D % 'derived.tsv',
     'site\ttime\tresource\tcommitted\tidle\n' + rows(('uc', T(0), 'nodes', 3, 2), ('uc', T(2), 'nodes', 3, 3)))
case('wide-step-min', 'cu-timeline --wide --step 2h --agg min --metrics committed,idle --resources nodes ' + D % 'derived.tsv',
     'site\ttime\tresource\tcommitted\tidle\n' + rows(('uc', T(0), 'nodes', 0, 0), ('uc', T(2), 'nodes', 0, 0)))

# --- --check: clean data passes silently
case('check-ok', 'cu-timeline --check ' + D % 'derived.tsv', '')
# planted: committed 12 on reservable 10, and an on-demand instance with no
# on-demand capacity (total 10 = reservable 10)
bad = (HDR + span('uc', 'total', '', T(0), None, nodes=10, vcpus=0, mem=0, disk=0)
       + span('uc', 'reservable', '', T(0), None, nodes=10, vcpus=0, mem=0, disk=0)
       + span('uc', 'committed', '', T(1), T(3), nodes=12, vcpus=0, mem=0, disk=0)
       + inst(T(2), T(3), vcpus=0, mem=0, disk=0) + inst(T(2), T(4), vcpus=0, mem=0, disk=0))
case('check-violation', 'cu-timeline --check', '', stdin=bad, status=1,
     err='cu-timeline: check: 2024-01-01T01:00:00Z: site uc: nodes: committed 12 > reservable 10\n'
         'cu-timeline: check: 2024-01-01T02:00:00Z: site uc: nodes: occupied_ondemand 2 > ondemand_capacity 0\n'
         'cu-timeline: check: 2 violations\n')
# a window: only what happens in [--start, --end) is checked
case('check-window', 'cu-timeline --check --start 2024-01-01T03:00:00Z', '', stdin=bad, status=1,
     err='cu-timeline: check: 2024-01-01T03:00:00Z: site uc: nodes: occupied_ondemand 1 > ondemand_capacity 0\n'
         'cu-timeline: check: 1 violation\n')

# --- aggregation. agg.tsv: one node [Jan 31 12:00, Feb 1 06:00) crossing
# the month boundary (4 vcpus), two nodes [Feb 10 00:00, 06:00), shorter
# than a day (8 vcpus).
agg = (HDR + inst('2024-01-31T12:00:00Z', '2024-02-01T06:00:00Z', nodes=1, vcpus=4)
       + inst('2024-02-10T00:00:00Z', '2024-02-10T06:00:00Z', nodes=2, vcpus=8))
data('agg.tsv', agg)
A = 'cu-timeline --resources nodes --metrics active_ondemand '
def AR(t, v, r='nodes'): return ('uc', t, r, 'active_ondemand', v)
JAN, FEB = '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'
# Jan: 744 h, 12 node-hours -> 12/744 = 0.016129032258...; Feb 2024: 696 h,
# 6*1 + 6*2 = 18 node-hours -> 18/696 = 0.025862068965...
case('agg-mean-month', A + '--step 1mo ' + D % 'agg.tsv',
     LONG + rows(AR(JAN, '0.016129032'), AR(FEB, '0.025862069')))
# vcpus: Jan 4*12 = 48 -> 48/744 = 0.064516129032...; Feb 4*6 + 8*6 = 72 -> 72/696 = 0.103448275862...
case('agg-mean-month-vcpus', 'cu-timeline --resources vcpus --metrics active_ondemand --step 1mo --agg mean ' + D % 'agg.tsv',
     LONG + rows(AR(JAN, '0.064516129', 'vcpus'), AR(FEB, '0.103448276', 'vcpus')))
case('agg-integral-month', A + '--step 1mo --agg integral ' + D % 'agg.tsv',
     LONG + rows(AR(JAN, 12), AR(FEB, 18)))
case('agg-point-month', A + '--step 1mo --agg point ' + D % 'agg.tsv',
     LONG + rows(AR(JAN, 0), AR(FEB, 1)))
case('agg-max-month', A + '--step 1mo --agg max ' + D % 'agg.tsv',
     LONG + rows(AR(JAN, 1), AR(FEB, 2)))
case('agg-min-month', A + '--step 1mo --agg min ' + D % 'agg.tsv',
     LONG + rows(AR(JAN, 0), AR(FEB, 0)))
# 2024 has 8784 h: 30 node-hours -> 30/8784 = 0.003415300546...
case('agg-mean-year', A + '--step 1y ' + D % 'agg.tsv',
     LONG + rows(AR(JAN, '0.003415301')))
days = ['2024-02-%02dT00:00:00Z' % d for d in range(2, 10)]
# days: Jan 31 half a day of one node -> 0.5; Feb 1 a quarter -> 0.25;
# Feb 10 two nodes for a quarter -> 0.5; --agg point reads a bucket's value
# after the events at its start: the two nodes that start at Feb 10 00:00
# count there (2)
case('agg-mean-day', A + '--step 1d ' + D % 'agg.tsv',
     LONG + rows(AR('2024-01-31T00:00:00Z', 0.5), AR(FEB, 0.25), *[AR(d, 0) for d in days],
                 AR('2024-02-10T00:00:00Z', 0.5)))
case('agg-max-day', A + '--step 1d --agg max ' + D % 'agg.tsv',
     LONG + rows(AR('2024-01-31T00:00:00Z', 1), AR(FEB, 1), *[AR(d, 0) for d in days],
                 AR('2024-02-10T00:00:00Z', 2)))
case('agg-point-day', A + '--step 1d --agg point ' + D % 'agg.tsv',
     LONG + rows(AR('2024-01-31T00:00:00Z', 0), AR(FEB, 1), *[AR(d, 0) for d in days],
                 AR('2024-02-10T00:00:00Z', 2)))
case('agg-integral-day', A + '--step 1d --agg integral ' + D % 'agg.tsv',
     LONG + rows(AR('2024-01-31T00:00:00Z', 12), AR(FEB, 6), *[AR(d, 0) for d in days],
                 AR('2024-02-10T00:00:00Z', 12)))
# weeks start on Monday: 2024-01-29 and 2024-02-05; 18/168 = 0.107142857142...,
# 12/168 = 0.071428571428...
case('agg-mean-week', A + '--step 1w ' + D % 'agg.tsv',
     LONG + rows(AR('2024-01-29T00:00:00Z', '0.107142857'), AR('2024-02-05T00:00:00Z', '0.071428571')))
# --origin at noon: [Jan 31 12:00, Feb 1 12:00) holds 18 node-hours -> 0.75
case('agg-origin', A + '--step 1d --origin 2024-01-01T12:00:00Z --end 2024-02-02T12:00:00Z ' + D % 'agg.tsv',
     LONG + rows(AR('2024-01-31T12:00:00Z', 0.75), AR('2024-02-01T12:00:00Z', 0)))
# a window cuts the buckets: [Jan 31 18:00, Feb 1 00:00) and [Feb 1 00:00, 03:00)
case('agg-window-integral', A + '--step 1d --agg integral --start 2024-01-31T18:00:00Z --end 2024-02-01T03:00:00Z ' + D % 'agg.tsv',
     LONG + rows(AR('2024-01-31T18:00:00Z', 6), AR(FEB, 3)))
case('agg-window-mean', A + '--step 1d --start 2024-01-31T18:00:00Z --end 2024-02-01T03:00:00Z ' + D % 'agg.tsv',
     LONG + rows(AR('2024-01-31T18:00:00Z', 1), AR(FEB, 1)))
# a step in seconds (6 h): one node for 6 of the 12 hours of the window
case('agg-step-seconds', A + '--step 21600 --start 2024-02-01T00:00:00Z --end 2024-02-01T12:00:00Z ' + D % 'agg.tsv',
     LONG + rows(AR(FEB, 1), AR('2024-02-01T06:00:00Z', 0)))
# 15-minute buckets: a 10-minute span in the middle of one: 10/15 of a node
short = HDR + inst(T(1, 20), T(1, 30))
# (no --end: the last bucket is the one holding the last change, 01:30)
case('agg-15m-short-span', A + '--step 15m', LONG + rows(AR(T(1, 15), '0.666666667'), AR(T(1, 30), 0)), stdin=short)

# --- window without --step: first row = value at --start; nothing at or after --end
case('start-end', 'cu-timeline --resources nodes --metrics active_ondemand --start 2024-01-01T02:30:00Z --end 2024-01-01T04:00:00Z ' + D % 'overlap.tsv',
     LONG + rows(AR(T(2, 30), 2), AR(T(3), 1)))
case('start-before-data', 'cu-timeline --resources nodes --metrics active_ondemand --start 2024-01-01T00:00:00Z ' + D % 'overlap.tsv',
     LONG + rows(AR(T(0), 0), AR(T(1), 1), AR(T(2), 2), AR(T(3), 1), AR(T(4), 0)))
case('start-after-data', 'cu-timeline --resources nodes --metrics active_ondemand --start 2024-01-01T05:00:00Z ' + D % 'overlap.tsv',
     LONG + rows(AR(T(5), 0)))
case('end-before-data', 'cu-timeline --end 2024-01-01T00:00:00Z ' + D % 'overlap.tsv', LONG)

# --- two sites, in name order at each instant; --site selects
sites = HDR + inst(T(1), T(2), site='uc') + inst(T(1), T(3), site='tacc', nodes=2)
case('sites', 'cu-timeline --resources nodes --metrics active_ondemand',
     LONG + rows(('tacc', T(1), 'nodes', 'active_ondemand', 2), ('uc', T(1), 'nodes', 'active_ondemand', 1),
                 ('uc', T(2), 'nodes', 'active_ondemand', 0), ('tacc', T(3), 'nodes', 'active_ondemand', 0)), stdin=sites)
case('site-select', 'cu-timeline --site uc --resources nodes --metrics active_ondemand',
     LONG + rows(AR(T(1), 1), AR(T(2), 0)), stdin=sites)
case('site-missing', 'cu-timeline --site uc,chi --resources nodes --metrics active_ondemand',
     LONG + rows(AR(T(1), 1), AR(T(2), 0)), stdin=sites, err="cu-timeline: warning: site 'chi' is not in the input\n")
case('resources-instances', 'cu-timeline --resources instances --metrics occupied_ondemand,total,idle',
     LONG + rows(('tacc', T(1), 'instances', 'occupied_ondemand', 1), ('uc', T(1), 'instances', 'occupied_ondemand', 1),
                 ('uc', T(2), 'instances', 'occupied_ondemand', 0), ('tacc', T(3), 'instances', 'occupied_ondemand', 0)), stdin=sites)

# --- cu-spans without --site writes site \\N: a site of its own, first
nullsite = HDR + inst(T(1), T(2), site='\\N') + inst(T(1), T(3), site='uc', nodes=2)
case('null-site', A, LONG + rows(('\\N', T(1), 'nodes', 'active_ondemand', 1), AR(T(1), 2),
                                 ('\\N', T(2), 'nodes', 'active_ondemand', 0), AR(T(3), 0)), stdin=nullsite)
# a NULL value counts as 0, with one warning per column
nullval = HDR + inst(T(1), T(2), vcpus='\\N') + inst(T(1), T(3), vcpus=4)
case('null-value', 'cu-timeline --resources vcpus,instances --metrics active_ondemand',
     LONG + rows(('uc', T(1), 'vcpus', 'active_ondemand', 4), ('uc', T(1), 'instances', 'active_ondemand', 2),
                 ('uc', T(2), 'instances', 'active_ondemand', 1),
                 ('uc', T(3), 'vcpus', 'active_ondemand', 0), ('uc', T(3), 'instances', 'active_ondemand', 0)),
     stdin=nullval, err='cu-timeline: warning: 1 span with no vcpus (\\N) counted as 0\n')

# --- audit: orphan and null_key are left out unless --include-invalid;
# clipped and fallback count. shelved instances hold nothing.
aud = (HDR + inst(T(1), T(2), audit='ok') + inst(T(1), T(2), audit='clipped') + inst(T(1), T(2), audit='fallback')
       + inst(T(1), T(2), audit='orphan', nodes=10) + inst(T(1), T(2), audit='null_key', nodes=100)
       + inst(T(1), T(2), state='shelved', nodes=1000))
data('audit.tsv', aud)
case('audit', A + D % 'audit.tsv', LONG + rows(AR(T(1), 3), AR(T(2), 0)))
case('include-invalid', A + '--include-invalid ' + D % 'audit.tsv', LONG + rows(AR(T(1), 113), AR(T(2), 0)))

# --- an instance that never got a host (failed scheduling, host \\N)
# holds nothing: only the one on h1 counts
nohost = HDR + inst(T(1), T(2), state='error', vcpus=4) + inst(T(1), T(3), state='error', vcpus=8, nodes=0, host='\\N')
case('no-host', 'cu-timeline --resources vcpus,instances --metrics error_ondemand',
     LONG + rows(('uc', T(1), 'vcpus', 'error_ondemand', 4), ('uc', T(1), 'instances', 'error_ondemand', 1),
                 ('uc', T(2), 'vcpus', 'error_ondemand', 0), ('uc', T(2), 'instances', 'error_ondemand', 0)), stdin=nohost)

# --- fractional nodes: 48 x 1/48 and 3 x 1/3 of a host sum to whole hosts
frac = HDR + ''.join(inst(T(1), T(2), nodes='0.020833333333333332') for _ in range(48)) \
           + ''.join(inst(T(1), T(3), nodes='0.3333333333333333') for _ in range(3))
case('fractional-nodes', A, LONG + rows(AR(T(1), 2), AR(T(2), 1), AR(T(3), 0)), stdin=frac)
# a third of a node for an hour, mean over 2 h: 1/6
case('fractional-mean', A + '--step 2h --end 2024-01-01T03:00:00Z',
     LONG + rows(AR(T(0), '0.166666667'), AR(T(2), 0)), stdin=HDR + inst(T(1), T(2), nodes='0.3333333333333333'))

# numbers as JSON or %g may write them: 2.5E3 is 2500, 1e-20 rounds to 0 at 10^-15
case('number-exponent', 'cu-timeline --resources nodes,vcpus --metrics active_ondemand',
     LONG + rows(AR(T(1), 0), ('uc', T(1), 'vcpus', 'active_ondemand', 2500), ('uc', T(2), 'vcpus', 'active_ondemand', 0)),
     stdin=HDR + inst(T(1), T(2), nodes='1e-20', vcpus='2.5E3'))

# --- formats: JSONS in, JSONS and CSV out
js = ''.join('{"site":"uc","kind":"instance","state":"active","id":"i%d","start":"%s","end":%s,"host":"h1","project":"p1","user":"u1","reservation":null,"lease":null,"flavor":"f1","booking":"ondemand","nodes":0.5,"vcpus":16,"memory_mb":2048,"disk_gb":20,"audit":"ok"}\n'
             % (i, s, e) for i, (s, e) in enumerate([(T(1), '"%s"' % T(3)), (T(2), 'null')]))
case('jsons', 'cu-timeline --jsons --resources nodes,vcpus --metrics active_ondemand',
     ''.join('{"site":"uc","time":"%s","resource":"%s","metric":"active_ondemand","value":%s}\n' % r for r in [
         (T(1), 'nodes', '0.5'), (T(1), 'vcpus', '16'), (T(2), 'nodes', '1'), (T(2), 'vcpus', '32'),
         (T(3), 'nodes', '0.5'), (T(3), 'vcpus', '16')]), stdin=js)
case('csv', 'cu-timeline --csv --resources nodes --metrics active_ondemand,available_ondemand ' + D % 'overlap.tsv',
     'site,time,resource,metric,value\r\n' + ''.join('uc,%s,nodes,%s,%s\r\n' % r for r in [
         (T(1), 'active_ondemand', 1), (T(1), 'available_ondemand', -1), (T(2), 'active_ondemand', 2),
         (T(2), 'available_ondemand', -2), (T(3), 'active_ondemand', 1), (T(3), 'available_ondemand', -1),
         (T(4), 'active_ondemand', 0), (T(4), 'available_ondemand', 0)]))
case('empty-input', 'cu-timeline', LONG, stdin=HDR)

# --- bad input: message with file:line:field, exit 1, no output rows
def bad_case(name, text, err):
    case(name, 'cu-timeline input.tsv', LONG if False else '', err=err, status=1)
    open(os.path.join(CASES, name, 'input.tsv'), 'w').write(text)
bad_case('bad-time', HDR + inst(T(1), T(2)) + inst('2024-02-30T00:00:00Z', T(2)), "cu-timeline: input.tsv:3: field 5 (start): bad time (invalid date: day out of range for the month): '2024-02-30T00:00:00Z'\n")
bad_case('bad-end-before-start', HDR + inst(T(2), T(1)), "cu-timeline: input.tsv:2: field 6 (end): end before start: '2024-01-01T01:00:00Z'\n")
bad_case('bad-missing-column', HDR.replace('\taudit', '') + inst(T(1), T(2)).rsplit('\t', 1)[0] + '\n', "cu-timeline: input.tsv:1: no column 'audit' in the header\n")
bad_case('bad-kind', HDR + span('uc', 'hypervisor', '', T(1), T(2)), "cu-timeline: input.tsv:2: field 2 (kind): unknown kind (total, reservable, committed, instance, container): 'hypervisor'\n")
bad_case('bad-state', HDR + inst(T(1), T(2), state='running'), "cu-timeline: input.tsv:2: field 3 (state): unknown instance state (active, stopped, error, shelved): 'running'\n")
bad_case('bad-booking', HDR + inst(T(1), T(2), booking='\\N'), "cu-timeline: input.tsv:2: field 13 (booking): unknown booking (reservation, ondemand): '\\\\N'\n")
bad_case('bad-value', HDR + inst(T(1), T(2), vcpus='four'), "cu-timeline: input.tsv:2: field 15 (vcpus): not a number: 'four'\n")
bad_case('bad-negative', HDR + inst(T(1), T(2), nodes='-1'), "cu-timeline: input.tsv:2: field 14 (nodes): negative value: '-1'\n")
# beyond the fixed-point range (10^-15 node, 10^-6 MB in 64 bits): an error, never a wrap
bad_case('bad-too-large', HDR + inst(T(1), T(2), nodes=10000), "cu-timeline: input.tsv:2: field 14 (nodes): value too large: '10000'\n")
bad_case('bad-too-large-memory', HDR + inst(T(1), T(2), mem='9999999999999'), "cu-timeline: input.tsv:2: field 16 (memory_mb): value too large: '9999999999999'\n")
bad_case('bad-audit', HDR + inst(T(1), T(2), audit='maybe'), "cu-timeline: input.tsv:2: field 18 (audit): unknown audit (ok, clipped, fallback, inferred, orphan, null_key, rejected): 'maybe'\n")
bad_case('bad-start-null', HDR + inst('\\N', T(2)), "cu-timeline: input.tsv:2: field 5 (start): a span needs a start: '\\\\N'\n")

# --- usage errors: exit 2
TRY = "Try 'cu-timeline --help' for more information.\n"
def usage_case(name, args, msg):
    case(name, 'cu-timeline ' + args, '', stdin=HDR, err='cu-timeline: ' + msg + '\n' + TRY, status=2)
usage_case('usage-unknown-option', '--bogus', "unrecognized option '--bogus'")
usage_case('usage-agg-without-step', '--agg mean', '--agg needs --step')
usage_case('usage-bad-agg', '--step 1h --agg median', "--agg: unknown aggregate 'median' (mean, point, max, min, integral)")
usage_case('usage-bad-step', '--step 1.5h', "--step: invalid duration: fractions are not supported; use a smaller unit (90m, not 1.5h): '1.5h'")
usage_case('usage-bad-metric', '--metrics total,used', "--metrics: unknown metric 'used'")
usage_case('usage-bad-resource', '--resources gpus', "--resources: unknown resource 'gpus'")
usage_case('usage-end-before-start', '--start 2024-01-02 --end 2024-01-01', '--end must be later than --start')
usage_case('usage-bad-time', '--start yesterday', "--start: invalid timestamp: expected YYYY-MM-DD [HH:MM:SS[.ffffff]][Z|+hh:mm|-hh:mm]: 'yesterday'")
usage_case('usage-check-step', '--check --step 1h', '--check writes no timeline: it takes no --step, --agg or --wide')
usage_case('usage-origin-without-step', '--origin 2024-01-01', '--origin needs --step')

# --- --check at the printed precision
# a 48-vCPU host committed whole and filled by six 8-vCPU VMs: each VM is
# 8/48 = 0.16666666666666666 of a node, and the six sum to 1.000000000000000
# (exactly 1 at the 10^-9 the values print with), so nothing is violated
# even though the exact sum of the written shares is 2e-15 above 1
sixth = '0.16666666666666666'
full = (HDR + span('uc', 'total', '', T(0), None, nodes=1, vcpus=48, mem=0, disk=0)
        + span('uc', 'reservable', '', T(0), None, nodes=1, vcpus=48, mem=0, disk=0)
        + span('uc', 'committed', '', T(1), T(3), nodes=1, vcpus=48, mem=0, disk=0)
        + ''.join(inst(T(1), T(3), booking='reservation', nodes=sixth, vcpus=8, mem=0, disk=0) for _ in range(6)))
case('check-shares-sum-to-one', 'cu-timeline --check', '', stdin=full)
# ... while a seventh VM, 1/6 of a node too many, is a violation
case('check-shares-too-many', 'cu-timeline --check', '', stdin=full
     + inst(T(2), T(3), booking='reservation', nodes=sixth, vcpus=8, mem=0, disk=0), status=1,
     err='cu-timeline: check: 2024-01-01T02:00:00Z: site uc: nodes: occupied_reservation 1.166666667 > committed 1\n'
         'cu-timeline: check: 2024-01-01T02:00:00Z: site uc: vcpus: occupied_reservation 56 > committed 48\n'
         'cu-timeline: check: 2 violations\n')
