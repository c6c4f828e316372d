"""Signed checkpoints of the trails (R45; issue 14 §2): every chain's head and count, kept apart from the rows.

A checkpoint is a gzip file of JSON lines under ``settings.CHECKPOINT_DIR`` (the application's file system, which
no database role can write): a first line with the time and, per table, its rows, its last id and its chains; then
one line per chain ``[table, chain, count, head id, head hash]``. Beside it ``<file>.sig`` holds the SHA-256 of the
uncompressed lines (the digest over all heads) and its HMAC with ``CHAIN_KEY`` (the signature). A ``Checkpoint``
row shows the same on the admin for an outside auditor. Files are written once, read-only, never rewritten.

``verify`` walks each chain (``core.chain.walk``) and compares it with the last checkpoint; it names the first row
that differs (table, chain, id), each chain shorter than its checkpointed count or whose head is gone (a missing
tail), and rows deleted or a table truncated (fewer rows up to the checkpoint's last id than it counted). With
``since=True`` it checks only rows added since the checkpoint (they link to the checkpointed heads) and the counts.
"""

import gzip
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from . import chain
from .models import Checkpoint

PREFIX, SUFFIX = "checkpoint-", ".jsonl.gz"


@dataclass
class Loaded:
    """A checkpoint read back from its file, signature checked."""

    name: str
    at: str
    tables: dict
    heads: dict  # table name → {chain: chain.Head}


@dataclass
class Report:
    """What a check found: ``problems`` (each naming table, chain, row) and one line per table that is intact."""

    problems: list[str] = field(default_factory=list)
    intact: list[str] = field(default_factory=list)
    checkpoint: Loaded | None = None

    def __bool__(self) -> bool:
        return not self.problems


class CheckpointError(Exception):
    pass


def _sign(digest: str) -> str:
    return hmac.new(settings.CHAIN_KEY.encode(), f"checkpoint {digest}".encode(), hashlib.sha256).hexdigest()


def _files() -> list[Path]:
    folder = Path(settings.CHECKPOINT_DIR)
    return sorted(folder.glob(f"{PREFIX}*{SUFFIX}")) if folder.exists() else []


def latest() -> Loaded | None:
    """The last checkpoint on disk, or None when there is none; ``CheckpointError`` when its file or signature was
    altered, or when the admin's last checkpoint names a file that is gone."""
    files = _files()
    row = Checkpoint.objects.order_by("-at", "-id").first()
    if row is not None and not (Path(settings.CHECKPOINT_DIR) / row.file).exists():
        raise CheckpointError(f"the last checkpoint ({row.file}, {row.at:%Y-%m-%d %H:%M}) is missing from its folder")
    if not files:
        return None
    path = files[-1]
    body = gzip.decompress(path.read_bytes())
    try:
        sig = json.loads(Path(f"{path}.sig").read_text())
    except (OSError, ValueError) as error:
        raise CheckpointError(f"checkpoint {path.name}: its signature file is missing or unreadable") from error
    digest = hashlib.sha256(body).hexdigest()
    if digest != sig.get("digest") or not hmac.compare_digest(_sign(digest), sig.get("signature", "")):
        raise CheckpointError(f"checkpoint {path.name}: its digest or signature does not verify")
    lines = body.decode().splitlines()
    header = json.loads(lines[0])
    heads: dict = {name: {} for name in header["tables"]}
    for line in lines[1:]:
        table, key, count, head_id, head_hash = json.loads(line)
        heads[table][key] = chain.Head(count, head_id, head_hash)
    return Loaded(name=path.name, at=header["at"], tables=header["tables"], heads=heads)


def _short_chains(model, max_id: int, marks: dict) -> dict:
    """chain → rows now up to ``max_id``, for the chains that have fewer than their mark (SQL, one GROUP BY)."""
    by = model.CHAIN.chain_by
    rows = model.objects.filter(id__lte=max_id)
    counts = dict(rows.values_list(by).annotate(n=Count("id")).order_by()) if by else {None: rows.count()}
    return {key: counts.get(key, 0) for key, mark in marks.items() if counts.get(key, 0) < mark.count}


