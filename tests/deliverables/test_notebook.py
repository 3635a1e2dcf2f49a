"""Tests for workbook.deliverables.notebook.start: what every phase notebook does first."""

from __future__ import annotations

import sys

import pytest

from workbook.deliverables.notebook import start
from workbook.intake import io
from workbook.intake.engagement import load_engagement
from workbook.intake.snapshot import save_engagement_snapshot


def forbid_table_reads(monkeypatch) -> None:
    """Make :func:`workbook.intake.io.read_table` fail wherever it was imported by name."""

    def no_read(path, *args, **kwargs):
        raise AssertionError(f"read {path}")

    original = io.read_table
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("workbook") and (
            getattr(module, "read_table", None) is original
        ):
            monkeypatch.setattr(module, "read_table", no_read)


def test_start_with_a_snapshot_never_reads_the_raw_files(tiny_dir, tmp_path, monkeypatch):
    engagement = load_engagement(tiny_dir)
    snapshot = save_engagement_snapshot(engagement, tmp_path / "snapshot")
    forbid_table_reads(monkeypatch)
    ctx = start(tmp_path / "no-such-folder", snapshot=str(snapshot), language="fr", seed=3)
    assert len(ctx.engagement.leads) == 6
    assert list(ctx.engagement.leads["lead_id"]) == list(engagement.leads["lead_id"])
    assert ctx.engagement.as_of.isoformat() == "2026-06-30"
    assert ctx.language == "fr" and ctx.currency == "EUR" and ctx.seed == 3
    assert ctx.journeys.as_of == engagement.as_of_timestamp  # built from the snapshot


def test_start_without_a_snapshot_loads_the_folder(tiny_dir):
    ctx = start(tiny_dir)
    assert len(ctx.engagement.leads) == 6
    assert ctx.language == "en"  # engagement.yaml's


def test_start_refuses_an_as_of_other_than_the_snapshots(tiny_dir, tmp_path):
    snapshot = save_engagement_snapshot(load_engagement(tiny_dir), tmp_path / "snapshot")
    assert start(tiny_dir, snapshot=snapshot, as_of="2026-06-30").engagement.as_of.day == 30
    with pytest.raises(ValueError, match="differs from the snapshot's"):
        start(tiny_dir, snapshot=snapshot, as_of="2026-05-31")
