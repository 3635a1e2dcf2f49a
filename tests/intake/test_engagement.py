"""Loading an engagement folder: row accounting, the as-of date, the frozen result."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import TINY_TOUCHES, TINY_YAML, write_engagement
from workbook.intake.engagement import Engagement, audit_engagement, load_engagement
from workbook.intake.problems import EngagementError

NO_AS_OF_YAML = TINY_YAML.replace("as_of: 2026-06-30\n", "")


def test_the_tiny_engagement_loads_every_row_and_names_the_files_read(tiny_dir):
    engagement = load_engagement(tiny_dir)
    rows = {name: count.to_dict() for name, count in engagement.audit.rows.items()}
    assert rows == {
        "leads": {"read": 6, "used": 6, "quarantined": 0},
        "opportunities": {"read": 4, "used": 4, "quarantined": 0},
        "spend": {"read": 4, "used": 4, "quarantined": 0},
        "content": {"read": 4, "used": 4, "quarantined": 0},
        "touches": {"read": 4, "used": 4, "quarantined": 0},
    }
    assert [len(getattr(engagement, name)) for name in rows] == [6, 4, 4, 4, 4]
    assert engagement.files == {name: f"{name}.csv" for name in rows}
    assert engagement.leads["source_row"].tolist() == [1, 2, 3, 4, 5, 6]
    assert engagement.path == tiny_dir


def test_without_a_touches_file_the_engagement_has_none(tmp_path):
    engagement = load_engagement(write_engagement(tmp_path / "e", {"data/touches.csv": None}))
    assert engagement.touches is None
    assert "touches" not in engagement.audit.rows and "touches" not in engagement.files


TOUCH_DEFECTS = {
    "unknown lead": lambda cells: [("L77", *cells[1:])],
    "bad date": lambda cells: [(cells[0], "31/31/2026", *cells[2:])],
    "no channel": lambda cells: [(*cells[:2], "", cells[3])],
    "fine": lambda cells: [tuple(cells)],
}


@given(defects=st.lists(st.sampled_from(sorted(TOUCH_DEFECTS)), min_size=4, max_size=4))
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_every_touch_read_is_used_or_quarantined(tmp_path_factory, defects):
    header, *lines = TINY_TOUCHES.splitlines()
    rows = [TOUCH_DEFECTS[d](line.split(","))[0] for d, line in zip(defects, lines, strict=True)]
    touches = "\n".join([header, *(",".join(r) for r in rows)]) + "\n"
    d = write_engagement(tmp_path_factory.mktemp("t"), {"data/touches.csv": touches})
    engagement = load_engagement(d)
    count = engagement.audit.rows["touches"]
    bad = sum(defect != "fine" for defect in defects)
    assert (count.read, count.used, count.quarantined) == (4, 4 - bad, bad)
    assert len(engagement.touches) == count.used
    kept = [row for row, defect in enumerate(defects, start=1) if defect == "fine"]
    assert engagement.touches["source_row"].tolist() == kept


def test_as_of_comes_from_engagement_yaml(tiny_dir):
    assert load_engagement(tiny_dir).as_of == dt.date(2026, 6, 30)


def test_as_of_given_to_the_load_overrides_engagement_yaml(tiny_dir):
    engagement = load_engagement(tiny_dir, as_of="2026-05-31")
    assert engagement.as_of == dt.date(2026, 5, 31) == engagement.config.as_of
    # L6 was created on 2026-06-20, after that date: a warning names its row
    late = [w for w in engagement.audit.warnings if w.code == "created_after_as_of"]
    assert [(w.file, w.rows) for w in late] == [("leads.csv", (6,))]


def test_without_as_of_in_engagement_yaml_it_is_the_latest_date_of_the_data(tmp_path):
    d = write_engagement(tmp_path / "e", {"engagement.yaml": NO_AS_OF_YAML})
    # L6 is created on 2026-06-20; content publication dates do not count
    assert load_engagement(d).as_of == dt.date(2026, 6, 20)


def test_without_as_of_anywhere_the_load_says_to_set_it_instead_of_reading_the_clock(
    tmp_path, monkeypatch
):
    import workbook.intake.validate as validate

    monkeypatch.setattr(validate, "latest_date", lambda frames: None)  # data without dates
    d = write_engagement(tmp_path / "e", {"engagement.yaml": NO_AS_OF_YAML})
    with pytest.raises(EngagementError) as caught:
        load_engagement(d)
    (problem,) = caught.value.problems
    assert (problem.file, problem.column) == ("engagement.yaml", "as_of")
    assert "set as_of: YYYY-MM-DD in engagement.yaml" in problem.message
    audit = audit_engagement(d)
    assert not audit.ok and audit.errors[-1] == problem
    assert audit.rows["leads"].used == 6  # the files themselves were fine
    # with as_of in engagement.yaml, the same data loads
    assert load_engagement(write_engagement(tmp_path / "ok")).as_of == dt.date(2026, 6, 30)


def test_an_engagement_is_frozen(tiny_dir):
    engagement = load_engagement(tiny_dir)
    with pytest.raises(dataclasses.FrozenInstanceError):
        engagement.as_of = dt.date(2027, 1, 1)  # type: ignore[misc]
    assert dataclasses.is_dataclass(Engagement)
    assert {f.name for f in dataclasses.fields(Engagement)} == {
        "path",
        "config",
        "leads",
        "opportunities",
        "spend",
        "content",
        "touches",
        "audit",
        "as_of",
        "files",
        "provided",
        "coverage",
    }


@pytest.mark.parametrize(
    ("as_of", "window_months", "start"),
    [
        ("2026-06-30", 12, "2025-07-01"),  # twelve calendar months up to June 2026
        ("2026-06-01", 12, "2025-07-01"),  # the day of the month does not matter
        ("2026-01-15", 3, "2025-11-01"),  # across a year end
        ("2026-03-31", 1, "2026-03-01"),  # the as-of month only
    ],
)
def test_window_start_is_the_first_day_of_the_window_months_up_to_as_of(
    tmp_path, as_of, window_months, start
):
    yaml_text = TINY_YAML.replace("window_months: 12", f"window_months: {window_months}")
    d = write_engagement(tmp_path / "e", {"engagement.yaml": yaml_text})
    engagement = load_engagement(d, as_of=as_of)
    assert engagement.window_start == pd.Timestamp(start)
    assert engagement.as_of_timestamp == pd.Timestamp(as_of)


def test_a_folder_that_does_not_exist_is_an_audit_error_not_an_exception(tmp_path):
    audit = audit_engagement(tmp_path / "nowhere")
    assert not audit.ok
    assert "is not a folder" in audit.errors[0].message
