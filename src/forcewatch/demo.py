"""The demo: one command builds a database from the bundled data and serves it.

``make demo`` runs ``forcewatch demo``: it creates an embedded SQLite database
(``forcewatch-demo.db`` in the working directory unless ``--database`` says otherwise), runs each
:data:`DEMO_STEPS` entry in order (each issue adds what it built: official statistics, simulated
records, assessments ...), prints what was loaded and the demo log-ins, and serves the web app.

Demo mode is the only mode in which forcewatch generates a secret key and creates accounts with
published passwords; it is marked on every page.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rich.console import Console
from rich.table import Table

from . import forces
from .errors import UsageError
from .settings import DEFAULT_DATABASE_URL, Settings
from .store import Store

__all__ = ["DEMO_DATABASE_URL", "DemoStep", "DEMO_STEPS", "DEMO_LOGINS", "DEMO_ACCOUNTS", "demo_password",
           "build_demo", "demo_settings"]

DEMO_DATABASE_URL = "sqlite:///forcewatch-demo.db"

console = Console(stderr=True, highlight=False)


@dataclass(frozen=True)
class DemoStep:
    """One step of building the demo: a title and a function returning a one-line summary."""

    title: str
    run: Callable[[Store, Settings], str]


def _reference_step(store: Store, settings: Settings) -> str:
    counts = store.table_counts()
    return f"schema {store.revision()}; {counts['area']} areas (43 forces, BTP, 10 regions, England and Wales)"


def _official_step(store: Store, settings: Settings) -> str:
    from . import official

    results = official.import_files(store, official.bundled_files(), imported_by="demo")
    refused = [r.file for r in results if r.status == "refused"]
    if refused:
        raise UsageError(f"bundled official files were refused: {', '.join(refused)}",
                         hint="run `forcewatch import official --bundled` to see why")
    stored = sum(r.facts_stored for r in results)
    warnings = sum(len(r.warnings) for r in results)
    return f"{len(results)} official files, {stored:,} published figures, {warnings} warning(s) about the publications themselves"



#: The simulated records of the demo: year, forces, seed, and how many reports each demo officer and
#: supervisor is given (so their "my reports" and "team reports" lists are not empty).
DEMO_RECORDS_YEAR = "2018-19"
DEMO_RECORDS_FORCES = ("E23000036", "E23000014")
DEMO_RECORDS_SEED = 2019
DEMO_REPORTS_PER_ROLE = {"officer": 60, "supervisor": 12}
#: where the demo writes its simulated files (git-ignored), beside the demo database
DEMO_FILES = ".demo"


def _demo_folder(settings: Settings) -> Path:
    url = settings.database_url
    path = url.split(":///", 1)[1] if url.startswith("sqlite") and ":///" in url else ""
    base = Path(path).resolve().parent if path and path != ":memory:" else Path.cwd()
    return base / DEMO_FILES


def _records_step(store: Store, settings: Settings) -> str:
    from .recording import import_records
    from .simulate import AssignedOfficer, simulate_year

    officers = tuple(AssignedOfficer(force, staff_id, team, DEMO_REPORTS_PER_ROLE[role])
                     for _, role, force, team, staff_id in DEMO_ACCOUNTS
                     if role in DEMO_REPORTS_PER_ROLE and force and team and staff_id)
    folder = _demo_folder(settings)
    folder.mkdir(parents=True, exist_ok=True)
    parts = []
    for code in DEMO_RECORDS_FORCES:
        out = folder / f"simulated-{DEMO_RECORDS_YEAR}-{code}.csv"
        result = simulate_year(store, DEMO_RECORDS_YEAR, out, force=code, seed=DEMO_RECORDS_SEED,
                               officers=tuple(o for o in officers if o.force_code == code))
        report = import_records(store, out, settings=settings, imported_by="demo")
        parts.append(f"{forces.get(code).name} {report.reports_read:,} reports ({result.ced_reports:,} CED)")
    return (f"SIMULATED {DEMO_RECORDS_YEAR} records at the published figures: {'; '.join(parts)}; the demo officers' "
            f"and supervisors' pseudonyms and teams are on some of them (files in {folder})")


#: Log-ins printed at the end of the demo (role, user name, password); filled by the accounts step.
DEMO_LOGINS: list[tuple[str, str, str]] = []

#: Demo accounts: (user name, role, force code, team, staff id). Passwords are published, so these
#: exist only in demo mode.
DEMO_ACCOUNTS: tuple[tuple[str, str, str | None, str | None, str | None], ...] = (
    *((f"{key}.{role}", role, code, team if role in ("officer", "supervisor") else None,
       f"{key.upper()}{n}" if role in ("officer", "supervisor") else None)
      for key, code, team in (("avon", "E23000036", "Bristol Response A"),
                              ("wmids", "E23000014", "Birmingham Response A"))
      for n, role in enumerate(("officer", "supervisor", "force_analyst", "assurer", "chief_officer", "pcc",
                                "scrutiny_panel"), 1001)),
    ("national.analyst", "national_analyst", None, None, None),
    ("review.team", "review_team", None, None, None),
    ("national.admin", "administrator", None, None, None),
)


def demo_password(username: str) -> str:
    """The published demo password of a demo account (meets the password policy)."""
    return "demo-" + username.replace(".", "-")


def _accounts_step(store: Store, settings: Settings) -> str:
    from .access import SYSTEM
    from .accounts import create_user
    from .errors import Conflict

    if not settings.demo:
        raise UsageError("demo accounts have published passwords and exist only in demo mode")
    created = 0
    DEMO_LOGINS.clear()
    for username, role, force, team, staff_id in DEMO_ACCOUNTS:
        password = demo_password(username)
        try:
            create_user(store, actor=SYSTEM, username=username, password=password, role=role, force=force,
                        team=team, staff_id=staff_id, settings=settings,
                        display_name=f"Demo {role.replace('_', ' ')}" + (f" ({force})" if force else ""))
            created += 1
        except Conflict:  # already there (demo --keep)
            pass
        DEMO_LOGINS.append((role, username, password))
    return (f"{created} demo accounts created ({len(DEMO_ACCOUNTS)} in all: every role; Avon and Somerset, "
            "West Midlands and national)")


def _register_step(store: Store, settings: Settings) -> str:
    from .demo_register import seed_demo_register

    return seed_demo_register(store, settings)


def _assaults_step(store: Store, settings: Settings) -> str:
    from .assault_demo import seed_assaults_demo

    return seed_assaults_demo(store, settings)


def _assessment_step(store: Store, settings: Settings) -> str:
    from .assessment.walkthrough import demo_assessments

    return demo_assessments(store, settings)


#: What the demo publishes on the public site (after the assessments, whose publication adds Avon's summary).
DEMO_QUARTERS = ("2018-Q3", "2018-Q4", "2019-Q1")


def _publications_step(store: Store, settings: Settings) -> str:
    from .access import Role, operator
    from .publication_figures import publish_quarterly
    from .publications import list_publications, publish_statement

    for code in DEMO_RECORDS_FORCES:
        for quarter in DEMO_QUARTERS:
            publish_quarterly(store, operator(Role.force_analyst, code), force=code, quarter=quarter, settings=settings)
    publish_statement(store, operator(Role.chief_officer, "E23000036"), force="E23000036",
                      title="Taser use in Avon and Somerset: our quarterly figures (DEMO)",
                      body="This is a demonstration statement. We publish our Taser figures every quarter, computed "
                           "from our records with the Home Office counting rules, so that the public can see how and "
                           "how often officers use Taser. The figures in this demo are simulated.")
    publish_statement(store, operator(Role.national_analyst), title="National use-of-force statistics (DEMO)",
                      body="This is a demonstration national statement. Forces publish their quarterly Taser figures "
                           "here; the Home Office publishes the official statistics each year.")
    return (f"{len(list_publications(store))} publications on the public site (quarterly Taser figures "
            f"{', '.join(DEMO_QUARTERS)} for both forces, two statements, Avon and Somerset's assessment summary)")


#: Each issue appends the step that loads what it built. Order matters: the register step reads
#: the CED reports already stored for the two demo forces, so it comes after the simulated-records
#: step; the assessments step stays last (it needs the accounts, the records and the register).
DEMO_STEPS: list[DemoStep] = [
    DemoStep("Schema and reference data", _reference_step),
    DemoStep("Official statistics (Home Office, ONS, IOPC)", _official_step),
    DemoStep("SIMULATED records: 2018-19 for Avon and Somerset and West Midlands", _records_step),
    DemoStep("Demo accounts, one per role (demo mode only)", _accounts_step),
    DemoStep("Taser-trained officer register, Avon and Somerset and West Midlands (after simulated records)",
             _register_step),
    DemoStep("Assaults on officers, outcome trails, learning and review submissions (SIMULATED)", _assaults_step),
    DemoStep("Threat and risk assessments (Avon and Somerset published, West Midlands draft)", _assessment_step),
    DemoStep("Public transparency site: quarterly Taser figures and statements", _publications_step),
]


def demo_settings(settings: Settings) -> Settings:
    """Settings for the demo: demo mode on, local cookies, and the demo database by default."""
    url = settings.database_url
    if url == DEFAULT_DATABASE_URL:
        url = DEMO_DATABASE_URL
    return settings.model_copy(update={"demo": True, "secure_cookies": False, "database_url": url})


def _remove_sqlite(url: str) -> None:
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if not path or path == ":memory:":
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(path + suffix).unlink(missing_ok=True)


def build_demo(settings: Settings, *, fresh: bool = True) -> Store:
    """Build the demo database step by step, printing progress and a summary to stderr."""
    if not settings.demo:
        raise UsageError("build_demo needs demo settings", hint="use forcewatch.demo.demo_settings()")
    if fresh:
        if settings.backend == "sqlite":
            _remove_sqlite(settings.database_url)
        else:
            probe = Store.open(settings.database_url, upgrade=False)
            has_schema = probe.revision() is not None
            probe.dispose()
            if has_schema:
                raise UsageError(
                    "the demo will not overwrite an existing PostgreSQL database",
                    hint="point --database at an empty database, or pass --keep to add to this one",
                )
    console.print(f"[bold]forcewatch demo[/bold]: building {settings.database_url}")
    store = Store.open(settings.database_url)
    for number, step in enumerate(DEMO_STEPS, 1):
        started = time.perf_counter()
        console.print(f"[{number}/{len(DEMO_STEPS)}] {step.title} ...")
        summary = step.run(store, settings)
        console.print(f"      {summary} [dim]({time.perf_counter() - started:.1f} s)[/dim]")
    if DEMO_LOGINS:
        table = Table(title="Demo log-ins (demo mode only)")
        for column in ("role", "user", "password"):
            table.add_column(column, no_wrap=column != "role", overflow="fold")
        for row in DEMO_LOGINS:
            table.add_row(*row)
        console.print(table)
    return store
