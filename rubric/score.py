"""The GECC self-assessment: each criterion met or not from the measured figures (and, for
manual items, the office's own answers), the estimated score and level, and what is missing
for the next level. Plain Python over the evidence report (rubric/evidence.py) and the
criteria (rubric/criteria.toml)."""

from __future__ import annotations

from .criteria import Criteria, Criterion, load_criteria


def figure(report: dict, key: str):
    """The value of a dotted key of the evidence report (`satisfaction.satisfied_share`), or
    None when the report has no such figure (yet)."""
    value = report
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def assess_item(item: Criterion, report: dict, manual: dict[str, bool]) -> dict:
    """One item: its value(s), the definition, and met (True, False, or None when unknown).
    A partial item is met when its measures hold and the office has ticked its manual part."""
    values = {m.figure: figure(report, m.figure) for m in item.measures}
    verdicts = [m.met(values[m.figure]) for m in item.measures]
    if item.measured == "manual":
        met = manual.get(item.id)
    elif False in verdicts:
        met = False
    elif None in verdicts:
        met = None
    elif item.measured == "partial":
        met = manual.get(item.id)  # the figures hold; the manual part decides
    else:
        met = True
    value = next(iter(values.values())) if len(values) == 1 else (values or None)
    return {"id": item.id, "part": item.part, "number": item.number, "points": item.points,
            "level": item.level, "name_th": item.name_th, "name_en": item.name_en,
            "measured": item.measured, "value": value,
            "definition": " / ".join(m.definition for m in item.measures) or None,
            "threshold": [f"{m.figure} {m.comparison} {m.threshold:g}" for m in item.measures],
            "met": met}


def assess(report: dict, manual: dict[str, bool] | None = None,
           criteria: Criteria | None = None) -> tuple[list[dict], dict]:
    """(items, score) for the report: every criterion assessed, and the estimated score."""
    criteria = criteria or load_criteria()
    manual = manual or {}
    items = [assess_item(c, report, manual) for c in criteria.items]
    return items, score(items, criteria)


def score(items: list[dict], criteria: Criteria) -> dict:
    """Points of the items met (quality and outcome), whether the physical gate and the
    quality parts' rules hold, the level, and what is missing for the next level."""
    physical = [i for i in items if i["part"] == "physical"]
    basic = [i for i in items if i["part"] == "quality" and i["level"] == "basic"]
    advanced = [i for i in items if i["part"] == "quality" and i["level"] == "advanced"]
    outcome = [i for i in items if i["part"] == "outcome"]

    def points(group):
        return sum(i["points"] for i in group if i["met"] is True)

    estimated = points(basic) + points(advanced) + points(outcome)
    gate = _all_met(physical)
    basic_ok = _all_met(basic)
    advanced_needed = criteria.parts["advanced"].required_points \
        if "advanced" in criteria.parts else None
    level = criteria.level_for(estimated)
    qualifies = gate is True and basic_ok is True and (
        advanced_needed is None or points(advanced) >= advanced_needed)
    levels = sorted(criteria.levels, key=lambda lv: lv.min)
    next_level = next((lv for lv in levels if lv.min > estimated), None)
    open_items = sorted((i for i in items if i["met"] is not True and i["points"]),
                        key=lambda i: (-i["points"], i["id"]))
    return {
        "estimated": estimated,
        "level": level.id if level and qualifies else None,
        "level_name_en": level.name_en if level and qualifies else None,
        "physical_gate": gate,
        "basic_all_met": basic_ok,
        "advanced_points": points(advanced), "advanced_required": advanced_needed,
        "unknown_items": sum(1 for i in items if i["met"] is None),
        "next_level": next_level.id if next_level else None,
        "points_to_next_level": (next_level.min - estimated) if next_level else 0,
        "missing_for_next_level": [
            {"id": i["id"], "points": i["points"], "met": i["met"], "name_en": i["name_en"]}
            for i in open_items] if next_level else [],
        "note": "estimated from the measured items and the office's manual answers; items "
                "not answered count as not met",
    }


def _all_met(items: list[dict]) -> bool | None:
    if any(i["met"] is False for i in items):
        return False
    if any(i["met"] is None for i in items):
        return None
    return True
