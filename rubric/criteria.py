"""The GECC 2566 criteria, loaded from `criteria.toml` (the one file a reviewer reads) into frozen
dataclasses and checked on load: the counts and point totals of the standard, unique ids, and a
measure for every item the system measures. A file that breaks them is refused with the reasons.

Plain Python and the standard library only (tomllib): no Flask, no database."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

MEASURED = ("system", "partial", "manual")
AREAS = ("place", "service", "staff", "technology", "special")
COMPARISONS = {
    ">=": lambda value, threshold: value >= threshold,
    ">": lambda value, threshold: value > threshold,
    "<=": lambda value, threshold: value <= threshold,
    "<": lambda value, threshold: value < threshold,
    "==": lambda value, threshold: value == threshold,
}
THRESHOLD_FROM = ("slides", "project")

# The structure of the 2566 standard: a file that changes it is wrong, whatever it says.
PHYSICAL_ITEMS = 14
BASIC_ITEMS, BASIC_POINTS = 16, 1
ADVANCED_ITEMS = {2: 21, 6: 2}  # points -> how many items
ADVANCED_REQUIRED = 38
OUTCOME_POINTS, OUTCOME_GROUPS, OUTCOME_GROUP_POINTS = 30, 3, 10
TOTAL_POINTS = 100
LEVEL_RANGES = ((70, 79), (80, 89), (90, 100))

_FIGURE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_SUPPORTING = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_THAI = re.compile(r"[\u0E00-\u0E7F]")


class CriteriaError(ValueError):
    """The criteria file is not the GECC 2566 criteria: the message lists every problem."""


@dataclass(frozen=True)
class Measure:
    """A figure of the evidence engine and the comparison that decides "met"."""

    figure: str
    comparison: str
    threshold: float
    threshold_from: str  # "slides": the slides state it; "project": this project's choice
    definition: str

    def met(self, value: float | None) -> bool | None:
        """Whether `value` meets the threshold; None when there is no value (no data)."""
        if value is None:
            return None
        return COMPARISONS[self.comparison](value, self.threshold)


@dataclass(frozen=True)
class Criterion:
    """One item of the criteria: physical (a gate), quality (basic or advanced) or outcome."""

    id: str
    part: str  # "physical", "quality" or "outcome"
    number: str  # the slides' numbering: "11", "2.11", "1.1"
    points: int
    area: str
    name_th: str
    name_en: str
    measured: str
    level: str | None = None  # quality only: "basic" or "advanced"
    level_sure: bool = True
    level_note: str | None = None
    group: str | None = None  # outcome only: "outcome.1"
    title_th: str | None = None
    title_en: str | None = None
    measures: tuple[Measure, ...] = ()
    supporting: tuple[str, ...] = ()
    measured_note: str | None = None

    @property
    def measure(self) -> Measure | None:
        """The first (usually the only) measure."""
        return self.measures[0] if self.measures else None

    def met(self, figures: dict[str, float | None]) -> bool | None:
        """The system's part is met when every measure holds; None for a manual item or when
        a figure has no data. `figures`: {dotted key: value}."""
        if not self.measures:
            return None
        verdicts = [m.met(figures.get(m.figure)) for m in self.measures]
        if False in verdicts:
            return False
        return None if None in verdicts else True


@dataclass(frozen=True)
class OutcomeGroup:
    """One of the three outcome criteria of 10 points; its parts are the scored items."""

    id: str
    number: str
    points: int
    area: str
    name_th: str
    name_en: str


@dataclass(frozen=True)
class Level:
    """A certification band of the total score."""

    id: str
    name_en: str
    min: int
    max: int
    name_th: str | None = None  # the sources name only the top band in Thai


@dataclass(frozen=True)
class Part:
    name_th: str
    name_en: str
    rule_th: str
    rule_en: str
    points: int
    required_points: int | None = None


@dataclass(frozen=True)
class Criteria:
    edition: str
    title_th: str
    title_en: str
    parts: dict[str, Part]
    areas: dict[str, tuple[str, str]]  # area -> (Thai, English)
    levels: tuple[Level, ...]
    physical: tuple[Criterion, ...]
    quality: tuple[Criterion, ...]
    outcome_groups: tuple[OutcomeGroup, ...]
    outcome: tuple[Criterion, ...]
    _index: dict[str, Criterion | OutcomeGroup] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {
            c.id: c for c in (*self.physical, *self.quality, *self.outcome, *self.outcome_groups)})

    @property
    def basic(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.quality if c.level == "basic")

    @property
    def advanced(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.quality if c.level == "advanced")

    @property
    def items(self) -> tuple[Criterion, ...]:
        """Every item, in the file's order: physical, quality, outcome."""
        return self.physical + self.quality + self.outcome

    @property
    def total_points(self) -> int:
        return sum(c.points for c in self.items)

    def level_for(self, score: float) -> Level | None:
        """The band a score falls in (None below the lowest)."""
        for level in self.levels:
            if level.min <= score < level.max + 1:
                return level
        return None

    def by_id(self, key: str) -> Criterion | OutcomeGroup:
        """The item (or outcome group) for an id. Also accepts the forms GECC.md writes:
        "physical 11", "quality 2.11", "outcome 1.1", a bare quality number "2.11", and the
        level-prefixed "basic.2.11" / "advanced.2.12" when that is the item's level."""
        index = self._index
        wanted = re.sub(r"\s+", ".", key.strip().lower())
        if wanted in index:
            return index[wanted]
        if re.fullmatch(r"\d\.\d+", wanted) and f"quality.{wanted}" in index:
            return index[f"quality.{wanted}"]
        prefix, _, number = wanted.partition(".")
        if prefix in ("basic", "advanced"):
            item = index.get(f"quality.{number}")
            if isinstance(item, Criterion) and item.level == prefix:
                return item
        raise KeyError(f"no GECC criterion {key!r}")


