#!/usr/bin/env python3
"""Write src/ops/regex/_unicode_tables.json from this machine's CPython (the regex oracle).

The tables are what CPython's `re` uses for str patterns: the `\\d`, `\\w`, `\\s` sets, the
cased characters, simple lower/upper case mappings (`_sre.unicode_tolower/toupper`) and the
extra case equivalences of `re._compiler._EXTRA_CASES`. CPython 3.11 uses Unicode 14.0.

Run: python3 tools/gen_regex_tables.py
"""
import json
import shutil
import subprocess
import re
import sys
import unicodedata
import _sre
from re import _compiler

MAX = 0x110000


def ranges(pred):
    out, start = [], None
    for c in range(MAX):
        if pred(c):
            if start is None:
                start = c
        elif start is not None:
            out += [start, c - 1]
            start = None
    if start is not None:
        out += [start, MAX - 1]
    return out


def runs(fn):
    """[start, count, stride, delta] runs over the code points c where fn(c) != c."""
    pairs = [(c, fn(c) - c) for c in range(MAX) if fn(c) != c]
    out, i = [], 0
    while i < len(pairs):
        c, d = pairs[i]
        stride = pairs[i + 1][0] - c if i + 1 < len(pairs) and pairs[i + 1][1] == d else 1
        n = 1
        while i + n < len(pairs) and pairs[i + n] == (c + n * stride, d):
            n += 1
        out.append([c, n, stride, d])
        i += n
    return out


def match(p):
    rx = re.compile(p)
    return lambda c: rx.match(chr(c)) is not None


def simple_upper(c):
    """Only used for the RANGE_UNI_IGNORE test, where every character involved has one-char cases."""
    u = chr(c).upper()
    return ord(u) if len(u) == 1 else c


tables = {
    "python": sys.version.split()[0],
    "unicode": unicodedata.unidata_version,
    "word": ranges(match(r"\w")),
    "digit": ranges(match(r"\d")),
    "space": ranges(match(r"\s")),
    "cased": ranges(lambda c: _sre.unicode_iscased(c)),
    "lower": runs(_sre.unicode_tolower),
    "upper": runs(simple_upper),
    "fixes": [[k, *v] for k, v in sorted(_compiler._EXTRA_CASES.items())],
}
with open("src/ops/regex/_unicode_tables.json", "w") as f:
    json.dump(tables, f, separators=(",", ":"))
    f.write("\n")

# The repository's formatter owns the layout of checked-in JSON.
if shutil.which("deno"):
    subprocess.run(["deno", "fmt", "--quiet", "src/ops/regex/_unicode_tables.json"], check=True)
