/*
 * strtab.h — string interning for the trace writer.
 *
 * Invariant: str[0] is "" and ids are dense, in order of first interning, so
 * that a reader rebuilding the table from STRS chunks gets the same ids.
 */
#ifndef GMV_STRTAB_H
#define GMV_STRTAB_H

#include "trace.h"

void strtab_init(StrTab *st);
void strtab_free(StrTab *st);
/* Id of s, adding it if new. */
uint32_t strtab_intern(StrTab *st, const char *s);

#endif
