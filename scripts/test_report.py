"""Turn an Odoo test log into a verdict and the line ``N passed, N failed``.

Usage: python test_report.py LOG ODOO_EXIT_CODE

Odoo exits 0 when a tour is skipped or when no test ran at all, so this
script reads the log itself and fails (exit 1) on:
- a failed or erroring test (Odoo's own summary line, ``odoo.tests.result``);
- any ERROR or CRITICAL log line (installing the addon included);
- any skipped test (a tour without Chromium or websocket-client);
- a run that executed no test, or fewer than ``.ci/min_tests`` holds.
The last line printed is always ``N passed, N failed``.
"""

import pathlib
import re
import sys

LOG_LINE = re.compile(
    r"^\S+ \S+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>\S+): (?P<msg>.*)$"
)
SUMMARY = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) "
    r"of (?P<total>\d+) tests when loading"
)
SKIPPED = re.compile(r"^skipped \S+ : ")


def main(log_path, odoo_rc):
    lines = pathlib.Path(log_path).read_text(errors="replace").splitlines()
    problems = []
    summary = None
    for line in lines:
        match = LOG_LINE.match(line)
        if not match:
            continue
        level, logger, msg = match["level"], match["logger"], match["msg"]
        found = SUMMARY.search(msg) if logger == "odoo.tests.result" else None
        if found:
            summary = found
            continue
        if level in ("ERROR", "CRITICAL"):
            problems.append(f"{level} line: {line[:300]}")
        elif SKIPPED.match(msg):
            problems.append(f"skipped test (not allowed): {msg[:300]}")

    if summary is None:
        problems.append(
            "no test summary in the log: Odoo stopped before running the tests"
        )
        total = failed = 0
    else:
        total = int(summary["total"])
        failed = int(summary["failed"]) + int(summary["errors"])
    passed = total - failed

    floor_file = pathlib.Path(__file__).resolve().parent.parent / ".ci" / "min_tests"
    floor = int(floor_file.read_text().split()[0]) if floor_file.exists() else 1
    if total < max(floor, 1):
        problems.append(
            f"only {total} tests ran; at least {max(floor, 1)} expected (.ci/min_tests)"
        )
    if odoo_rc != 0:
        problems.append(f"Odoo exited with code {odoo_rc}")

    for problem in problems:
        print(f"FAIL: {problem}")
    print(f"{passed} passed, {failed} failed")
    return 1 if problems or failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
