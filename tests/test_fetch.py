"""`benchmarks fetch` against a fake publisher on 127.0.0.1 serving the real published files.

Nothing here touches the internet: `tests/fakeserver.py` mimics the EES and GOV.UK content
APIs, GitHub's contents API and the raw-file URLs, and injects faults.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks import datadir, fetch, publishers
from benchmarks.errors import BenchmarksError
from fakeserver import FakePublisher, published_files

CSWW = "workforce/csww_indicators_2017_to_2025.csv"
B1 = "demand/b1_children_in_need_2013_to_2025.csv"
C3 = "demand/c3_factors_identified_at_end_of_assessment_2018_to_2025.csv"
ACTIVITY = "outcomes/la_care_leavers_activity.csv"
ACCOMMODATION = "outcomes/la_care_leavers_accommodation_suitability.csv"
PLACEMENT = "outcomes/la_cla_placement_stability.csv"
OUTCOMES = ["cla_placement_stability", "care_leavers_activity", "care_leavers_accommodation"]


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publishers, "BACKOFF", 0.01)


@pytest.fixture
def publisher(published: Path) -> Iterator[FakePublisher]:
    with FakePublisher(published, stall_seconds=3) as pub:
        yield pub


def run(dest: Path, pub: FakePublisher, **kw: object) -> fetch.FetchResult:
    options: dict = {"base_urls": pub.base_urls, "timeout": 5, "retries": 0, "progress": False}
    return fetch.run_fetch(dest, **{**options, **kw})


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(dest: Path) -> dict:
    return json.loads((dest / "fetch_manifest.json").read_text())


def leftovers(dest: Path) -> list[Path]:
    return list(dest.rglob("*.part"))


def outcome(result: fetch.FetchResult, source_id: str) -> fetch.SourceOutcome:
    return next(o for o in result.outcomes if o.source_id == source_id)


def new_release(published: Path) -> bytes:
    """The CSWW file with one more (2026) row: same layout, different content."""
    lines = (published / CSWW).read_bytes().splitlines(keepends=True)
    return b"".join([lines[0], lines[1].replace(b"2025,", b"2026,", 1), *lines[1:]])


# -- the happy path ------------------------------------------------------------------------


@pytest.mark.timeout(30)
def test_clean_fetch_reproduces_every_file_with_a_manifest(
    published: Path, publisher: FakePublisher, tmp_path: Path
) -> None:
    result = run(tmp_path, publisher)
    assert result.exit_code == 0 and result.changed and not result.failed
    registry = datadir.registry()
    expected = dict(published_files(published, registry))
    assert len(expected) == 21  # every source but the frozen 2021 neighbour model
    record = manifest(tmp_path)["sources"]
    for source_id, original in expected.items():
        ours = tmp_path / original.relative_to(published)
        assert ours.read_bytes() == original.read_bytes(), source_id
        assert record[source_id]["sha256"] == sha(original)
        assert record[source_id]["file"] == original.relative_to(published).as_posix()
        assert record[source_id]["url"].startswith(publisher.root)
        fetched = datetime.fromisoformat(record[source_id]["fetched_at"])
        assert abs((datetime.now(UTC) - fetched).total_seconds()) < 60
    umask = os.umask(0)
    os.umask(umask)
    assert {p.stat().st_mode & 0o777 for p in tmp_path.rglob("*") if p.is_file()} == {
        0o666 & ~umask
    }
    frozen = outcome(result, "sn2021")
    assert frozen.status.startswith("kept: frozen publication") and not frozen.failed
    assert not leftovers(tmp_path)


@pytest.mark.timeout(30)
def test_second_fetch_changes_nothing_and_says_so(publisher: FakePublisher, tmp_path: Path) -> None:
    run(tmp_path, publisher)
    before = {
        p: p.stat().st_mtime_ns for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".json"
    }
    result = run(tmp_path, publisher)
    assert result.exit_code == 3 and not result.changed
    assert {o.status for o in result.outcomes if o.source_id != "sn2021"} == {"unchanged"}
    assert before == {p: p.stat().st_mtime_ns for p in before}


@pytest.mark.timeout(30)
def test_a_new_release_under_a_new_name_is_discovered_and_supersedes_the_old(
    published: Path, publisher: FakePublisher, tmp_path: Path
) -> None:
    run(tmp_path, publisher, only=["csww"])
    data = new_release(published)
    publisher.publish("csww", "csww_indicators_2017_to_2026.csv", data)
    result = run(tmp_path, publisher, only=["csww"])
    assert result.exit_code == 0
    assert outcome(result, "csww").file == "workforce/csww_indicators_2017_to_2026.csv"
    assert (
        datadir.source_file(tmp_path, "csww")
        == tmp_path / "workforce/csww_indicators_2017_to_2026.csv"
    )
    assert sorted(p.name for p in (tmp_path / "workforce").glob("csww_*")) == [
        "csww_indicators_2017_to_2026.csv"
    ]
    assert (tmp_path / ".previous" / CSWW).read_bytes() == (published / CSWW).read_bytes()
    record = manifest(tmp_path)["sources"]["csww"]
    assert record["sha256"] == hashlib.sha256(data).hexdigest()
    assert record["published_name"] == "csww_indicators_2017_to_2026.csv"


@pytest.mark.timeout(30)
def test_a_changed_file_keeps_the_previous_copy(
    published: Path, publisher: FakePublisher, tmp_path: Path
) -> None:
    run(tmp_path, publisher, only=["csww"])
    publisher.publish("csww", "csww_indicators_2017_to_2025.csv", new_release(published))
    assert run(tmp_path, publisher, only=["csww"]).exit_code == 0
    assert (tmp_path / CSWW).read_bytes() == new_release(published)
    assert (tmp_path / ".previous" / CSWW).read_bytes() == (published / CSWW).read_bytes()


@pytest.mark.timeout(30)
def test_ees_listing_is_followed_page_by_page(published: Path, tmp_path: Path) -> None:
    with FakePublisher(published, page_size=2) as pub:
        result = run(tmp_path, pub, only=["cin_b1", "cin_c1", "cin_c4", "cin_d3", "cin_d5"])
        assert result.exit_code == 0
        assert any("page=3" in r for r in pub.requests)  # five files, two a page


@pytest.mark.timeout(30)
def test_ofsted_tries_the_newest_edition_first(
    published: Path, publisher: FakePublisher, tmp_path: Path
) -> None:
    this_year = datetime.now(UTC).year
    result = run(tmp_path, publisher, only=["ofsted_outcomes"])
    assert outcome(result, "ofsted_outcomes").status == "updated"
    asked = [r for r in publisher.requests if "as-at-31-march" in r]
    assert asked[0].endswith(f"as-at-31-march-{this_year}")
    assert asked[-1].endswith("as-at-31-march-2025")
    # next edition, under the publisher's new-style name: saved in our layout
    ods = (published / "inspections/LA_Inspection_Outcomes_as_at_31_March_2025.ods").read_bytes()
    new_name = "local_authority_inspection_outcomes_as_at_31_march_2026_underlying_data.ods"
    publisher.publish("ofsted_outcomes", new_name, ods, year=2026)
    result = run(tmp_path, publisher, only=["ofsted_outcomes"])
    assert (
        outcome(result, "ofsted_outcomes").file
        == "inspections/LA_Inspection_Outcomes_as_at_31_March_2026.ods"
    )
    assert (
        datadir.source_file(tmp_path, "ofsted_outcomes").name
        == "LA_Inspection_Outcomes_as_at_31_March_2026.ods"
    )
    assert (
        tmp_path / ".previous/inspections/LA_Inspection_Outcomes_as_at_31_March_2025.ods"
    ).exists()


# -- the outcome files and c3 ------------------------------------------------------------


@pytest.mark.timeout(30)
def test_outcome_files_and_c3_are_fetched_into_our_layout(published: Path, tmp_path: Path) -> None:
    with FakePublisher(published, page_size=2) as pub:  # the CLA release spans pages
        result = run(tmp_path, pub, only=[*OUTCOMES, "cin_c3"])
    assert result.exit_code == 0
    for relpath in (PLACEMENT, ACTIVITY, ACCOMMODATION, C3):
        assert (tmp_path / relpath).read_bytes() == (published / relpath).read_bytes()
    assert {o.source_id: o.file for o in result.outcomes} == {
        "cla_placement_stability": PLACEMENT,
        "care_leavers_activity": ACTIVITY,
        "care_leavers_accommodation": ACCOMMODATION,
        "cin_c3": C3,
    }


@pytest.mark.timeout(30)
def test_outcome_files_match_the_exact_name_not_a_longer_one(
    published: Path, tmp_path: Path
) -> None:
    """A release also listing `la_cla_placement_stability_by_characteristics.csv` (which
    sorts after the file we want, so a prefix match would take it) still gives ours."""
    registry = dict(datadir.registry())
    registry["decoy"] = {**registry["cla_placement_stability"], "path_glob": "decoy/*.csv"}
    with FakePublisher(published, registry=registry) as pub:
        pub.publish(
            "decoy",
            "la_cla_placement_stability_by_characteristics.csv",
            (published / B1).read_bytes(),
        )
        result = run(tmp_path, pub, only=["cla_placement_stability"])
        assert result.exit_code == 0
        assert (tmp_path / PLACEMENT).read_bytes() == (published / PLACEMENT).read_bytes()
        # the exact name gone from the release: a loud failure naming what is there
        del pub.sources["cla_placement_stability"]
        result = run(tmp_path, pub, only=["cla_placement_stability"])
    assert result.exit_code == 1
    status = outcome(result, "cla_placement_stability").status
    assert "no data file named la_cla_placement_stability.csv" in status
    assert "la_cla_placement_stability_by_characteristics.csv" in status
    assert (tmp_path / PLACEMENT).read_bytes() == (published / PLACEMENT).read_bytes()


@pytest.mark.timeout(30)
def test_a_new_c3_release_is_found_by_prefix_and_supersedes_the_old(
    published: Path, publisher: FakePublisher, tmp_path: Path
) -> None:
    run(tmp_path, publisher, only=["cin_c3"])
    lines = (published / C3).read_bytes().splitlines(keepends=True)
    newer = b"".join([lines[0], lines[1].replace(b"2025,", b"2026,", 1), *lines[1:]])
    name = "c3_factors_identified_at_end_of_assessment_2018_to_2026.csv"
    publisher.publish("cin_c3", name, newer)
    result = run(tmp_path, publisher, only=["cin_c3"])
    assert outcome(result, "cin_c3").status == "updated"
    assert datadir.source_file(tmp_path, "cin_c3") == tmp_path / "demand" / name
    assert sorted(p.name for p in (tmp_path / "demand").glob("c3_*")) == [name]
    assert (tmp_path / ".previous" / C3).read_bytes() == (published / C3).read_bytes()


@pytest.mark.timeout(30)
def test_one_care_leaver_file_served_as_the_other_is_refused(
    published: Path, publisher: FakePublisher, tmp_path: Path
) -> None:
    """The two care-leaver files have the same columns: their breakdowns tell them apart."""
    run(tmp_path, publisher, only=["care_leavers_accommodation"])
    wrong = (published / ACTIVITY).read_bytes()
    publisher.publish("care_leavers_accommodation", Path(ACCOMMODATION).name, wrong)
    result = run(tmp_path, publisher, only=["care_leavers_accommodation"])
    assert result.exit_code == 1
    assert (
        "no row with breakdown 'Accommodation considered suitable'"
        in outcome(result, "care_leavers_accommodation").status
    )
    assert (tmp_path / ACCOMMODATION).read_bytes() == (published / ACCOMMODATION).read_bytes()
    assert not leftovers(tmp_path) and not (tmp_path / ".previous").exists()


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("fault", "reason"), [("truncate", "truncated download"), ("html", "HTML page")]
)
def test_a_bad_outcome_download_keeps_the_good_file(
    published: Path, publisher: FakePublisher, tmp_path: Path, fault: str, reason: str
) -> None:
    run(tmp_path, publisher, only=["care_leavers_activity"])
    lines = (published / ACTIVITY).read_bytes().splitlines(keepends=True)
    publisher.publish("care_leavers_activity", Path(ACTIVITY).name, b"".join(lines[:-1]))
    publisher.fail("care_leavers_activity", fault)
    result = run(tmp_path, publisher, only=["care_leavers_activity"])
    assert result.exit_code == 1
    assert reason in outcome(result, "care_leavers_activity").status
    assert (tmp_path / ACTIVITY).read_bytes() == (published / ACTIVITY).read_bytes()
    assert not leftovers(tmp_path) and not (tmp_path / ".previous").exists()


# -- faults: the good file survives byte for byte, and the error says what happened -------


FAULTS = [
    ("500", "HTTP 500"),
    ("truncate", "truncated download"),
    ("html", "HTML page"),
    ("stall", "stalled"),
    ("other publication", "columns"),
]


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("fault", "reason"), FAULTS, ids=[f for f, _ in FAULTS])
def test_a_bad_download_never_replaces_good_data(
    published: Path, publisher: FakePublisher, tmp_path: Path, fault: str, reason: str
) -> None:
    assert run(tmp_path, publisher, only=["csww"]).exit_code == 0
    good = (tmp_path / CSWW).read_bytes()
    recorded = manifest(tmp_path)["sources"]["csww"]["sha256"]
    if fault == "other publication":  # a valid file, but of the children in need release
        publisher.publish("csww", "csww_indicators_2017_to_2025.csv", (published / B1).read_bytes())
    else:
        publisher.publish("csww", "csww_indicators_2017_to_2025.csv", new_release(published))
        publisher.fail("csww", fault, times=2)
    url = publisher.root + publisher.sources["csww"].download_path

    result = run(tmp_path, publisher, only=["csww"], timeout=0.5, retries=1)

    assert result.exit_code == 1 and not result.changed
    (failure,) = result.failed
    assert failure.source_id == "csww" and failure.url == url
    assert failure.status.startswith("failed: ") and reason in failure.status
    assert (tmp_path / CSWW).read_bytes() == good
    assert sorted(p.name for p in (tmp_path / "workforce").iterdir()) == [Path(CSWW).name]
    assert not leftovers(tmp_path) and not (tmp_path / ".previous").exists()
    record = manifest(tmp_path)["sources"]["csww"]
    assert record["sha256"] == recorded
    assert record["last_error"]["url"] == url and reason in record["last_error"]["reason"]
    assert "csww: failed: " in str(failure) and url in str(failure)


@pytest.mark.timeout(30)
def test_a_passing_server_error_is_retried(
    published: Path, publisher: FakePublisher, tmp_path: Path
) -> None:
    run(tmp_path, publisher, only=["csww"])
    publisher.publish("csww", "csww_indicators_2017_to_2025.csv", new_release(published))
    publisher.fail("csww", "500", times=1)
    result = run(tmp_path, publisher, only=["csww"], retries=2)
    assert result.exit_code == 0
    assert (tmp_path / CSWW).read_bytes() == new_release(published)
    downloads = [r for r in publisher.requests if r == publisher.sources["csww"].download_path]
    assert len(downloads) == 3  # the first fetch, the failed try, the retry


@pytest.mark.timeout(30)
def test_a_failed_discovery_names_the_address_and_keeps_the_file(
    published: Path, publisher: FakePublisher, tmp_path: Path
) -> None:
    run(tmp_path, publisher, only=["csww", "cin_b1"])
    publisher.fail("csww", "500", on="discovery", times=5)
    result = run(tmp_path, publisher, only=["csww", "cin_b1"], retries=1)
    assert result.exit_code == 1
    (failure,) = result.failed
    assert failure.source_id == "csww"
    assert (
        "HTTP 500" in failure.status
        and "/ees/publications/children-s-social-work-workforce" in failure.status
    )
    assert outcome(result, "cin_b1").status == "unchanged"  # one failure does not stop the rest
    assert (tmp_path / CSWW).read_bytes() == (published / CSWW).read_bytes()


@pytest.mark.timeout(30)
def test_a_file_missing_from_the_release_is_reported(
    publisher: FakePublisher, tmp_path: Path
) -> None:
    del publisher.sources["cla_swcount"]
    result = run(tmp_path, publisher, only=["cla_swcount"])
    assert result.exit_code == 1
    assert "no data file named la_cla_swcount*.csv" in outcome(result, "cla_swcount").status


def test_unknown_source_ids_are_refused(tmp_path: Path) -> None:
    with pytest.raises(BenchmarksError, match="Unknown source nope"):
        fetch.run_fetch(tmp_path, only=["nope"], progress=False)


@pytest.mark.timeout(30)
def test_progress_is_shown_unless_quiet(
    publisher: FakePublisher, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(tmp_path, publisher, only=["regions"], progress=True)
    assert "regions: updated" in capsys.readouterr().err
    run(tmp_path / "quiet", publisher, only=["regions"], progress=False)
    assert capsys.readouterr().err == ""


# -- validation on its own ----------------------------------------------------------------------


ENTRY = {"path_glob": "x/*.csv", "required_columns": ["a", "b"]}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"a,b\n1,2\n", None),
        (b"\xef\xbb\xbfa,b,c\n1,2,3\n", None),
        (b"<!DOCTYPE html><html></html>", "HTML page"),
        (b"a,c\n1,2\n", "columns b missing"),
        (b"a,b\n", "no data rows"),
        (b"a,b\n1,2\n3", "line 3 has 1 fields"),
        (b"a,b\n\xff\xfe,1\n", "not UTF-8"),
        (b"", "empty file"),
    ],
)
def test_csv_validation(tmp_path: Path, body: bytes, message: str | None) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(body)
    if message is None:
        fetch.validate(path, ENTRY)
    else:
        with pytest.raises(fetch.FetchError, match=message):
            fetch.validate(path, ENTRY)


def test_workbook_validation(published: Path, tmp_path: Path) -> None:
    entry = datadir.registry()["la_code_list"]
    fetch.validate(published / "authorities/la_code_list.xlsx", entry)
    with pytest.raises(fetch.FetchError, match="no sheet 'Sheet1'"):
        fetch.validate(published / "authorities/sn_may_2025.xlsx", entry)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes((published / "authorities/la_code_list.xlsx").read_bytes()[:3000])
    with pytest.raises(fetch.FetchError, match="not a spreadsheet|does not open"):
        fetch.validate(broken, entry)


def test_target_names_follow_the_registry() -> None:
    registry = datadir.registry()
    found = fetch.Found("u", "csww_indicators_2017_to_2026.csv")
    assert (
        str(fetch.target_path(registry["csww"], found))
        == "workforce/csww_indicators_2017_to_2026.csv"
    )
    found = fetch.Found("u", "Childrens_services_statistical_neighbour_benchmarking_tool.xlsx")
    assert str(fetch.target_path(registry["sn2025"], found)) == "authorities/sn_may_2025.xlsx"
    found = fetch.Found("u", "local_authority_inspection_outcomes_as_at_31_march_2026.ods", 2026)
    assert str(fetch.target_path(registry["ofsted_outcomes"], found)) == (
        "inspections/LA_Inspection_Outcomes_as_at_31_March_2026.ods"
    )
    with pytest.raises(fetch.FetchError, match="does not match"):
        fetch.target_path(registry["csww"], fetch.Found("u", "something_else.csv"))


@pytest.mark.timeout(30)
def test_an_unexpected_api_answer_is_a_failure_not_a_crash(
    publisher: FakePublisher, tmp_path: Path
) -> None:
    publisher.fail("csww", "json", on="discovery")  # JSON without the publication's "id"
    result = run(tmp_path, publisher, only=["csww", "regions"])
    assert result.exit_code == 1
    assert outcome(result, "csww").status == (
        "failed: unexpected answer from the ees discovery (KeyError: 'id')"
    )
    assert outcome(result, "regions").status == "updated"  # the others carry on


def test_csv_validation_of_required_values(tmp_path: Path) -> None:
    entry = {**ENTRY, "required_values": {"b": "Suitability total"}}
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n1,Total\n2, Suitability total \n")
    fetch.validate(path, entry)
    path.write_bytes(b"a,b\n1,Total\n2,Suitable\n")
    with pytest.raises(fetch.FetchError, match="no row with b 'Suitability total'"):
        fetch.validate(path, entry)
