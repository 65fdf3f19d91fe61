#!/bin/sh
# Golden transcripts of cu-report (tests/cases/cu-report/).
exec "$top_srcdir/tests/lib/golden.sh" cu-report
