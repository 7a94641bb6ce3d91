// Non-variadic wrappers of libedit for Swift (which cannot call C variadic functions), the SIGINT
// flag of the interactive prompt, and locale set-up. One wrapper per call shape.
#ifndef PMO_EDITLINE_H
#define PMO_EDITLINE_H

#include <histedit.h>

typedef char *(*pmo_prompt_fn)(EditLine *);
typedef unsigned char (*pmo_command_fn)(EditLine *, int);

/// Selects the user's locale for character classification, falling back to C.UTF-8 when the
/// environment names none or a non-UTF-8 one (libedit drops non-ASCII keys in the C locale).
/// Only LC_CTYPE changes, so number formatting stays locale-independent. Returns 1 when UTF-8 is on.
int pmo_setlocale_utf8(void);

/// `el_init` on the process's standard input, output and error.
EditLine *pmo_el_init(const char *program);
int pmo_el_set_editor(EditLine *el, const char *mode);
int pmo_el_set_signal(EditLine *el, int on);
/// The prompt, with `esc` delimiting invisible (escape sequence) parts.
int pmo_el_set_prompt(EditLine *el, pmo_prompt_fn fn, char esc);
int pmo_el_set_rprompt(EditLine *el, pmo_prompt_fn fn, char esc);
int pmo_el_set_clientdata(EditLine *el, void *data);
void *pmo_el_get_clientdata(EditLine *el);
int pmo_el_set_hist(EditLine *el, History *h);
/// Adds a named editor command implemented by `fn`.
int pmo_el_addfn(EditLine *el, const char *name, const char *help, pmo_command_fn fn);
/// `bind KEY COMMAND`, e.g. ("^R", "em-inc-search-prev").
int pmo_el_bind(EditLine *el, const char *key, const char *command);
/// Reads ~/.editrc (or $EDITRC) so users can add their own bindings.
int pmo_el_source_user(EditLine *el);
/// The terminal's size as libedit knows it (after a resize too); 0 on success.
int pmo_el_terminal_size(EditLine *el, int *rows, int *columns);

History *pmo_history_init(void);
void pmo_history_end(History *h);
int pmo_history_setsize(History *h, int size);
int pmo_history_setunique(History *h, int on);
int pmo_history_enter(History *h, const char *line);
int pmo_history_load(History *h, const char *path);
int pmo_history_save(History *h, const char *path);
int pmo_history_count(History *h);
/// Entries oldest first: `pmo_history_oldest`, then `pmo_history_newer` until NULL.
const char *pmo_history_oldest(History *h);
const char *pmo_history_newer(History *h);

/// Catches SIGINT into a flag (no SA_RESTART, so blocking reads return EINTR) and ignores SIGPIPE
/// (a pager that quits early must not end the prompt), remembering the previous dispositions.
void pmo_signals_install(void);
/// Puts back what `pmo_signals_install` replaced.
void pmo_signals_restore(void);
/// Whether Ctrl-C was pressed since the flag was last cleared.
int pmo_sigint_pending(void);
void pmo_sigint_clear(void);

#endif
