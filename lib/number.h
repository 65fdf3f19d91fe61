/* Numbers as text (number.c). */
#ifndef CU_NUMBER_H
#define CU_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/* The text cu_writer_int and cu_writer_double write for v (a finite v),
 * for rows built by hand: at most CU_NUMBER_BUFSZ bytes, no NUL. */
#define CU_NUMBER_BUFSZ 32
size_t cu_format_int(int64_t v, char *buf);
size_t cu_format_double(double v, char *buf);

#endif
