// Wide-character ncurses, plus wrappers for what Swift cannot import (macros, global state).
#ifndef FACTOP_CNCURSES_SHIM_H
#define FACTOP_CNCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#include <termios.h>
#include <unistd.h>

/// Opens the terminal as `name` describes it (NULL: $TERM).
static inline SCREEN *factop_newterm(const char *name) { return newterm(name, stdout, stdin); }
/// Whether terminfo has an entry called `name`, without printing or exiting when it has not.
static inline int factop_has_terminfo(const char *name) {
  int status = 0;
  if (setupterm(name, fileno(stdout), &status) != OK) return 0;
  del_curterm(cur_term);
  return status == 1;
}
/// Makes Ctrl-Z and Ctrl-\ plain keys (no SIGTSTP, no SIGQUIT) and turns off XON/XOFF, so Ctrl-S
/// cannot pause output; Ctrl-C keeps sending SIGINT. Recorded as curses' program mode so curses
/// keeps it; endwin gives the shell back the modes it had. 0 on success.
static inline int factop_lock_control_keys(void) {
  struct termios modes;
  if (tcgetattr(STDIN_FILENO, &modes) != 0) return -1;
  modes.c_cc[VSUSP] = _POSIX_VDISABLE;
  modes.c_cc[VQUIT] = _POSIX_VDISABLE;
  modes.c_iflag &= ~(tcflag_t)IXON;
  if (tcsetattr(STDIN_FILENO, TCSANOW, &modes) != 0) return -1;
  return def_prog_mode() == OK ? 0 : -1;
}
static inline int factop_lines(void) { return LINES; }
static inline int factop_cols(void) { return COLS; }
static inline int factop_colors(void) { return COLORS; }
static inline int factop_color_pairs(void) { return COLOR_PAIRS; }
static inline WINDOW *factop_stdscr(void) { return stdscr; }
static inline WINDOW *factop_curscr(void) { return curscr; }
static inline attr_t factop_a_bold(void) { return A_BOLD; }
static inline attr_t factop_a_dim(void) { return A_DIM; }
static inline attr_t factop_a_underline(void) { return A_UNDERLINE; }
static inline attr_t factop_a_reverse(void) { return A_REVERSE; }
static inline attr_t factop_a_normal(void) { return A_NORMAL; }
#endif
