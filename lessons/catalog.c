/*
 * catalog.c — the lessons, in the order a class takes them.
 *
 * Invariant: ids are unique and increase along the list.
 */
#include "catalog.h"

static const Lesson *const all[] = {
    &lesson01,
    &lesson02,
    &lesson03,
    &lesson04,
    &lesson05,
    &lesson06,
    &lesson07,
    &lesson08,
    &lesson09,
    &lesson10,
    &lesson11,
    NULL,
};

const Lesson *const *lesson_all(void)
{
    return all;
}

const Lesson *lesson_find(unsigned id)
{
    for (const Lesson *const *l = all; *l; l++)
        if ((*l)->id == id)
            return *l;
    return NULL;
}
