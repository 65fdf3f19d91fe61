#!/bin/sh
# Golden transcripts of cu-timeline (tests/cases/cu-timeline/).
exec "$top_srcdir/tests/lib/golden.sh" cu-timeline
