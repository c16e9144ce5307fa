/*
 * catalog.h — every lesson object, for catalog.c.
 */
#ifndef GMV_CATALOG_H
#define GMV_CATALOG_H

#include "lesson.h"

extern const Lesson lesson07;

#endif
