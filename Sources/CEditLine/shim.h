// The system libedit (NetBSD editline), native API. Debian/Ubuntu: apt-get install libedit-dev.
#include <histedit.h>
