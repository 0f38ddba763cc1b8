#!/usr/bin/env python3
"""Write tests/differential/regex_expected.json: what CPython's `re` answers per case.

Cases come from three places, each case saying which in its "source" field:
  - "hand": adversarial cases written for rlm (below);
  - "re_tests": every str case of CPython's Lib/test/re_tests.py (`tests`), imported from this
    Python's own test package (python/cpython, Lib/test/re_tests.py);
  - "test_re": every (pattern, subject) pair with str arguments that CPython's Lib/test/test_re.py
    passes to re.search/match/fullmatch/findall/finditer/compile while its suite runs here
    (recorded by wrapping those functions; subjects longer than 2,000 characters are dropped).

For each case the oracle records, over the lines of the subject (split at "\\n"; a final "\\n"
ends the last line and starts none): the indices of the lines where re.search matches, and the
total number of re.finditer matches; or that re.compile rejects the pattern.

Run: python3 tools/gen_regex_expectations.py   (CPython 3.11, the version rlm's docs name)
"""
import io
import json
import shutil
import subprocess
import re
import sys
import unittest
import warnings

HAND = [
    # The examples.
    (r"(?i)timed? ?out", "Request timed out\nTIMEOUT\ntime out\nTimed  out\n", False),
    (r"timed? ?out", "Request TIMED OUT\ntimeout\n", True),
    (r"[0-9a-f]{40}", "commit " + "0123456789abcdef" * 3 + "\n" + "ab" * 19 + "\n", False),
    (r".{0,200}x", "a" * 250 + "x\n" + "b" * 10 + "\n", False),
    (r"^.{1,1000}$", "y" * 1000 + "\n" + "y" * 1001 + "\n\n", False),
    (r"\d{40}", "1" * 39 + "\n" + "2" * 41 + "\n", False),
    (r"a{16}b{17}", "a" * 16 + "b" * 17 + "\n", False),
    (r"(?:ab){2,5}c", "ababababababc\nabc\n", False),
    (r"x{2,5}?y", "xxxxxxy\n", False),
    (r"\07", "\x07\n7\n", False),
    (r"\0", "\x00\n0\n", False),
    (r"\141\1410", "aa0\n", False),
    (r"[\1-\3]", "\x02\n1\n", False),
    (r"\s", "a\tb\nab\n\x1c\n\x85\n\u2028\n\u00a0\n\u200b\n\ufeff\n", False),
    (r"\S+", " \x1f x\n", False),
    (r"^.$", "\r\n\u2028\n\u0085\n😀\n\U0001F600\U0001F600\nab\n", False),
    (r"^$", "a\n\n\r\n\n", False),
    (r"^\r$", "\r\nx\r\n", False),
    (r"\A\Z", "\n\r\n", False),
    (r"a\Z", "a\r\na\n", False),
    (r"\Aa", "\ra\na\n", False),
    (r"a$", "a\r\nba\n", False),
    (r"a\x0ab", "a\nb\nab\n", False),
    (r"a\n?b", "ab\na\nb\n", False),
    (r"[^a]", "a\n\n b\n", False),
    (r"(?i)[а-я]+", "ПРИВЕТ\nмир\nXYZ\n", False),
    (r"(?i)ǅ", "Ǆ\nǆ\nǅ\n", False),
    (r"(?i)σ", "Σ\nς\nσ\n", False),
    (r"(?i)k", "K\nK\nk\n", False),
    (r"(?i)s", "ſ\nS\n", False),
    (r"(?i)[k-m]", "K\n\n", False),
    (r"(?i)i", "İ\nı\nI\n", False),
    (r"(?i)ß", "ẞ\nSS\nß\n", False),
    (r"(?i)[^k]", "K\nx\n", False),
    (r"(?i)𐐀", "𐐨\n𐐀\n", False),
    (r"(?i)[𐐀x]", "𐐨\n𐐀\nX\n", False),
    (r"(?i)[𐐀-𐐏]", "𐐨\n𐐀\n", False),
    (r"(?ia)k", "K\nk\n", False),
    (r"(?a)\w+", "héllo\n", False),
    (r"\w+", "héllo\n٣\n_\n", False),
    (r"\d", "٣\n²\n", False),
    (r"a{,}", "aaa\n\n", False),
    (r"a{,2}b", "aaab\n", False),
    (r"a{}", "a{}\n", False),
    (r"a{1", "a{1\n", False),
    (r"a{1,2", "a{1,2\n", False),
    (r"x{2}{3}", "xxxxxx\n", False),
    (r"(?x) a b # comment", "ab\na b\n", False),
    (r"(?x)a\ b", "a b\nab\n", False),
    (r"(?x)a [ ] b", "a b\nab\n", False),
    (r"(?x)a\tb", "a\tb\n", False),
    (r"a(?x) b", "ab\n", False),
    (r"(?x:a b)c d", "abc d\n", False),
    (r"(?i:a)b", "Ab\nAB\n", False),
    (r"(?i)a(?-i:b)", "AB\nAb\n", False),
    (r"\bfoo\b", "foo\nfoobar\n(foo)\nfoo_\n éfoo\n", False),
    (r"\bfoo", "xfoo\n-foo\n", False),
    (r"foo\b", "foo bar\nfoox\n", False),
    (r"\Bfoo", "xfoo\n foo\n", False),
    (r"oo\B", "foo\nfoox\n", False),
    (r"\b\d+\b", "12 a34 56\n", False),
    (r"\w+\b", "héllo wörld\n", False),
    (r"\b(error|warn)\b", "error: x\nwarning\nwarn\n", False),
    (r"\b", "\n \nx\n", False),
    (r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Z|a-z]{2,}\b", "mail bob.x@ex.com now\nx_bob@ex.co\n-a@b.cc\n.@x.yy\n", False),
    (r"\b.", "ab\n-\n é\n", False),
    (r"x\b.", "x-\nxa\nx\n", False),
    (r"\B[\w-]+", "a-b\n-x\n", False),
    (r"\b\S{2,3}", "ab-cd\n--\n", False),
    (r"\b(?:a|-)", "-a\n", False),
    (r"\B", "\n \nx\nxx\n", False),
    (r"a\b$", "a\nab\n", False),
    (r"(?<=a)b", "ab\nb\ncb\n", False),
    (r"(?<!a)b", "ab\nb\ncb\n", False),
    (r"(?<=😀)x", "😀x\nx\n", False),
    (r"(?<=a|bc)d", "ad\nbcd\ncd\n", False),
    (r"(?<=a+)b", "ab\n", False),
    (r"(?=a)", "a\n", False),
    (r"(a)\1", "aa\n", False),
    (r"(?P<n>a)(?P=n)", "aa\n", False),
    (r"(?>a+)b", "aab\n", False),
    (r"a++b", "aab\n", False),
    (r"(?(1)a|b)", "a\n", False),
    (r"\N{DIGIT ONE}", "1\n", False),
    (r"\p{L}", "a\np{L}\n", False),
    (r"[[:alpha:]]", "a\n:\n[\n", False),
    (r"(?i)a|(?m)b", "a\n", False),
    (r"(?L)a", "a\n", False),
    (r"(?u)\w", "é\n", False),
    (r"\x4", "x\n", False),
    (r"\u00e9", "é\n", False),
    (r"\U0001F600", "😀\n", False),
    (r"\U00110000", "x\n", False),
    (r"\400", "x\n", False),
    (r"[\400]", "x\n", False),
    (r"\8", "8\n", False),
    (r"[\8]", "8\n", False),
    (r"\q", "q\n", False),
    (r"\é", "é\n", False),
    (r"a**", "a\n", False),
    (r"^*", "a\n", False),
    (r"", "\n\na\n", False),
    (r"x*", "ab\n\nxx\n😀\n", False),
    (r"a|", "ab\n", False),
    (r"a??", "aa\n", False),
    (r"(a|ab)(c|bcd)(d*)", "abcd\n", False),
    (r"(?:a*)*b", "aaab\n", False),
    (r"(?:a|)*b", "ab\n", False),
    (r"(a*)+$", "aaaa\n", False),
    (r"(a+)+b", "a" * 18 + "\n", False),
    (r"(x+x+)+y", "x" * 12 + "\n", False),
    (r"(?:\w+\s?)*$", "a" * 16 + "!\n", False),
    (r"[^\W\d]+", "ab12cd\n", False),
    (r"[\w-]+", "a-b\n", False),
    (r"[a-]", "-\n", False),
    (r"[]a]", "]\n", False),
    (r"[^]a]", "]\nb\n", False),
    (r"[\b]", "\b\n", False),
    (r"[z-a]", "a\n", False),
    (r"[\d-z]", "a\n", False),
    (r"(?P<1>a)", "a\n", False),
    (r"(?P<a>x)(?P<a>y)", "xy\n", False),
    (r".", "😀\n\x00\n\r\n", False),
    (r"\x00", "\x00\n", False),
    (r"[\x00-\x1f]", "\t\n\x7f\n", False),
    (r"😀+", "😀😀\n😁\n", False),
    (r"[😀-😂]", "😁\n😃\n", False),
    (r"[^😀]", "😀\n😁\n", False),
    (r"ERROR|WARN", "ERROR x\nWARN y\ninfo\n", False),
    (r"(?i)error", "ERROR\nErRoR\nerr\n", False),
    (r"\d{4}-\d{2}-\d{2}", "2024-01-02\n24-1-2\n", False),
    (r"[A-Z]{3,}", "AB\nABC\n", False),
    (r"\$\d+\.\d\d", "$12.50\n12.50\n", False),
    (r"a.c", "a\u2028c\na\u2029c\na\x85c\n", False),
]


