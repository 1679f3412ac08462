"""What both peer runners share: the per-file report, the loop over files, the table."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable


@dataclass
class FileReport:
    """Result of one external file."""

    file: str
    in_scope: int = 0
    passed: int = 0
    failed: int = 0
    found_by_patterns: int = 0
    convention: int = 0  # failed cases that pass read the upstream way (through_extract.py)
    out_of_scope: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.passed / self.in_scope if self.in_scope else 0.0

    @property
    def out_of_scope_count(self) -> int:
        return sum(self.out_of_scope.values())


def run_files(external_dir: Path, readers: Iterable[tuple[str, Callable]], check: Callable, find) -> list[FileReport]:
    """Read each file's cases with its reader and check them; one report per file."""
    reports = []
    for name, reader in readers:
        report = FileReport(name)
        for case in reader(Path(external_dir) / name, report):
            check(case, report, find)
        reports.append(report)
    return reports


def format_table(reports: list[FileReport]) -> str:
    """A plain-text table: per file, cases in scope, passed, failed, rate, cases our
    patterns found, out-of-scope counts by reason; then every failure."""
    lines = [f"{'file':<34} {'in_scope':>8} {'passed':>7} {'failed':>7} {'rate':>6} {'found':>6} {'out':>5}"]
    for r in reports:
        lines.append(f"{r.file:<34} {r.in_scope:>8} {r.passed:>7} {r.failed:>7} {r.rate:>6.1%} "
                     f"{r.found_by_patterns:>6} {r.out_of_scope_count:>5}")
        if r.convention:
            lines.append(f"    failed by convention only (pass read the upstream way): {r.convention}")
        for reason, count in sorted(r.out_of_scope.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"    out of scope: {reason}: {count}")
    for r in reports:
        for text, expected, got in r.failures:
            lines.append(f"  FAIL {r.file}: {text[:90]!r} expected {expected} got {got}")
    return "\n".join(lines)