@functools.lru_cache(maxsize=None)
def load_criteria(path: str | Path | None = None) -> Criteria:
    """The criteria from `path`, or from the packaged `criteria.toml`; checked, and cached."""
    if path is None:
        name = "rubric/criteria.toml"
        raw = resources.files(__package__).joinpath("criteria.toml").read_bytes()
    else:
        name = str(path)
        raw = Path(path).read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CriteriaError(f"{name}: not readable TOML: {error}") from error
    problems: list[str] = []
    try:
        criteria = _build(data, problems)
    except (KeyError, TypeError, ValueError) as error:
        raise CriteriaError(f"{name}: malformed: {error!r}"
                            + "".join(f"\n- {p}" for p in problems)) from error
    _check(criteria, problems)
    if problems:
        raise CriteriaError(f"{name}: {len(problems)} problem(s):\n"
                            + "\n".join(f"- {p}" for p in problems))
    return criteria


def by_id(key: str) -> Criterion | OutcomeGroup:
    """The item (or outcome group) of the packaged criteria for an id; see Criteria.by_id."""
    return load_criteria().by_id(key)


# --- building -------------------------------------------------------------------------------

def _build(data: dict, problems: list[str]) -> Criteria:
    def item(entry: dict, part: str) -> Criterion:
        known = {"id", "number", "points", "area", "name_th", "name_en", "measured", "level",
                 "level_sure", "level_note", "group", "title_th", "title_en", "measures",
                 "supporting", "measured_note"}
        unknown = set(entry) - known
        if unknown:
            problems.append(f"{entry.get('id', '?')}: unknown keys {sorted(unknown)}")
        return Criterion(
            id=entry["id"], part=part, number=str(entry["number"]), points=entry["points"],
            area=entry["area"], name_th=entry["name_th"].strip(),
            name_en=entry["name_en"].strip(), measured=entry["measured"],
            level=entry.get("level"), level_sure=entry.get("level_sure", True),
            level_note=entry.get("level_note"), group=entry.get("group"),
            title_th=entry.get("title_th"), title_en=entry.get("title_en"),
            measures=tuple(Measure(figure=m["figure"], comparison=m["comparison"],
                                   threshold=m["threshold"], threshold_from=m["threshold_from"],
                                   definition=m["definition"].strip())
                           for m in entry.get("measures", [])),
            supporting=tuple(entry.get("supporting", [])),
            measured_note=entry.get("measured_note"))

    return Criteria(
        edition=str(data["edition"]), title_th=data["title_th"], title_en=data["title_en"],
        parts={key: Part(**value) for key, value in data["parts"].items()},
        areas={key: (value["name_th"], value["name_en"]) for key, value in data["areas"].items()},
        levels=tuple(Level(**level) for level in data["levels"]),
        physical=tuple(item(e, "physical") for e in data["physical"]),
        quality=tuple(item(e, "quality") for e in data["quality"]),
        outcome_groups=tuple(OutcomeGroup(**g) for g in data["outcome_groups"]),
        outcome=tuple(item(e, "outcome") for e in data["outcome"]))


# --- checking -------------------------------------------------------------------------------

