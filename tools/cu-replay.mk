## cu-replay: program, man page and tests
bin_PROGRAMS += cu-replay
cu_replay_SOURCES = tools/cu-replay/main.c tools/cu-replay/records.c \
	tools/cu-replay/pace.c tools/cu-replay/drive.c \
	tools/cu-replay/simulate.c tools/cu-replay/replay.h
cu_replay_LDADD = $(CU_LIBS) -lm
dist_man_MANS += man/cu-replay.1
TESTS += tests/cu-replay-golden.sh tests/cu-replay.sh
dist_noinst_SCRIPTS += tests/cu-replay-golden.sh tests/cu-replay.sh
