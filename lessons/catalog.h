/*
 * catalog.h — every lesson object, for catalog.c.
 */
#ifndef GMV_CATALOG_H
#define GMV_CATALOG_H

#include "lesson.h"

extern const Lesson lesson06;
extern const Lesson lesson01;
extern const Lesson lesson02;
extern const Lesson lesson03;
extern const Lesson lesson04;
extern const Lesson lesson05;
extern const Lesson lesson07;
extern const Lesson lesson08;
extern const Lesson lesson09;
extern const Lesson lesson10;
extern const Lesson lesson11;

#endif