def lines_of(text):
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return parts


def oracle(pattern, subject, ignore_case):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rx = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except (re.error, OverflowError, RecursionError, ValueError):
        return {"error": True}
    found, count = [], 0
    for i, line in enumerate(lines_of(subject)):
        if rx.search(line):
            found.append(i)
        count += sum(1 for _ in rx.finditer(line))
    return {"lines": found, "count": count}


def re_tests_cases():
    from test import re_tests
    for t in re_tests.tests:
        pattern, subject = t[0], t[1]
        if isinstance(pattern, str) and isinstance(subject, str):
            yield ("re_tests", pattern, subject, False)


def test_re_cases():
    seen = []
    names = ["search", "match", "fullmatch", "findall", "finditer", "compile", "split", "sub"]
    originals = {n: getattr(re, n) for n in names}

    def wrap(name):
        def f(pattern, *args, **kwargs):
            flags = kwargs.get("flags", 0)
            if isinstance(pattern, str):
                subject = args[0] if name not in ("compile", "sub") else (args[1] if name == "sub" and len(args) > 1 else "")
                if name == "compile" and args:
                    flags = args[0]
                elif name in ("search", "match", "fullmatch", "findall", "finditer", "split") and len(args) > 1:
                    flags = args[-1] if isinstance(args[-1], (int, re.RegexFlag)) else 0
                if isinstance(subject, str) and len(subject) <= 2000:
                    if not (int(flags) & ~int(re.IGNORECASE | re.MULTILINE | re.DOTALL | re.UNICODE)):
                        seen.append((pattern, subject, bool(int(flags) & re.IGNORECASE)))
            return originals[name](pattern, *args, **kwargs)
        return f

    for n in names:
        setattr(re, n, wrap(n))
    try:
        from test import test_re
        suite = unittest.defaultTestLoader.loadTestsFromModule(test_re)
        unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)
    finally:
        for n, f in originals.items():
            setattr(re, n, f)
    for p, s, i in seen:
        yield ("test_re", p, s, i)


def main():
    cases, keys = [], set()
    sources = [(("hand", p, s, i) for p, s, i in HAND), re_tests_cases(), test_re_cases()]
    for gen in sources:
        for source, pattern, subject, ic in gen:
            key = (pattern, subject, ic)
            if key in keys or any(0xD800 <= ord(c) <= 0xDFFF for c in pattern + subject):
                continue
            keys.add(key)
            cases.append({"source": source, "pattern": pattern, "subject": subject,
                          "ignore_case": ic, "expect": oracle(pattern, subject, ic)})
    out = {"python": sys.version.split()[0], "cases": cases}
    with open("tests/differential/regex_expected.json", "w") as f:
        json.dump(out, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()

# The repository's formatter owns the layout of checked-in JSON.
if shutil.which("deno"):
    subprocess.run(["deno", "fmt", "--quiet", "tests/differential/regex_expected.json"], check=True)
