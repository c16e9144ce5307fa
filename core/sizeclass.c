/*
 * sizeclass.c — lookups in Go 1.19's size-class tables.
 *
 * Invariant: sizeclass_roundup(n) >= n for every n, and equals Go 1.19's
 * roundupsize (test_sizeclass.c compares all n up to 32768).
 */
#include "sizeclass.h"

#include <assert.h>

#include "sizeclass_tables.inc"

enum { SMALL_SIZE_DIV = 8, SMALL_SIZE_MAX = 1024, LARGE_SIZE_DIV = 128 };

static uint64_t div_round_up(uint64_t n, uint64_t a)
{
    return (n + a - 1) / a;
}

unsigned sizeclass_of(uint64_t size)
{
    assert(size <= SC_MAX_SMALL);
    if (size <= SMALL_SIZE_MAX - 8)
        return size_to_class8[div_round_up(size, SMALL_SIZE_DIV)];
    return size_to_class128[div_round_up(size - SMALL_SIZE_MAX, LARGE_SIZE_DIV)];
}

uint32_t sizeclass_size(unsigned class)
{
    assert(class < SC_NUM_CLASSES);
    return class_to_size[class];
}

uint32_t sizeclass_npages(unsigned class)
{
    assert(class < SC_NUM_CLASSES);
    return class_to_allocnpages[class];
}

uint32_t sizeclass_nelems(unsigned class)
{
    assert(class > 0 && class < SC_NUM_CLASSES);
    return sizeclass_npages(class) * SC_PAGE_SIZE / sizeclass_size(class);
}

uint64_t sizeclass_roundup(uint64_t size)
{
    if (size < SC_MAX_SMALL)
        return sizeclass_size(sizeclass_of(size));
    if (size + SC_PAGE_SIZE < size) /* overflow: Go returns size itself */
        return size;
    return (size + SC_PAGE_SIZE - 1) & ~(uint64_t)(SC_PAGE_SIZE - 1);
}
