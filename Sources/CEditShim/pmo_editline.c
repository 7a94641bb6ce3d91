// Non-variadic wrappers of libedit, the SIGINT flag and locale set-up (see pmo_editline.h).
#include "pmo_editline.h"

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int pmo_setlocale_utf8(void) {
    const char *set = setlocale(LC_CTYPE, "");
    const char *codeset = set ? nl_langinfo(CODESET) : NULL;
    if (codeset && (strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "utf8") == 0)) return 1;
    if (setlocale(LC_CTYPE, "C.UTF-8") || setlocale(LC_CTYPE, "C.utf8") || setlocale(LC_CTYPE, "en_US.UTF-8")) return 1;
    return 0;
}

EditLine *pmo_el_init(const char *program) { return el_init(program, stdin, stdout, stderr); }
int pmo_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
int pmo_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
int pmo_el_set_prompt(EditLine *el, pmo_prompt_fn fn, char esc) { return el_set(el, EL_PROMPT_ESC, fn, esc); }
int pmo_el_set_rprompt(EditLine *el, pmo_prompt_fn fn, char esc) { return el_set(el, EL_RPROMPT_ESC, fn, esc); }
int pmo_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }

void *pmo_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

int pmo_el_set_hist(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }

int pmo_el_addfn(EditLine *el, const char *name, const char *help, pmo_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}

int pmo_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, (const char *)NULL);
}

int pmo_el_source_user(EditLine *el) { return el_source(el, NULL); }

int pmo_el_terminal_size(EditLine *el, int *rows, int *columns) {
    if (el_get(el, EL_GETTC, "li", rows, (void *)NULL) != 0) return -1;
    if (el_get(el, EL_GETTC, "co", columns, (void *)NULL) != 0) return -1;
    return 0;
}

History *pmo_history_init(void) { return history_init(); }
void pmo_history_end(History *h) { history_end(h); }

int pmo_history_setsize(History *h, int size) {
    HistEvent ev;
    return history(h, &ev, H_SETSIZE, size);
}

int pmo_history_setunique(History *h, int on) {
    HistEvent ev;
    return history(h, &ev, H_SETUNIQUE, on);
}

int pmo_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

int pmo_history_load(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, path);
}

int pmo_history_save(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, path);
}

int pmo_history_count(History *h) {
    HistEvent ev;
    if (history(h, &ev, H_GETSIZE) != 0) return 0;
    return ev.num;
}

const char *pmo_history_oldest(History *h) {
    HistEvent ev;
    if (history(h, &ev, H_LAST) != 0) return NULL;
    return ev.str;
}

const char *pmo_history_newer(History *h) {
    HistEvent ev;
    if (history(h, &ev, H_PREV) != 0) return NULL;
    return ev.str;
}

static volatile sig_atomic_t pmo_sigint_flag = 0;
static struct sigaction pmo_old_sigint, pmo_old_sigpipe;
static int pmo_signals_installed = 0;

static void pmo_sigint_handler(int sig) {
    (void)sig;
    pmo_sigint_flag = 1;
}

void pmo_signals_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = pmo_sigint_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  /* no SA_RESTART: a blocking read returns EINTR */
    sigaction(SIGINT, &sa, pmo_signals_installed ? NULL : &pmo_old_sigint);
    struct sigaction ignore;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, pmo_signals_installed ? NULL : &pmo_old_sigpipe);
    pmo_signals_installed = 1;
}

void pmo_signals_restore(void) {
    if (!pmo_signals_installed) return;
    sigaction(SIGINT, &pmo_old_sigint, NULL);
    sigaction(SIGPIPE, &pmo_old_sigpipe, NULL);
    pmo_signals_installed = 0;
}

int pmo_sigint_pending(void) { return pmo_sigint_flag != 0; }
void pmo_sigint_clear(void) { pmo_sigint_flag = 0; }
