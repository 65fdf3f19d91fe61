/* Connecting: option files, DATABASE_URI, passwords, one session per
 * site. */
#include "config.h"

#include "cu-dump.h"

static char *percent_decode(const char *s, size_t n)
{
    char *d = cu_xmalloc(n + 1), *o = d;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n && (hi = cu_hex_value(s[i + 1])) >= 0 &&
            (lo = cu_hex_value(s[i + 2])) >= 0) {
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else
            *o++ = s[i];
    }
    *o = '\0';
    return d;
}

static bool parse_uri(const char *s, struct uri *u)
{
    memset(u, 0, sizeof *u);
    const char *p = strstr(s, "://");
    if (!p || strncmp(s, "mysql", 5) != 0 || (s[5] != ':' && s[5] != '+'))
        return false;
    struct sbuf masked = {0};
    sb_addn(&masked, s, (size_t)(p + 3 - s));
    p += 3;
    const char *end = p + strcspn(p, "/?");
    const char *at = NULL;
    for (const char *q = p; q < end; q++)
        if (*q == '@')
            at = q;
    const char *hp = p;
    if (at) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        if (colon) {
            u->user = percent_decode(p, (size_t)(colon - p));
            u->password = percent_decode(colon + 1, (size_t)(at - colon - 1));
            sb_addn(&masked, p, (size_t)(colon - p));
            sb_add(&masked, ":***");
        } else {
            u->user = percent_decode(p, (size_t)(at - p));
            sb_addn(&masked, p, (size_t)(at - p));
        }
        sb_addc(&masked, '@');
        hp = at + 1;
    }
    sb_add(&masked, hp);
    const char *colon = memchr(hp, ':', (size_t)(end - hp));
    const char *hend = colon ? colon : end;
    if (hend > hp)
        u->host = cu_xstrndup(hp, (size_t)(hend - hp));
    if (colon) {
        char *e;
        unsigned long port = strtoul(colon + 1, &e, 10);
        if (e != end || port == 0 || port > 65535) {
            u->masked = masked.s;
            return false;
        }
        u->port = (unsigned)port;
    }
    u->masked = masked.s;
    return true;
}

/* Read a password from the terminal with echo off. */
static char *prompt_password(const char *what)
{
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        cu_die(CU_EXIT_USAGE, "-p: cannot prompt for the password: no "
                              "terminal (use an option file instead)");
    struct termios old, quiet;
    bool have_tty = tcgetattr(fd, &old) == 0;
    char msg[256];
    int ml = snprintf(msg, sizeof msg, "Enter password%s%s: ",
                      what ? " for " : "", what ? what : "");
    if (ml > 0 && write(fd, msg, (size_t)ml) < 0) { /* best effort */
    }
    if (have_tty) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        quiet.c_lflag |= ICANON;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    struct sbuf pw = {0};
    char c;
    ssize_t k;
    while ((k = read(fd, &c, 1)) == 1 && c != '\n' && c != '\r')
        sb_addc(&pw, c);
    if (have_tty)
        tcsetattr(fd, TCSAFLUSH, &old);
    if (write(fd, "\n", 1) < 0) { /* best effort */
    }
    close(fd);
    if (k < 0)
        cu_die_errno(CU_EXIT_DATA, errno, "reading the password");
    if (!pw.s)
        sb_add(&pw, "");
    return pw.s;
}

/* The option files of --defaults-extra-file: the global files, then FILE,
 * then the user's ~/.my.cnf, the order the mariadb client reads them in.
 * Connector/C reads one file or the default set, so we give it a file of
 * !include lines (it ignores the ones that do not exist). */