def check_model(model, loaded: Loaded | None, *, since: bool = False):
    """Problems of one chained table against ``loaded`` (or its rows alone when None), and the heads found."""
    name = model.CHAIN.name
    problems: list[str] = []
    table = loaded.tables.get(name) if loaded else None
    marks = loaded.heads.get(name, {}) if loaded else {}
    if since and table:
        broken, found = chain.walk(model, since_id=table["max_id"], start=marks)
    else:
        broken, found = chain.walk(model, marks=marks)
    if broken is not None:
        problems.append(f"first row that differs: {broken}")
    if table:
        now = model.objects.filter(id__lte=table["max_id"]).count()
        if now < table["rows"]:
            what = "the table was truncated" if now == 0 else "rows were deleted"
            problems.append(
                f"{name}: {now} rows up to id {table['max_id']}, the checkpoint counted {table['rows']}: {what}"
            )
        if since and now == table["rows"]:
            short = {}
        elif since or broken is not None:
            short = _short_chains(model, table["max_id"], marks)
        else:
            short = {key: found[key].count if key in found else 0 for key, mark in marks.items()}
            short = {key: count for key, count in short.items() if count < marks[key].count}
        for key, count in sorted(short.items(), key=lambda item: (item[0] is None, item[0] or 0))[:20]:
            mark = marks[key]
            where = f", chain {key}" if key is not None else ""
            problems.append(
                f"{name}{where}: missing tail: {count} rows, the checkpoint had {mark.count} (head row {mark.id} gone)"
            )
        if len(short) > 20:
            problems.append(f"{name}: {len(short) - 20} more chains with a missing tail")
    return problems, found


def verify(models, *, since: bool = False) -> Report:
    """Check ``models`` (chained models) against the last checkpoint."""
    report = Report()
    try:
        report.checkpoint = loaded = latest()
    except CheckpointError as error:
        report.problems.append(str(error))
        loaded = None
    for model in models:
        problems, found = check_model(model, loaded, since=since)
        report.problems += problems
        if not problems:
            rows = sum(head.count for head in found.values())
            scope = "since the checkpoint" if since and loaded else f"{len(found)} chains, {rows} rows"
            report.intact.append(f"{model.CHAIN.name}: {scope}: intact")
    return report


def write() -> tuple[Checkpoint | None, Report]:
    """Verify every chain against the last checkpoint and, when all are intact, write a new one (file, signature
    and admin row). A broken trail gets no checkpoint: the report says why."""
    report = Report()
    try:
        loaded = latest()
    except CheckpointError as error:
        report.problems.append(str(error))
        return None, report
    now = timezone.now()
    tables, lines = {}, []
    for model in chain.chained_models():
        problems, found = check_model(model, loaded)
        report.problems += problems
        name = model.CHAIN.name
        tables[name] = {
            "rows": sum(h.count for h in found.values()),
            "max_id": max((h.id for h in found.values()), default=0),
            "chains": len(found),
        }
        lines += [json.dumps([name, key, h.count, h.id, h.hash]) for key, h in found.items()]
    if report.problems:
        return None, report
    body = "\n".join([json.dumps({"at": now.isoformat(), "tables": tables}), *lines]).encode() + b"\n"
    digest = hashlib.sha256(body).hexdigest()
    folder = Path(settings.CHECKPOINT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{PREFIX}{now:%Y%m%dT%H%M%S%fZ}{SUFFIX}"
    for path, content in ((folder / name, gzip.compress(body, compresslevel=6)),
                          (folder / f"{name}.sig", json.dumps({"file": name, "at": now.isoformat(), "digest": digest,
                                                               "signature": _sign(digest)}).encode())):  # fmt: skip
        with open(path, "xb") as out:  # never over an existing file
            out.write(content)
        path.chmod(0o444)
    row = Checkpoint.objects.create(at=now, file=name, digest=digest, signature=_sign(digest), tables=tables)
    report.intact = [f"{n}: {t['chains']} chains, {t['rows']} rows" for n, t in tables.items()]
    return row, report
