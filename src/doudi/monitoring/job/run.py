"""One run of the matching job: export → match (DuckDB or Spark) → store, resumable at every stage.

The run's state says which stage is next; each stage leaves its output in the run's work directory (inputs,
``rules.json``, ``hits.parquet``), so ``monitoring_run(run_id=…)`` after a crash or a stop continues from there and
the store continues from its cursor. Progress (hits stored / total) is on the run row for the screens.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import NotFoundOrForbidden
from doudi.monitoring.choices import Engine, RunState
from doudi.monitoring.errors import Code, MonitoringError
from doudi.monitoring.job.engines import ENGINES
from doudi.monitoring.job.export import export_inputs
from doudi.monitoring.job.store import CHUNK, drop_stored, store_hits
from doudi.monitoring.job.tables import RuleInForce
from doudi.monitoring.models import MonitoringRun
from doudi.regions.models import Region

if TYPE_CHECKING:
    from doudi.accounts.models import User


def run_dir(run: MonitoringRun) -> Path:
    return Path(settings.DATA_DIR) / "monitoring" / f"run-{run.pk}"


def _save_rules(workdir: Path, rules: list[RuleInForce]) -> None:
    (workdir / "rules.json").write_text(json.dumps([dataclasses.asdict(r) for r in rules], ensure_ascii=False),
                                        encoding="utf-8")


def _load_rules(workdir: Path) -> dict[int, RuleInForce]:
    rows = json.loads((workdir / "rules.json").read_text(encoding="utf-8"))
    return {r["rule_id"]: RuleInForce(**r) for r in rows}


def _start(actor: User, region_code: str, as_of: dt.date, engine: str, run_id: int | None) -> MonitoringRun:
    if engine not in Engine.values:
        raise MonitoringError(_("未知的计算引擎：%(e)s") % {"e": engine}, code=Code.BAD_ENGINE)
    if run_id is not None:
        run = MonitoringRun.objects.select_related("region").filter(pk=run_id).first()
        if run is None or (actor is not None and not allows(actor, Action.CHANGE, run.region_id)):
            raise NotFoundOrForbidden(_("未找到该比对任务，或不在您的辖区内"))
        return run
    region = Region.objects.filter(code=region_code).first()
    if region is None or (actor is not None and not allows(actor, Action.CHANGE, region.code)):
        raise NotFoundOrForbidden(_("未找到该辖区，或不在您的辖区内"))
    run = MonitoringRun.objects.create(region=region, as_of=as_of, engine=engine,
                                       started_by=actor if getattr(actor, "pk", None) else None)
    run.workdir = str(run_dir(run))
    run.save(update_fields=["workdir"])
    return run


def monitoring_run(*, actor: User, region_code: str = "", as_of: dt.date | None = None, engine: str = Engine.DUCKDB,
                   run_id: int | None = None, chunk_size: int = CHUNK, max_chunks: int | None = None,
                   progress: Callable[[MonitoringRun], None] | None = None) -> MonitoringRun:
    """Run (or resume, with ``run_id``) the matching job for one jurisdiction and day. ``actor`` None = an operator
    on the server ("system")."""
    run = _start(actor, region_code, as_of or timezone.localdate(), engine, run_id)
    workdir = Path(run.workdir)
    if run.state == RunState.EXPORTING:
        exported = export_inputs(region=run.region, as_of=run.as_of, workdir=workdir)
        _save_rules(workdir, exported.rules)
        MonitoringRun.objects.filter(pk=run.pk).update(persons=exported.persons, records=exported.records,
                                                       state=RunState.MATCHING, heartbeat_at=timezone.now())
        run.refresh_from_db()
    if run.state == RunState.MATCHING:
        total = ENGINES[run.engine](workdir, workdir / "hits.parquet")
        # Hits already stored as warnings (an earlier run) count as done; only the new ones are staged.
        new = drop_stored(hits=workdir / "hits.parquet", rules=_load_rules(workdir), region_prefix=run.region.prefix)
        MonitoringRun.objects.filter(pk=run.pk).update(total_count=total, cursor=0, done_count=total - new,
                                                       state=RunState.STORING, heartbeat_at=timezone.now())
        run.refresh_from_db()
    if run.state == RunState.STORING:
        finished = store_hits(run=run, rules=_load_rules(workdir), hits=workdir / "hits.parquet",
                              chunk_size=chunk_size, max_chunks=max_chunks, progress=progress)
        if finished:
            _finish(run, actor)
    run.refresh_from_db()
    return run


def _finish(run: MonitoringRun, actor: User) -> None:
    with transaction.atomic():
        if MonitoringRun.objects.filter(pk=run.pk, state=RunState.STORING).update(state=RunState.DONE,
                                                                                  finished_at=timezone.now()):
            run.refresh_from_db()
            audit_record(actor=actor, action=AuditAction.CREATE, obj=run, region_code=run.region_id,
                         changes={"as_of": run.as_of, "engine": run.engine, "hits": run.total_count,
                                  "created": run.created_count, "persons": run.persons, "records": run.records})
    # The inputs and hits are derived data; the warnings are in the database now.
    shutil.rmtree(run.workdir, ignore_errors=True)
