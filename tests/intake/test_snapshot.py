"""Tests for workbook.intake.snapshot: a validated engagement saved and read back unchanged."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from tests.conftest import SAMPLE_DIR
from workbook.intake.engagement import load_engagement
from workbook.intake.snapshot import (
    SnapshotError,
    load_engagement_snapshot,
    save_engagement_snapshot,
)


def assert_same_engagement(saved, loaded) -> None:
    """Field by field, generically: frames with their dtypes, the rest by equality."""
    for field in dataclasses.fields(saved):
        before, after = getattr(saved, field.name), getattr(loaded, field.name)
        if isinstance(before, pd.DataFrame):
            pd.testing.assert_frame_equal(after, before, check_exact=True, check_categorical=True)
        elif isinstance(before, np.ndarray):
            np.testing.assert_array_equal(after, before)
            assert after.dtype == before.dtype
        else:
            assert after == before, field.name


@pytest.mark.parametrize("which", ["tiny", "sample"])
def test_an_engagement_comes_back_from_its_snapshot_unchanged(which, tiny_dir, tmp_path):
    engagement = load_engagement(tiny_dir if which == "tiny" else SAMPLE_DIR)
    folder = save_engagement_snapshot(engagement, tmp_path / "snapshot")
    loaded = load_engagement_snapshot(folder)
    assert_same_engagement(engagement, loaded)
    # the dtypes that matter downstream, by name
    assert isinstance(loaded.touches["channel"].dtype, pd.CategoricalDtype)
    assert list(loaded.touches["channel"].cat.categories) == list(
        engagement.touches["channel"].cat.categories
    )
    assert loaded.leads["created_at"].dtype == engagement.leads["created_at"].dtype
    assert loaded.as_of == engagement.as_of and loaded.window_start == engagement.window_start


def test_frames_are_parquet_and_the_rest_one_pickle(tiny_dir, tmp_path):
    engagement = load_engagement(tiny_dir)
    folder = save_engagement_snapshot(engagement, tmp_path / "snapshot")
    frames = sorted(
        f.name for f in dataclasses.fields(engagement)
        if isinstance(getattr(engagement, f.name), pd.DataFrame)
    )  # fmt: skip
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{name}.parquet" for name in frames] + ["fields.pickle"]
    )


def test_a_frame_whose_dtypes_parquet_cannot_keep_is_refused_on_reading(tiny_dir, tmp_path):
    # Parquet has no second resolution: datetime64[s] would come back as [ms]
    engagement = load_engagement(tiny_dir)
    leads = engagement.leads.astype({"created_at": "datetime64[s]"})
    folder = save_engagement_snapshot(
        dataclasses.replace(engagement, leads=leads), tmp_path / "snapshot"
    )
    with pytest.raises(SnapshotError, match=r"leads changed dtypes \(created_at: datetime64\[s\]"):
        load_engagement_snapshot(folder)


def test_a_snapshot_is_never_written_over_another(tiny_dir, tmp_path):
    engagement = load_engagement(tiny_dir)
    folder = save_engagement_snapshot(engagement, tmp_path / "snapshot")
    with pytest.raises(FileExistsError):
        save_engagement_snapshot(engagement, folder)
