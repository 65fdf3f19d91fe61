#!/bin/sh
# Golden transcripts of cu-replay (tests/cases/cu-replay/).
exec "$top_srcdir/tests/lib/golden.sh" cu-replay
