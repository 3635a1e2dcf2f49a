"""Every command's JSON on four engagements, to check that a refactoring changes no output.

Run on demand (never part of `make test`):

    .venv/bin/python bench/compare_outputs.py snapshot /tmp/before      # on the old commit
    .venv/bin/python bench/compare_outputs.py snapshot /tmp/after       # on the new one
    .venv/bin/python bench/compare_outputs.py compare /tmp/before /tmp/after

The engagements (generated once under bench/_data/compare/, seeded):

- ``sample``: the bundled sample client;
- ``messy_5k``: 5,000 leads with the faults real exports have (blank and unreadable dates,
  repeated ids and e-mails, channels in capitals with spaces, unknown leads and assets,
  negative amounts, renamed headers mapped under ``columns:`` and ``values:``);
- ``french``: 5,000 leads written as a French CRM export (semicolons, BOM, day-first dates,
  decimal commas);
- ``leads_1000000``: the 1M-lead benchmark engagement of bench_validate.py (``--skip-1m``
  leaves it out).

Each command (``validate``, ``kpis``, ``plan``, ``plan --simulate 200``, ``content``,
``score`` with ``--out``) runs as the installed ``workbook`` command; its stdout and exit code
are stored. ``compare`` reports every difference: JSON values are compared exactly, floats to
a relative 1e-12.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np

from workbook.synthetic import generate_engagement, sample_config, write_engagement

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "_data" / "compare"
COMMANDS: dict[str, tuple[str, ...]] = {
    "validate": ("validate", "--json"),
    "kpis": ("kpis", "--json"),
    "plan": ("plan", "--json"),
    "plan_simulate": ("plan", "--json", "--simulate", "200"),
    "content": ("content", "--json"),
    "score": ("score", "--json"),
}


def messy_engagement(directory: Path) -> Path:
    """5,000 leads with the faults of real exports, under mapped headers."""
    frames = generate_engagement(n_leads=5000, seed=11)
    rng = np.random.default_rng(11)
    leads = frames["leads"].copy()
    for name in ("created_at", "mql_at", "sal_at", "sql_at", "disqualified_at"):
        leads[name] = leads[name].dt.strftime("%Y-%m-%d").astype(object)
    n = len(leads)
    rows = rng.choice(n, size=400, replace=False)
    leads.loc[rows[:40], "created_at"] = ""
    leads.loc[rows[40:60], "created_at"] = "not a date"
    leads.loc[rows[60:80], "mql_at"] = "2019-13-45"
    channel = leads["source_channel"].astype(object)
    channel.loc[rows[80:200]] = channel.loc[rows[80:200]].str.replace("_", " ").str.title()
    channel.loc[rows[200:230]] = "  " + channel.loc[rows[200:230]] + "  "
    channel.loc[rows[230:250]] = ""
    leads["source_channel"] = channel
    email = leads["email"].astype(object)
    email.loc[rows[250:300]] = email.loc[rows[300:350]].str.upper().to_numpy()
    leads["email"] = email
    leads["sourced_by"] = leads["sourced_by"].astype(object)
    leads.loc[rows[350:370], "sourced_by"] = "Marketing"
    leads.loc[rows[370:380], "sourced_by"] = "martians"
    leads = pd_concat(leads, leads.iloc[rows[380:400]])  # repeated lead ids
    leads = leads.rename(columns={"lead_id": "Lead ID", "source_channel": "Lead Source"})
    frames["leads"] = leads

    opps = frames["opportunities"].copy()
    orows = rng.choice(len(opps), size=60, replace=False)
    opps["amount"] = opps["amount"].astype(object)
    opps.loc[orows[:10], "amount"] = -5
    opps.loc[orows[10:20], "lead_id"] = "L9999999"
    opps["status"] = opps["status"].map(
        {"won": "Closed Won", "lost": "Closed Lost", "open": "Open"}
    )
    opps.loc[orows[20:30], "status"] = "closed won "
    frames["opportunities"] = opps.rename(columns={"status": "Stage"})

    touches = frames["touches"].copy()
    trows = rng.choice(len(touches), size=300, replace=False)
    touches["lead_id"] = touches["lead_id"].astype(object)
    touches.loc[trows[:100], "lead_id"] = "NOPE"
    touches["asset_id"] = touches["asset_id"].astype(object)
    touches.loc[trows[100:200], "asset_id"] = "A999"
    frames["touches"] = touches

    config = sample_config()
    config["client"] = "Messy Export Ltd"
    config["columns"] = {
        "leads": {"lead_id": "Lead ID", "source_channel": "Lead Source"},
        "opportunities": {"status": "Stage"},
    }
    config["values"] = {
        "opportunities": {"status": {"Closed Won": "won", "Closed Lost": "lost", "Open": "open"}}
    }
    return write_engagement(frames, directory, config=config)


def pd_concat(*frames):
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def french_engagement(directory: Path) -> Path:
    """5,000 leads as a French CRM export."""
    config = sample_config()
    config["client"] = "Société Générale d'Usinage"
    config["language"] = "fr"
    return write_engagement(
        generate_engagement(n_leads=5000, seed=5), directory, style="fr", config=config
    )


def engagements(skip_1m: bool) -> dict[str, Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    found = {"sample": ROOT / "data_samples" / "acme_industrial"}
    for name, build in (("messy_5k", messy_engagement), ("french", french_engagement)):
        folder = DATA / name
        if not (folder / "engagement.yaml").exists():
            build(folder)
        found[name] = folder
    if not skip_1m:
        sys.path.insert(0, str(HERE))
        from bench_validate import ensure_data

        found["leads_1000000"] = ensure_data(1_000_000, 7)
    return found


def snapshot(out: Path, *, skip_1m: bool) -> None:
    workbook = str(Path(sys.executable).with_name("workbook"))
    out.mkdir(parents=True, exist_ok=True)
    for name, folder in engagements(skip_1m).items():
        for label, command in COMMANDS.items():
            argv = [workbook, command[0], str(folder), *command[1:]]
            if label == "score":
                argv += ["--out", str(out / f"{name}.scores.csv")]
            done = subprocess.run(argv, capture_output=True, text=True)
            (out / f"{name}.{label}.json").write_text(done.stdout)
            (out / f"{name}.{label}.rc").write_text(f"{done.returncode}\n")
            print(f"{name:14} {label:14} exit {done.returncode}", flush=True)


def differences(a: object, b: object, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        found = [f"{path}.{k}: only in one" for k in set(a) ^ set(b)]
        for key in a.keys() & b.keys():
            found += differences(a[key], b[key], f"{path}.{key}")
        return found
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items vs {len(b)}"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in differences(x, y, f"{path}[{i}]")
        ]
    if isinstance(a, float) and isinstance(b, float | int):
        if math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12):
            return []
    if a != b:
        return [f"{path}: {a!r} vs {b!r}"]
    return []


def compare(before: Path, after: Path) -> int:
    failed = 0
    for old in sorted(before.glob("*")):
        new = after / old.name
        if not new.exists():
            print(f"{old.name}: missing after")
            failed += 1
            continue
        if old.suffix == ".json":
            try:
                found = differences(json.loads(old.read_text()), json.loads(new.read_text()))
            except json.JSONDecodeError:
                found = [] if old.read_text() == new.read_text() else ["text differs"]
        else:
            found = [] if old.read_bytes() == new.read_bytes() else ["content differs"]
        for line in found[:20]:
            print(f"{old.name}{line}")
        failed += bool(found)
    print(f"{failed} file(s) differ" if failed else "identical")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    snap = sub.add_parser("snapshot", help="run every command, store its output in OUT")
    snap.add_argument("out", type=Path)
    snap.add_argument("--skip-1m", action="store_true", help="leave out the 1M-lead engagement")
    comp = sub.add_parser("compare", help="report every difference between two snapshots")
    comp.add_argument("before", type=Path)
    comp.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.action == "snapshot":
        snapshot(args.out, skip_1m=args.skip_1m)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
