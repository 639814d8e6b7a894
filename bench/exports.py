"""Export speed and memory: the project register at 10k and 100k projects, ours beside the bare writers.

    .venv/bin/python bench/exports.py [--sizes 10000 100000] [--keep DIR]

Builds a scratch database (SQLite in a temporary folder, or the PostgreSQL database DATABASE_URL names —
it is migrated and filled, so give it a scratch one) with N projects of 40 units, some named like
formulas, then measures, each in a fresh process (so peak RSS is the export's own):

  ours-xlsx   ProjectExporter.iter_rows → writers.write_xlsx (openpyxl write-only, formatted, safe cells)
  ours-csv    ProjectExporter.iter_rows → writers.iter_csv (the chunks the streaming response sends)
  plain-xlsx  the same rows (the exporter's own query, values dicts) appended raw to an openpyxl
              write-only sheet — no formatting, no formula escaping
  plain-csv   the same rows written raw with csv.writer

and prints rows/s, seconds, the ratio to the plain writer of the same format (goal ≤ 1.5×) and peak RSS
(goal < 100 MB at 100k), plus the process's RSS before the export started (Django and the apps loaded).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VARIANTS = ("ours-xlsx", "ours-csv", "plain-xlsx", "plain-csv")


def _setup(db_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("GOVINFO_VAR_DIR", db_dir)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{db_dir}/bench.sqlite3")
    import django

    django.setup()


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return 0.0


def _rss_mb() -> float:
    return _status_mb("VmRSS:")


def _peak_mb() -> float:
    # VmHWM belongs to this process's own memory map, which exec starts afresh; getrusage's ru_maxrss does not:
    # Linux carries the parent's high-water mark over exec, so every child would report the filling parent's peak.
    return _status_mb("VmHWM:")


def _auditor():
    from govinfo.orgs.models import Agency, Membership, Role
    from tests.factories import UserFactory

    user = UserFactory(username="bench-auditor")
    audit = Agency.objects.filter(code="audit").first()
    Membership.objects.get_or_create(user=user, role=Role.AUDITOR, agency=audit)
    return user


def fill(total: int) -> None:
    """Grow the database to ``total`` projects (keeping what is there), in bulk."""
    import datetime as dt
    import random
    from decimal import Decimal

    from django.utils import timezone

    from govinfo.orgs.credit_code import make_credit_code
    from govinfo.orgs.models import Unit
    from projects.models import ApprovalPath, Category, FundChannel, Mode, Project, State
    from tests.factories import UserFactory

    clerk = UserFactory(username="bench-clerk")
    units = list(Unit.objects.filter(name__startswith="基准测试单位"))
    for n in range(len(units), 40):
        units.append(
            Unit.objects.create(
                name=f"基准测试单位{n:02d}",
                short_name=f"基准{n:02d}",
                credit_code=make_credit_code(f"11510000MB9{n:06d}"),
            )
        )
    have = Project.objects.count()
    rng = random.Random(have)
    states = [State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.EVALUATION, State.APPROVED, State.RETURNED]
    channels = [value for value, _label in FundChannel.choices]
    now = timezone.now()
    batch = []
    for i in range(have, total):
        state = rng.choice(states)
        submitted = None if state == State.DRAFT else now - dt.timedelta(days=rng.randint(0, 900))
        name = f"四川省基准测试业务系统第{i}号" if i % 50 else f'=HYPERLINK("http://x/{i}","第{i}号")'
        batch.append(
            Project(
                code=f"川政信-B{i // 10000:02d}-{i:06d}" if submitted else None,
                name=name,
                year=2020 + i % 7,
                category=rng.choice(Category.values),
                lead_unit=units[i % len(units)],
                implementation_mode=rng.choice(Mode.values),
                approval_path=ApprovalPath.ONE_STEP,
                total_investment=Decimal(rng.randint(500_000, 90_000_000)),
                om_funding=Decimal(rng.randint(0, 2_000_000)),
                fund_channels=rng.sample(channels, rng.randint(1, 2)),
                state=state,
                first_submitted_at=submitted,
                submitted_at=submitted,
                created_by=clerk,
            )
        )
        if len(batch) == 5000:
            Project.objects.bulk_create(batch)
            batch = []
    if batch:
        Project.objects.bulk_create(batch)


def _plain(value):
    if isinstance(value, list):
        return json.dumps(value)
    if getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    return value


def measure(variant: str, out_dir: str) -> dict:
    """Run one export in this process; what it took."""
    import csv

    from openpyxl import Workbook

    from govinfo.exports import registry, writers

    user = _auditor()
    exporter = registry.get("projects")
    rss_before = _rss_mb()
    target = Path(out_dir) / f"{variant}.{variant.split('-')[1]}"
    start = time.perf_counter()
    if variant == "ours-xlsx":
        rows = writers.write_xlsx(
            target, exporter.headers(), exporter.iter_rows(user, {}), title="项目清单", widths=[16] * 19
        )
    elif variant == "ours-csv":
        rows = 0
        with open(target, "wb") as handle:
            counted = writers._Counter(exporter.iter_rows(user, {}))
            for chunk in writers.iter_csv(exporter.headers(), counted):
                handle.write(chunk)
            rows = counted.count
    elif variant == "plain-xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("projects")
        sheet.append(exporter.headers())
        rows = 0
        for row in exporter.queryset(user, {}).iterator(chunk_size=registry.ITERATOR_CHUNK):
            # only what openpyxl cannot take as it is: a list, an aware datetime
            sheet.append([_plain(v) for v in row.values()])
            rows += 1
        workbook.save(target)
    else:  # plain-csv
        rows = 0
        with open(target, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(exporter.headers())
            for row in exporter.queryset(user, {}).iterator(chunk_size=registry.ITERATOR_CHUNK):
                writer.writerow(row.values())
                rows += 1
    seconds = time.perf_counter() - start
    peak = _peak_mb()
    return {
        "variant": variant,
        "rows": rows,
        "seconds": seconds,
        "rss_before_mb": rss_before,
        "peak_mb": peak,
        "bytes": target.stat().st_size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--keep", help="use (and keep) this folder for the SQLite database and files")
    parser.add_argument("--repeat", type=int, default=3, help="runs per variant; the fastest counts")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        _setup(args.db_dir)
        print(json.dumps(measure(args.child, args.db_dir)))
        return

    work = args.keep or tempfile.mkdtemp(prefix="govinfo-bench-exports-")
    Path(work).mkdir(parents=True, exist_ok=True)
    _setup(work)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    import openpyxl

    print(
        f"database: {connection.vendor} ({connection.settings_dict['NAME']}); openpyxl with lxml: {openpyxl.LXML}"
    )
    print(
        f"{'projects':>9} {'variant':<11} {'rows/s':>9} {'seconds':>8} {'× plain':>8} {'peak MB':>8} {'base MB':>8}"
    )
    for size in sorted(args.sizes):
        started = time.perf_counter()
        fill(size)
        filled = time.perf_counter() - started
        results = {}
        # Interleaved runs, the fastest of each counts: a shared machine's noise only ever adds time.
        for _run in range(args.repeat):
            for variant in VARIANTS:
                env = {**os.environ, "GOVINFO_VAR_DIR": work}
                out = subprocess.run(
                    [sys.executable, __file__, "--child", variant, "--db-dir", work],
                    capture_output=True,
                    text=True,
                    env=env,
                    check=True,
                )
                result = json.loads(out.stdout.strip().splitlines()[-1])
                best = results.get(variant)
                if best is None or result["seconds"] < best["seconds"]:
                    results[variant] = {
                        **result,
                        "peak_mb": max(result["peak_mb"], (best or result)["peak_mb"]),
                    }
        for variant in VARIANTS:
            result = results[variant]
            plain = results["plain-" + variant.split("-")[1]]
            ratio = result["seconds"] / plain["seconds"]
            print(
                f"{size:>9} {variant:<11} {result['rows'] / result['seconds']:>9,.0f} {result['seconds']:>8.2f}"
                f" {ratio:>7.2f}× {result['peak_mb']:>8.1f} {result['rss_before_mb']:>8.1f}"
            )
        print(f"{'':>9} (filled to {size} projects in {filled:.1f} s)")


if __name__ == "__main__":
    main()