static char *extra_file_includes(const char *extra)
{
    const char *tmpdir = getenv("TMPDIR");
    struct sbuf path = {0};
    sb_printf(&path, "%s/cu-dump-cnf.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(path.s);
    if (fd < 0)
        cu_die_errno(CU_EXIT_DATA, errno, "%s", path.s);
    struct sbuf text = {0};
    sb_add(&text, "!include /etc/my.cnf\n!include /etc/mysql/my.cnf\n");
    const char *home = getenv("MARIADB_HOME");
    if (!home)
        home = getenv("MYSQL_HOME");
    if (home && *home)
        sb_printf(&text, "!include %s/my.cnf\n", home);
    sb_printf(&text, "!include %s\n", extra);
    const char *user_home = getenv("HOME");
    if (user_home && *user_home)
        sb_printf(&text, "!include %s/.my.cnf\n", user_home);
    if (write(fd, text.s, text.len) != (ssize_t)text.len || close(fd) != 0)
        cu_die_errno(CU_EXIT_DATA, errno, "%s", path.s);
    sb_free(&text);
    return path.s;
}

const char *site_label(const struct site *s)
{
    return s && s->key ? s->key : NULL;
}

noreturn void die_sql(struct session *se, const char *what)
{
    if (site_label(se->site))
        cu_die(CU_EXIT_DATA, "site %s: %s: %s (error %u)", se->site->key,
               what, mysql_error(se->m), mysql_errno(se->m));
    cu_die(CU_EXIT_DATA, "%s: %s (error %u)", what, mysql_error(se->m),
           mysql_errno(se->m));
}

MYSQL_RES *query_result(struct session *se, struct sbuf *q, bool stream,
                        const char *what)
{
    if (mysql_real_query(se->m, q->s, q->len) != 0)
        die_sql(se, what);
    sb_free(q);
    MYSQL_RES *res =
        stream ? mysql_use_result(se->m) : mysql_store_result(se->m);
    if (!res)
        die_sql(se, what);
    return res;
}

static void run_sql(struct session *se, const char *sql)
{
    if (mysql_real_query(se->m, sql, strlen(sql)) != 0)
        die_sql(se, sql);
    MYSQL_RES *res = mysql_store_result(se->m);
    if (res)
        mysql_free_result(res);
    else if (mysql_field_count(se->m) != 0)
        die_sql(se, sql);
}

void connect_site(struct session *se, const struct site *s)
{
    memset(se, 0, sizeof *se);
    se->site = s;
    MYSQL *m = mysql_init(NULL);
    if (!m)
        cu_die(CU_EXIT_DATA, "out of memory (mysql_init)");
    se->m = m;

    char *include_file = NULL;
    const char *dfile = opt.defaults_file ? opt.defaults_file
                                          : s->defaults_file;
    if (!opt.defaults_file && opt.defaults_extra_file)
        dfile = include_file = extra_file_includes(opt.defaults_extra_file);
    if (dfile) {
        if (access(dfile, R_OK) != 0)
            cu_die_errno(CU_EXIT_USAGE, errno, "option file %s", dfile);
        mysql_optionsv(m, MYSQL_READ_DEFAULT_FILE, dfile);
    }
    mysql_optionsv(m, MYSQL_READ_DEFAULT_GROUP, s->group ? s->group : "cu-dump");
    mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    unsigned timeout = (unsigned)opt.connect_timeout;
    if (timeout)
        mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    if (opt.ssl_key || opt.ssl_cert || opt.ssl_ca || opt.ssl_capath ||
        opt.ssl_cipher)
        mysql_ssl_set(m, opt.ssl_key, opt.ssl_cert, opt.ssl_ca,
                      opt.ssl_capath, opt.ssl_cipher);
    if (opt.ssl) {
        my_bool on = 1;
        mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &on);
    }
    if (opt.ssl_verify) {
        my_bool on = 1;
        mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
    }
    if (opt.tls_version)
        mysql_optionsv(m, MARIADB_OPT_TLS_VERSION, opt.tls_version);

    /* flag > environment > option files (what mysql_real_connect gets as
     * NULL comes from the option files) */
    struct uri u = {0};
    const char *env = getenv("DATABASE_URI");
    if (env && *env && !parse_uri(env, &u)) {
        /* A value that did not parse cannot be masked reliably (a password
           without the '@' after it reads as a port): show none of it. */
        free(u.masked);
        cu_die(CU_EXIT_USAGE,
               "DATABASE_URI: not mysql://USER:PASS@HOST[:PORT][/DB] (the "
               "value is not shown: it may hold a password)");
    }
    /* In --grant-sql mode -u/-h name the grantee, not us. */
    const char *host = opt.grant_sql ? NULL : opt.host;
    const char *user = opt.grant_sql ? NULL : opt.user;
    if (!host)
        host = u.host;
    if (!user)
        user = u.user;
    unsigned port = opt.port ? (unsigned)opt.port : u.port;
    char *password = NULL;
    if (opt.prompt)
        password = prompt_password(site_label(s));
    const char *pw = password ? password : u.password;

    bool connected =
        mysql_real_connect(m, host, user, pw, NULL, port, opt.socket, 0);
    if (include_file) { /* read at connect: not needed any more */
        unlink(include_file);
        free(include_file);
    }
    if (!connected) {
        struct sbuf where = {0};
        if (site_label(s))
            sb_printf(&where, "site %s: ", s->key);
        if (u.masked)
            sb_printf(&where, "%s: ", u.masked);
        cu_die(CU_EXIT_DATA, "%scannot connect: %s (error %u)", sb_str(&where),
               mysql_error(m), mysql_errno(m));
    }
    if (password) {
        memset(password, 0, strlen(password));
        free(password);
    }
    if (u.password)
        memset(u.password, 0, strlen(u.password));
    cu_free_all(u.user, u.password, u.host, u.masked);

    /* An option file may name another character set: insist. */
    if (mysql_set_character_set(m, "utf8mb4") != 0)
        die_sql(se, "SET NAMES utf8mb4");
    se->server_version = cu_xstrdup(mysql_get_server_info(m));
    /* Naive DATETIMEs are UTC; TIMESTAMPs must come out in UTC too. A slow
     * reader downstream must not make the server drop us mid-table. */
    run_sql(se, "SET time_zone = '+00:00'");
    run_sql(se, "SET SESSION net_write_timeout = 7200");
    run_sql(se, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    run_sql(se, "SET SESSION TRANSACTION READ ONLY");
    run_sql(se, "START TRANSACTION WITH CONSISTENT SNAPSHOT");

    if (mysql_real_query(m, "SELECT CURRENT_USER()", 21) == 0) {
        MYSQL_RES *res = mysql_store_result(m);
        MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
        if (row && row[0])
            se->current_user = cu_xstrdup(row[0]);
        if (res)
            mysql_free_result(res);
    }
}

void disconnect(struct session *se)
{
    if (se->m) {
        mysql_real_query(se->m, "COMMIT", 6);
        mysql_close(se->m);
    }
    free(se->server_version);
    free(se->current_user);
    memset(se, 0, sizeof *se);
}
