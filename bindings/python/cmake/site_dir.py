# SPDX-License-Identifier: Apache-2.0
"""Prints where, relative to the install prefix argv[1], this interpreter looks for installed packages.

Debian's python3 reads /usr/lib/python3/dist-packages (prefix /usr, the deb_system scheme) and
/usr/local/lib/python3.X/dist-packages (prefix /usr/local, posix_local); other prefixes get the /usr/local
layout. Elsewhere the default scheme decides."""
import os
import sys
import sysconfig

prefix = sys.argv[1]
if "posix_local" in sysconfig.get_scheme_names():
    if prefix == "/usr":
        print(os.path.relpath(sysconfig.get_path("platlib", "deb_system", vars={"platbase": "/usr"}), "/usr"))
    else:
        print(os.path.relpath(sysconfig.get_path("platlib", "posix_local", vars={"platbase": "/usr"}), "/usr/local"))
else:
    print(os.path.relpath(sysconfig.get_path("platlib", vars={"base": prefix, "platbase": prefix}), prefix))
