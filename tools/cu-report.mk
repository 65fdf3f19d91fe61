## cu-report: program, man page and tests
bin_PROGRAMS += cu-report
cu_report_SOURCES = tools/cu-report/main.c tools/cu-report/spans.c \
	tools/cu-report/usage.c tools/cu-report/utilisation.c \
	tools/cu-report/sessions.c tools/cu-report/groups.c \
	tools/cu-report/catalog.c tools/cu-report/institutions.c \
	tools/cu-report/rates.c tools/cu-report/invoice.c \
	tools/cu-report/distinct.c tools/cu-report/doc.c \
	tools/cu-report/html.c tools/cu-report/pdf.c \
	tools/cu-report/overview.c \
	tools/cu-report/table.c tools/cu-report/report.h
cu_report_CPPFLAGS = $(AM_CPPFLAGS) $(PLOT_CFLAGS)
cu_report_LDADD = $(PLOT_LIBS_ALL) $(CU_LIBS)
dist_man_MANS += man/cu-report.1
TESTS += tests/cu-report-golden.sh tests/cu-report.sh tests/cu-report-render.sh
dist_noinst_SCRIPTS += tests/cu-report-golden.sh tests/cu-report.sh \
	tests/cu-report-render.sh
