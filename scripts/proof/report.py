"""The table `make proof` prints, and the mail count behind its "duplicate mails" column."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_string
from email.header import decode_header, make_header
from pathlib import Path

from .load import Record

SEPARATOR = "-" * 79


@dataclass
class Row:
    scenario: str
    requests: int = 0
    errors: int = 0  # 5xx other than a deliberate 503, no answer, or an unexpected status
    acked: int | str = "—"
    found: int | str = "—"
    duplicates: int | str = "—"
    p50: float | None = None
    p95: float | None = None
    notes: list[str] = field(default_factory=list)
    passed: bool = True

    def fail(self, why: str) -> None:
        self.passed = False
        self.notes.append(f"FAIL: {why}")


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def fill_requests(row: Row, records: list[Record], *, allow_503: bool = False) -> None:
    row.requests += len(records)
    for record in records:
        if record.status == 0 or (
            record.status >= 500 and not (allow_503 and record.status == 503)
        ):
            row.errors += 1
    latencies = [r.seconds for r in records if r.status]
    row.p50, row.p95 = percentile(latencies, 0.50), percentile(latencies, 0.95)


def mails(folder: Path) -> list[dict]:
    """Every message Django's file backend wrote (one file per connection, messages
    separated by a line of 79 dashes)."""
    found = []
    for path in sorted(folder.glob("*.log")) if folder.exists() else []:
        for chunk in path.read_text(errors="replace").split(f"\n{SEPARATOR}\n"):
            if not chunk.strip():
                continue
            message = message_from_string(chunk.lstrip("\n"))
            body = message.get_payload(decode=False)
            if isinstance(body, list):
                body = "".join(str(part.get_payload()) for part in body)
            subject = str(make_header(decode_header(message.get("Subject", ""))))
            found.append(
                {
                    "to": message.get("To", ""),
                    "subject": subject,
                    "digest": hashlib.sha256(str(body).encode()).hexdigest(),
                }
            )
    return found


def duplicate_mails(messages: list[dict]) -> int:
    """The same mail (recipient, subject, body) more than once: a re-sent message."""
    counts = Counter((m["to"], m["subject"], m["digest"]) for m in messages)
    return sum(n - 1 for n in counts.values() if n > 1)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value * 1000:.0f} ms"


def table(rows: list[Row]) -> str:
    head = [
        "scenario",
        "requests",
        "errors",
        "acknowledged writes",
        "writes found afterwards",
        "duplicate mails",
        "p50",
        "p95",
        "result",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for row in rows:
        cells = [
            row.scenario,
            f"{row.requests:,}",
            str(row.errors),
            str(row.acked),
            str(row.found),
            str(row.duplicates),
            _ms(row.p50),
            _ms(row.p95),
            "pass" if row.passed else "FAIL",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    notes = [f"- {row.scenario}: {note}" for row in rows for note in row.notes]
    return "\n".join(lines + ([""] + notes if notes else []))