def _check(criteria: Criteria, problems: list[str]) -> None:
    def expect(what: str, found: object, wanted: object) -> None:
        if found != wanted:
            problems.append(f"{what}: {found}, expected {wanted}")

    basic, advanced = criteria.basic, criteria.advanced
    expect("physical items", len(criteria.physical), PHYSICAL_ITEMS)
    expect("basic quality items", len(basic), BASIC_ITEMS)
    expect("advanced quality items", len(advanced), sum(ADVANCED_ITEMS.values()))
    for points, count in ADVANCED_ITEMS.items():
        expect(f"advanced items of {points} points",
               sum(1 for c in advanced if c.points == points), count)
    expect("quality items neither basic nor advanced",
           [c.id for c in criteria.quality if c.level not in ("basic", "advanced")], [])
    expect("physical items with points", [c.id for c in criteria.physical if c.points], [])
    expect("basic items not of 1 point",
           [c.id for c in basic if c.points != BASIC_POINTS], [])
    expect("advanced items not of 2 or 6 points",
           [c.id for c in advanced if c.points not in ADVANCED_ITEMS], [])
    basic_points = sum(c.points for c in basic)
    advanced_points = sum(c.points for c in advanced)
    outcome_points = sum(c.points for c in criteria.outcome)
    expect("basic points", basic_points, BASIC_ITEMS * BASIC_POINTS)
    expect("advanced points", advanced_points,
           sum(points * count for points, count in ADVANCED_ITEMS.items()))
    expect("outcome points", outcome_points, OUTCOME_POINTS)
    expect("total points (basic + advanced + outcome)",
           basic_points + advanced_points + outcome_points, TOTAL_POINTS)

    # The parts as the file states them agree with the items.
    parts = criteria.parts
    expect("parts", sorted(parts), ["advanced", "basic", "outcome", "physical"])
    for key, points in (("physical", 0), ("basic", basic_points),
                        ("advanced", advanced_points), ("outcome", outcome_points)):
        if key in parts:
            expect(f"parts.{key}.points", parts[key].points, points)
    if "basic" in parts:
        expect("parts.basic.required_points", parts["basic"].required_points, basic_points)
    if "advanced" in parts:
        expect("parts.advanced.required_points", parts["advanced"].required_points,
               ADVANCED_REQUIRED)

    # Outcome: three criteria of 10 points, each the sum of its parts.
    groups = criteria.outcome_groups
    expect("outcome criteria", len(groups), OUTCOME_GROUPS)
    for group in groups:
        expect(f"{group.id} points", group.points, OUTCOME_GROUP_POINTS)
        expect(f"{group.id} points of its parts",
               sum(c.points for c in criteria.outcome if c.group == group.id), group.points)
    expect("outcome parts without a known criterion",
           [c.id for c in criteria.outcome if c.group not in {g.id for g in groups}], [])

    expect("levels", tuple((level.min, level.max) for level in criteria.levels), LEVEL_RANGES)
    expect("level ids", len({level.id for level in criteria.levels}), len(criteria.levels))

    ids = [c.id for c in criteria.items] + [g.id for g in groups]
    expect("duplicate ids", sorted({i for i in ids if ids.count(i) > 1}), [])
    for c in criteria.items:
        _check_item(c, criteria, problems)
    for g in groups:
        if not _THAI.search(g.name_th):
            problems.append(f"{g.id}: name_th has no Thai text")


def _check_item(c: Criterion, criteria: Criteria, problems: list[str]) -> None:
    if c.id != f"{c.part}.{c.number}":
        problems.append(f"{c.id}: id does not match part {c.part!r} and number {c.number!r}")
    if c.area not in AREAS or c.area not in criteria.areas:
        problems.append(f"{c.id}: unknown area {c.area!r}")
    if not _THAI.search(c.name_th):
        problems.append(f"{c.id}: name_th has no Thai text")
    if not c.name_en:
        problems.append(f"{c.id}: name_en is empty")
    if not c.level_sure and not c.level_note:
        problems.append(f"{c.id}: an uncertain level needs a level_note")
    if c.measured not in MEASURED:
        problems.append(f"{c.id}: measured {c.measured!r} is not one of {', '.join(MEASURED)}")
    elif c.measured == "manual" and c.measures:
        problems.append(f"{c.id}: a manual item has no measures")
    elif c.measured != "manual" and not c.measures:
        problems.append(f"{c.id}: a {c.measured} item needs a figure, comparison, threshold "
                        "and definition ([[...measures]])")
    for m in c.measures:
        if not _FIGURE.match(m.figure or ""):
            problems.append(f"{c.id}: figure {m.figure!r} is not a dotted key like "
                            "'satisfaction.satisfied_share'")
        if m.comparison not in COMPARISONS:
            problems.append(f"{c.id}: comparison {m.comparison!r} is not one of "
                            f"{' '.join(COMPARISONS)}")
        if isinstance(m.threshold, bool) or not isinstance(m.threshold, (int, float)):
            problems.append(f"{c.id}: threshold {m.threshold!r} is not a number")
        if m.threshold_from not in THRESHOLD_FROM:
            problems.append(f"{c.id}: threshold_from {m.threshold_from!r} is not one of "
                            f"{', '.join(THRESHOLD_FROM)}")
        if not m.definition:
            problems.append(f"{c.id}: {m.figure} has no definition")
    for key in c.supporting:
        if not _SUPPORTING.match(key):
            problems.append(f"{c.id}: supporting figure {key!r} is not a dotted key")
