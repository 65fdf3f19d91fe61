#!/bin/sh
exec "$top_srcdir/tests/lib/golden.sh" cu-dump
