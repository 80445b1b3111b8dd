"""The GECC 2566 criteria as data (rubric/criteria.toml): the counts and points of the standard,
the items GECC.md names, their thresholds, and a loader that refuses a broken file."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from rubric.criteria import CriteriaError, Criterion, by_id, load_criteria

THAI = re.compile(r"[\u0E00-\u0E7F]")


@pytest.fixture(scope="module")
def criteria():
    return load_criteria()


def test_counts_and_points_are_the_2566_standard(criteria):
    assert len(criteria.physical) == 14
    assert all(c.points == 0 for c in criteria.physical)  # a gate, no points
    assert len(criteria.basic) == 16
    assert all(c.points == 1 for c in criteria.basic)
    assert len(criteria.advanced) == 23
    assert sorted(c.points for c in criteria.advanced) == [2] * 21 + [6] * 2
    assert sum(c.points for c in criteria.advanced) == 54
    assert criteria.parts["advanced"].required_points == 38
    assert sum(c.points for c in criteria.outcome) == 30
    assert [(g.id, g.points) for g in criteria.outcome_groups] == [
        ("outcome.1", 10), ("outcome.2", 10), ("outcome.3", 10)]
    assert {c.number: c.points for c in criteria.outcome} == {
        "1.1": 6, "1.2": 4, "2.1": 5, "2.2": 5, "3.1": 5, "3.2": 5}
    assert criteria.total_points == 16 + 54 + 30 == 100


def test_levels(criteria):
    assert [(lv.name_en, lv.min, lv.max) for lv in criteria.levels] == [
        ("basic", 70, 79), ("advanced", 80, 89), ("excellent", 90, 100)]
    assert criteria.level_for(69) is None
    assert criteria.level_for(70).id == "basic"
    assert criteria.level_for(89).id == "advanced"
    assert criteria.level_for(100).id == "excellent"


def test_ids_are_unique_and_follow_the_numbering(criteria):
    ids = [c.id for c in criteria.items] + [g.id for g in criteria.outcome_groups]
    assert len(ids) == len(set(ids)) == 14 + 39 + 6 + 3
    assert [c.id for c in criteria.physical] == [f"physical.{n}" for n in range(1, 15)]


@pytest.mark.parametrize(("written", "item_id", "measured"), [
    ("physical 1", "physical.1", "partial"),
    ("physical 11", "physical.11", "system"),
    ("physical 12", "physical.12", "partial"),
    ("physical 13", "physical.13", "system"),
    ("quality 2.11", "quality.2.11", "system"),
    ("2.12", "quality.2.12", "system"),
    ("quality.2.13", "quality.2.13", "system"),
    ("2.16", "quality.2.16", "system"),
    ("basic.2.11", "quality.2.11", "system"),
    ("outcome 1.1", "outcome.1.1", "partial"),
    ("outcome 1.2", "outcome.1.2", "manual"),
    ("outcome 2.1", "outcome.2.1", "partial"),
    ("outcome 3.1", "outcome.3.1", "partial"),
    ("outcome 3.2", "outcome.3.2", "system"),
])
def test_the_items_gecc_md_names_are_findable(written, item_id, measured):
    item = by_id(written)
    assert isinstance(item, Criterion)
    assert (item.id, item.measured) == (item_id, measured)


def test_an_unknown_id_or_the_wrong_level_prefix_is_not_found():
    with pytest.raises(KeyError):
        by_id("physical 15")
    with pytest.raises(KeyError):
        by_id("advanced.2.11")  # 2.11 is basic


def test_satisfaction_threshold_of_2_11():
    item = by_id("quality.2.11")
    (measure,) = item.measures
    assert (measure.figure, measure.comparison, measure.threshold) == (
        "satisfaction.satisfied_share", ">=", 0.8)
    assert measure.threshold_from == "slides"
    assert item.met({"satisfaction.satisfied_share": 0.8}) is True
    assert item.met({"satisfaction.satisfied_share": 0.79}) is False
    assert item.met({"satisfaction.satisfied_share": None}) is None  # no ratings: no verdict


def test_complaints_threshold_of_2_13():
    item = by_id("quality.2.13")
    (measure,) = item.measures
    assert (measure.figure, measure.comparison, measure.threshold) == (
        "complaints.resolved_share", ">=", 0.8)
    assert measure.threshold_from == "slides"
    assert item.met({"complaints.resolved_share": 0.9}) is True
    assert item.met({"complaints.resolved_share": 0.5}) is False


def test_every_measured_item_says_how(criteria):
    for item in criteria.items:
        assert item.measured in ("system", "partial", "manual"), item.id
        if item.measured == "manual":
            assert not item.measures, item.id
            assert item.met({}) is None
        else:
            assert item.measures, item.id
            for m in item.measures:
                assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", m.figure), item.id
                assert m.comparison in (">=", ">", "<=", "<", "==") and m.definition, item.id


def test_every_text_is_there_thai_and_english(criteria):
    for item in (*criteria.items, *criteria.outcome_groups):
        assert item.name_th.strip() and THAI.search(item.name_th), item.id
        assert item.name_en.strip() and not THAI.fullmatch(item.name_en), item.id
    assert by_id("physical 11").name_th == "การจัดให้มีระบบคิว เพื่อให้บริการได้อย่างเป็นธรรม"


def test_uncertain_levels_are_marked(criteria):
    unsure = {c.number for c in criteria.quality if not c.level_sure}
    assert unsure == {"2.6", "2.7", "2.8", "2.9", "2.12", "2.13", "3.3", "3.5"}
    assert all(c.level_note for c in criteria.quality if not c.level_sure)


def test_load_is_cached():
    assert load_criteria() is load_criteria()


# --- a broken file is refused, with what is wrong -----------------------------------------

def _text() -> str:
    return resources.files("rubric").joinpath("criteria.toml").read_text(encoding="utf-8")


def _item_block(text: str, table: str, item_id: str) -> str:
    """The text of one [[table]] entry, up to the next entry of any table."""
    start = text.index(f'[[{table}]]\nid = "{item_id}"')
    end = text.index("\n[[", start + 1)
    while text.startswith(f"\n[[{table}.measures]]", end):
        end = text.index("\n[[", end + 1)
    return text[start:end]


def _load_broken(tmp_path, text: str):
    path = tmp_path / "criteria.toml"
    path.write_text(text, encoding="utf-8")
    return load_criteria(path)


def test_the_copy_of_the_good_file_loads(tmp_path):
    assert _load_broken(tmp_path, _text()).total_points == 100


def test_a_missing_physical_item_is_refused(tmp_path):
    text = _text().replace(_item_block(_text(), "physical", "physical.14"), "")
    with pytest.raises(CriteriaError, match=r"physical items: 13, expected 14"):
        _load_broken(tmp_path, text)


def test_a_basic_item_read_as_advanced_is_refused(tmp_path):
    block = _item_block(_text(), "quality", "quality.2.6")
    changed = block.replace('level = "basic"\npoints = 1', 'level = "advanced"\npoints = 2')
    assert changed != block
    with pytest.raises(CriteriaError) as refused:
        _load_broken(tmp_path, _text().replace(block, changed))
    message = str(refused.value)
    assert "basic quality items: 15, expected 16" in message
    assert "advanced items of 2 points: 22, expected 21" in message
    assert "total points (basic + advanced + outcome): 101, expected 100" in message


def test_outcome_points_that_do_not_sum_are_refused(tmp_path):
    block = _item_block(_text(), "outcome", "outcome.1.1")
    with pytest.raises(CriteriaError, match=r"outcome points: 29, expected 30"):
        _load_broken(tmp_path, _text().replace(block, block.replace("points = 6", "points = 5")))


def test_a_duplicate_id_is_refused(tmp_path):
    block = _item_block(_text(), "physical", "physical.14")
    text = _text().replace(block, block.replace('id = "physical.14"', 'id = "physical.13"'))
    with pytest.raises(CriteriaError, match=r"duplicate ids: \['physical.13'\]"):
        _load_broken(tmp_path, text)


def test_a_system_item_without_its_measure_is_refused(tmp_path):
    block = _item_block(_text(), "quality", "quality.2.13")
    without = block[:block.index("\n[[quality.measures]]")] + "\n"
    with pytest.raises(CriteriaError, match=r"quality.2.13: a system item needs a figure"):
        _load_broken(tmp_path, _text().replace(block, without))


def test_an_unknown_measured_value_is_refused(tmp_path):
    block = _item_block(_text(), "physical", "physical.2")
    text = _text().replace(block, block.replace('measured = "manual"', 'measured = "auto"'))
    with pytest.raises(CriteriaError, match=r"physical.2: measured 'auto' is not one of"):
        _load_broken(tmp_path, text)


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    with pytest.raises(CriteriaError, match="not readable TOML"):
        _load_broken(tmp_path, _text() + "\n[[physical\n")
