/*
 * cli_lesson.h — lesson helpers shared by the lesson and render commands
 * (cmd_lesson.c).
 */
#ifndef GMV_CLI_LESSON_H
#define GMV_CLI_LESSON_H

#include "lesson.h"

/* A lesson by number or slug, or NULL. */
const Lesson *cli_lesson_arg(const char *arg);
/* Record lesson l to path; a one-line error and non-zero on failure. */
int cli_record_lesson(const Lesson *l, const char *path);
/* Open a recorded lesson in the viewer window, PgUp/PgDn going to the other
 * lessons (cmd_view.c). */
int cli_play_lesson(const Lesson *l, const char *path);

#endif
