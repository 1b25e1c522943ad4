// SPDX-License-Identifier: Apache-2.0
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

// fontconfig leaks a little while parsing its configuration (a known upstream issue; others suppress it too);
// LeakSanitizer would otherwise fail every labelling test. Only libfontconfig is silenced. The CLI tests get the
// same rule from tests/lsan.supp (scripts/test.sh sets LSAN_OPTIONS).
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
