"""The hash chain that makes the audit trail prove itself.

Each event's ``hash`` is the SHA-256 of its canonical content — every stored column that says what
happened, who, when, to what, in which case — together with its place (``seq``) and the hash of the
event before it (``prev_hash``; the first event links to ``GENESIS``). Change one byte of one row, remove a
row, move a row or slip a forged one in between, and from that row on the chain no longer adds up.

Appends are serialised: ``append`` locks the ``ChainHead`` row (``select_for_update``; SQLite's
write lock does the same), reads the end of the chain, writes the event and moves the head, all in the
caller's transaction. Two concurrent events therefore never claim the same place or fork the chain; the
second waits until the first commits.

``verify`` walks the chain in ``seq`` order, in chunks (memory flat at millions of events), and names
the first broken or missing link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent, ChainHead

GENESIS = "0" * 64
HEAD_ID = 1

# The columns an event's hash covers, in the order the canonical form lists them.
HASHED = (
    "seq",
    "prev_hash",
    "created_at",
    "actor_id",
    "action",
    "target_type_id",
    "target_id",
    "target_repr",
    "from_state",
    "to_state",
    "details",
    "ip_address",
    "case_type_id",
    "case_id",
)


def _moment(value: dt.datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _address(value: str | None) -> str:
    if not value:
        return ""
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return str(value)


def canonical(values: dict) -> bytes:
    """The bytes an event's hash is taken over: its hashed columns as sorted, compact JSON (UTF-8)."""
    content = {
        "seq": int(values["seq"]),
        "prev_hash": values["prev_hash"],
        "created_at": _moment(values["created_at"]),
        "actor_id": values["actor_id"],
        "action": values["action"],
        "target_type_id": values["target_type_id"],
        "target_id": values["target_id"] or "",
        "target_repr": values["target_repr"] or "",
        "from_state": values["from_state"] or "",
        "to_state": values["to_state"] or "",
        "details": values["details"] if values["details"] is not None else {},
        "ip_address": _address(values["ip_address"]),
        "case_type_id": values["case_type_id"],
        "case_id": values["case_id"] or "",
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_hash(values: dict) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def _values_of(event: AuditEvent) -> dict:
    return {name: getattr(event, name) for name in HASHED}


def _locked_head() -> ChainHead:
    """The head row, locked for this transaction; created from the chain's last event if missing."""
    head = ChainHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is None:
        last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first() or {
            "seq": 0,
            "hash": GENESIS,
        }
        try:
            # In a savepoint: another transaction may create the head (and append to the chain) between our
            # read of the last event and this insert; the head trigger then refuses our stale head, and the
            # other's head is the one to lock (on PostgreSQL the insert waits for that transaction first).
            with transaction.atomic():
                ChainHead.objects.bulk_create(
                    [ChainHead(id=HEAD_ID, seq=last["seq"], hash=last["hash"])], ignore_conflicts=True
                )
        except DatabaseError:
            if not ChainHead.objects.filter(pk=HEAD_ID).exists():
                raise
        head = ChainHead.objects.select_for_update().get(pk=HEAD_ID)
    return head


def append(event: AuditEvent) -> AuditEvent:
    """Give ``event`` (not yet saved) its place at the end of the chain and save it there."""
    with transaction.atomic():
        head = _locked_head()
        event.seq = head.seq + 1
        event.prev_hash = head.hash
        # Taken under the lock, so the chain's times never run backwards.
        event.created_at = timezone.now()
        event.hash = event_hash(_values_of(event))
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


# -- verification ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    seq: int
    kind: str  # missing | content | link | time | head
    message: str
    event_id: int | None = None


@dataclass
class Report:
    checked: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    head_seq: int | None = None
    head_hash: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def summary(self) -> str:
        if self.ok:
            return _("审计链完整：共 %(n)d 条记录，链头第 %(seq)d 条，哈希 %(hash)s。") % {
                "n": self.checked,
                "seq": self.last_seq,
                "hash": self.last_hash,
            }
        return _("审计链在第 %(seq)d 条处断开：%(message)s") % {
            "seq": self.first.seq,
            "message": self.first.message,
        }


def _rows(chunk: int) -> Iterator[dict]:
    columns = ("id", "hash", *HASHED)
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq").values(*columns)[:chunk])
        if not rows:
            return
        yield from rows
        last = rows[-1]["seq"]


def verify(*, limit_problems: int = 20, chunk: int = 2000) -> Report:
    """Walk the whole chain; every problem found (up to ``limit_problems``), the first one first."""
    report = Report()
    expected_seq = 1
    previous_hash = GENESIS
    previous_time = None

    def problem(seq: int, kind: str, message: str, event_id: int | None = None) -> bool:
        report.problems.append(Problem(seq, kind, message, event_id))
        return len(report.problems) >= limit_problems

    for row in _rows(chunk):
        seq = row["seq"]
        report.checked += 1
        if seq != expected_seq:
            missing = (
                _("第 %(seq)d 条记录缺失") % {"seq": expected_seq}
                if seq == expected_seq + 1
                else _("第 %(first)d 至 %(last)d 条记录缺失") % {"first": expected_seq, "last": seq - 1}
            )
            if problem(expected_seq, "missing", _("%(missing)s（被删除）。") % {"missing": missing}):
                break
        if row["prev_hash"] != previous_hash:
            if problem(
                seq,
                "link",
                _(
                    "第 %(seq)d 条记录与它前面的第 %(prev)d 条之间的链接断开"
                    "（前一条被删除、改动后重算哈希、替换或重排）。"
                )
                % {"seq": seq, "prev": seq - 1},
                row["id"],
            ):
                break
        if event_hash(row) != row["hash"]:
            if problem(
                seq,
                "content",
                _("第 %(seq)d 条记录的内容与其哈希不符（记录被改动）。") % {"seq": seq},
                row["id"],
            ):
                break
        if previous_time is not None and row["created_at"] < previous_time:
            if problem(
                seq,
                "time",
                _("第 %(seq)d 条记录的时间早于前一条（记录被重排或倒签）。") % {"seq": seq},
                row["id"],
            ):
                break
        expected_seq = seq + 1
        previous_hash = row["hash"]
        previous_time = row["created_at"]
        report.last_seq, report.last_hash = seq, row["hash"]

    head = ChainHead.objects.filter(pk=HEAD_ID).values("seq", "hash").first()
    if head is not None and len(report.problems) < limit_problems:
        report.head_seq, report.head_hash = head["seq"], head["hash"]
        if head["seq"] > report.last_seq:
            report.problems.append(
                Problem(
                    report.last_seq + 1,
                    "missing",
                    _("链头登记到第 %(head)d 条，链上只到第 %(last)d 条：末尾的记录被删除。")
                    % {"head": head["seq"], "last": report.last_seq},
                )
            )
        elif head["seq"] < report.last_seq:
            report.problems.append(
                Problem(
                    head["seq"] + 1,
                    "head",
                    _("第 %(seq)d 条之后的记录不在链头登记之内（补录或伪造）。") % {"seq": head["seq"]},
                )
            )
        elif head["hash"] != report.last_hash:
            report.problems.append(
                Problem(report.last_seq, "head", _("链头哈希与最后一条记录不符（链头被改动）。"))
            )
    report.problems.sort(key=lambda p: p.seq)
    return report
