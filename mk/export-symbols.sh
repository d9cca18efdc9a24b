#!/bin/sh
# Prints the public symbols of libgapneb, one per line: every gn_ function declared in the
# installed headers given as arguments (comments removed first, so a name mentioned in a comment
# is not exported). libtool's -export-symbols keeps every other symbol out of the shared library.
awk '
{
    line = $0; out = ""
    while (length(line) > 0) {
        if (incomment) {
            p = index(line, "*/")
            if (!p) { line = ""; break }
            line = substr(line, p + 2); incomment = 0
        } else {
            p = index(line, "/*")
            if (!p) { out = out line; line = "" }
            else { out = out substr(line, 1, p - 1); line = substr(line, p + 2); incomment = 1 }
        }
    }
    print out
}' "$@" | grep -oE '(^|[^A-Za-z0-9_])gn_[a-z0-9_]+[[:space:]]*\(' |
    sed -E 's/^[^g]//; s/[[:space:]]*\($//' | sort -u
