/* The floor for cu-dump's benchmark: a bare mysql_use_result loop that
 * writes every field as the server sends it (no escaping, no time or NULL
 * conversion) tab-separated to stdout through a 64 KiB buffer.
 * Usage: cu-dump-bare OPTION-FILE "SELECT ..."   (not part of the build;
 * bench/cu-dump-bench.sh compiles it) */
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: cu-dump-bare OPTION-FILE SQL\n");
        return 2;
    }
    MYSQL *m = mysql_init(NULL);
    mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, argv[1]);
    mysql_optionsv(m, MYSQL_READ_DEFAULT_GROUP, "client");
    if (!mysql_real_connect(m, NULL, NULL, NULL, NULL, 0, NULL, 0) ||
        mysql_query(m, "SET time_zone = '+00:00'") ||
        mysql_real_query(m, argv[2], strlen(argv[2]))) {
        fprintf(stderr, "cu-dump-bare: %s\n", mysql_error(m));
        return 1;
    }
    MYSQL_RES *res = mysql_use_result(m);
    unsigned nf = mysql_num_fields(res);
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    MYSQL_ROW row;
    unsigned long long rows = 0;
    while ((row = mysql_fetch_row(res))) {
        unsigned long *len = mysql_fetch_lengths(res);
        for (unsigned i = 0; i < nf; i++) {
            if (row[i])
                fwrite(row[i], 1, len[i], stdout);
            else
                fwrite("\\N", 1, 2, stdout);
            putchar(i + 1 < nf ? '\t' : '\n');
        }
        rows++;
    }
    if (mysql_errno(m)) {
        fprintf(stderr, "cu-dump-bare: after %llu rows: %s\n", rows,
                mysql_error(m));
        return 1;
    }
    mysql_free_result(res);
    mysql_close(m);
    return fflush(stdout) == 0 ? 0 : 1;
}
