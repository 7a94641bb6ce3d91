# Build and install pmo: a release binary with the Swift runtime linked in (it runs from any folder
# and without the toolchain), its man page and shell completions.
#   make                      build .build/release/pmo and the man page
#   make install PREFIX=DIR   copy them under DIR (default /usr/local; DESTDIR for packaging)
#   make uninstall PREFIX=DIR
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
BINDIR = $(DESTDIR)$(PREFIX)/bin
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
MANPAGE = .build/plugins/GenerateManual/outputs/pmo/pmo.1

.PHONY: all build man install uninstall
all: build

# The man page comes from swift-argument-parser's generate-manual plugin, run on the debug build (the
# page is the same for every build, and `swift build`/`swift test` have usually built it already);
# the release binary is built once, with the Swift runtime linked in.
man:
	$(SWIFT) package generate-manual

build: man
	$(SWIFT) build -c release --static-swift-stdlib

install: build
	install -d "$(BINDIR)" "$(MANDIR)" "$(BASHDIR)" "$(ZSHDIR)" "$(FISHDIR)"
	install -m 755 .build/release/pmo "$(BINDIR)/pmo"
	install -m 644 "$(MANPAGE)" "$(MANDIR)/pmo.1"
	.build/release/pmo --generate-completion-script bash > "$(BASHDIR)/pmo"
	.build/release/pmo --generate-completion-script zsh > "$(ZSHDIR)/_pmo"
	.build/release/pmo --generate-completion-script fish > "$(FISHDIR)/pmo.fish"

uninstall:
	rm -f "$(BINDIR)/pmo" "$(MANDIR)/pmo.1" "$(BASHDIR)/pmo" "$(ZSHDIR)/_pmo" "$(FISHDIR)/pmo.fish"
