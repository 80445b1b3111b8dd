"""Charts drawn on the server as SVG: nothing to load in the browser, nothing from another
site, the same drawing on screen and on paper. Plain Python strings; every label escaped.

Each function answers the markup of one `<svg role="img">` with its `<title>` and `<desc>`
(the text alternative); the page puts the same numbers in a table under it."""

from __future__ import annotations

from html import escape
from math import ceil, floor, log10

# Okabe-Ito: told apart with any colour vision, dark enough on white for thin marks.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
INK, GRID, MUTED = "#1b1f24", "#d5dae0", "#4f5964"
FONT = 'font-family="Sarabun, Tahoma, sans-serif"'


def _nice_max(value: float) -> float:
    """A round top for an axis: 1, 2, 2.5, 5 or 10 times a power of ten at or above value."""
    if value <= 0:
        return 1.0
    power = 10 ** floor(log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _tick(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:g}" if value < 10 else f"{value:,.0f}"


def _frame(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart-svg" '
            f'preserveAspectRatio="xMidYMid meet" {FONT} font-size="13">'
            f'<title id="{chart_id}-t">{escape(title)}</title>'
            f'<desc id="{chart_id}-d">{escape(desc)}</desc>' + "".join(body) + "</svg>")


def _legend(series: list[tuple[str, str]], x: float, y: float) -> list[str]:
    out = []
    for name, colour in series:
        out.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>'
                   f'<text x="{x + 16:.1f}" y="{y:.1f}" fill="{INK}">{escape(name)}</text>')
        x += 26 + 7.2 * len(name)
    return out


def _axis(top: float, left: float, right: float, bottom: float, y_max: float,
          percent: bool, unit: str) -> list[str]:
    out = []
    for i in range(5):
        value = y_max * i / 4
        y = bottom - (bottom - top) * i / 4
        out.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
                   f'{escape(_tick(value, percent))}</text>')
    if unit:
        out.append(f'<text x="{left}" y="{top - 10}" fill="{MUTED}">{escape(unit)}</text>')
    return out


def _x_labels(labels: list[str], left: float, step: float, bottom: float) -> list[str]:
    every = max(1, ceil(len(labels) / 24))
    return [f'<text x="{left + step * (i + 0.5):.1f}" y="{bottom + 16}" text-anchor="middle" '
            f'fill="{MUTED}">{escape(label)}</text>'
            for i, label in enumerate(labels) if i % every == 0]


def bars(chart_id: str, title: str, desc: str, labels: list[str],
         series: list[tuple[str, list]], unit: str = "", percent: bool = False,
         reference: tuple[float, str] | None = None, width: int = 760, height: int = 280) -> str:
    """Vertical bars, grouped when there are several series; None draws nothing."""
    left, right, top, bottom = 56, width - 12, 40, height - 30
    values = [v for _, vs in series for v in vs if v is not None]
    y_max = 1.0 if percent else _nice_max(max(values + [reference[0] if reference else 0], default=0))
    body = _axis(top, left, right, bottom, y_max, percent, unit)
    step = (right - left) / max(1, len(labels))
    bar = step * 0.8 / max(1, len(series))
    for s, (name, vs) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        for i, v in enumerate(vs):
            if v is None:
                continue
            h = (bottom - top) * min(v, y_max) / y_max
            x = left + step * i + step * 0.1 + bar * s
            body.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar:.1f}" '
                        f'height="{h:.1f}" fill="{colour}"/>')
    body += _reference_axis_legend(reference, series, labels, left, right, top, bottom, step,
                                   y_max)
    return _frame(chart_id, title, desc, width, height, body)


def _reference_axis_legend(reference, series, labels, left, right, top, bottom, step,
                           y_max) -> list[str]:
    """What the bar and line charts end with: the dashed reference line (a target) and its
    label, the x labels and axis, and the legend when there are several series."""
    body = []
    if reference:
        y = bottom - (bottom - top) * reference[0] / y_max
        body.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{INK}" '
                    f'stroke-dasharray="6 4" stroke-width="1.5"/>'
                    f'<text x="{right}" y="{y - 4:.1f}" text-anchor="end" fill="{INK}">'
                    f'{escape(reference[1])}</text>')
    body += _x_labels(labels, left, step, bottom)
    body.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{INK}"/>')
    if len(series) > 1:
        body += _legend([(n, PALETTE[i % len(PALETTE)]) for i, (n, _) in enumerate(series)],
                        left + 60, 18)
    return body


def stacked(chart_id: str, title: str, desc: str, labels: list[str],
            series: list[tuple[str, list]], unit: str = "", width: int = 760,
            height: int = 280) -> str:
    """Stacked bars: each label's parts, one colour a series."""
    left, right, top, bottom = 56, width - 12, 40, height - 30
    totals = [sum(vs[i] or 0 for _, vs in series) for i in range(len(labels))]
    y_max = _nice_max(max(totals, default=0))
    body = _axis(top, left, right, bottom, y_max, False, unit)
    step = (right - left) / max(1, len(labels))
    for i in range(len(labels)):
        y = bottom
        for s, (_, vs) in enumerate(series):
            h = (bottom - top) * (vs[i] or 0) / y_max
            if h > 0:
                body.append(f'<rect x="{left + step * i + step * 0.1:.1f}" y="{y - h:.1f}" '
                            f'width="{step * 0.8:.1f}" height="{h:.1f}" '
                            f'fill="{PALETTE[s % len(PALETTE)]}"/>')
            y -= h
    body += _x_labels(labels, left, step, bottom)
    body.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{INK}"/>')
    body += _legend([(n, PALETTE[i % len(PALETTE)]) for i, (n, _) in enumerate(series)],
                    left + 60, 18)
    return _frame(chart_id, title, desc, width, height, body)


def lines(chart_id: str, title: str, desc: str, labels: list[str],
          series: list[tuple[str, list]], unit: str = "", percent: bool = False,
          y_max: float | None = None, reference: tuple[float, str] | None = None,
          width: int = 760, height: int = 280) -> str:
    """Lines over time with a dot at each value; a None breaks the line."""
    left, right, top, bottom = 56, width - 12, 40, height - 30
    values = [v for _, vs in series for v in vs if v is not None]
    y_max = y_max or (1.0 if percent else _nice_max(max(values, default=0)))
    body = _axis(top, left, right, bottom, y_max, percent, unit)
    step = (right - left) / max(1, len(labels))
    for s, (_, vs) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        path, dots = [], []
        for i, v in enumerate(vs):
            if v is None:
                path.append(None)
                continue
            x, y = left + step * (i + 0.5), bottom - (bottom - top) * min(v, y_max) / y_max
            path.append((x, y))
            if len(vs) <= 62:
                dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
        segment, out = [], []
        for point in path + [None]:
            if point is None:
                if len(segment) > 1:
                    out.append(" ".join(f"{x:.1f},{y:.1f}" for x, y in segment))
                segment = []
            else:
                segment.append(point)
        body += [f'<polyline points="{p}" fill="none" stroke="{colour}" stroke-width="2"/>'
                 for p in out] + dots
    body += _reference_axis_legend(reference, series, labels, left, right, top, bottom, step,
                                   y_max)
    return _frame(chart_id, title, desc, width, height, body)


def hbars(chart_id: str, title: str, desc: str, labels: list[str], values: list,
          percent: bool = True, reference: tuple[float, str] | None = None,
          width: int = 760) -> str:
    """Horizontal bars, one a row (services), the value written at its end."""
    row, left, right, top = 30, 190, width - 70, 30
    height = top + row * max(1, len(labels)) + 24
    x_max = 1.0 if percent else _nice_max(max([v for v in values if v is not None], default=0))
    body = []
    for i, (label, v) in enumerate(zip(labels, values)):
        y = top + row * i
        body.append(f'<text x="{left - 8}" y="{y + 19}" text-anchor="end" fill="{INK}">'
                    f'{escape(label[:28])}</text>')
        if v is None:
            body.append(f'<text x="{left + 4}" y="{y + 19}" fill="{MUTED}">—</text>')
            continue
        w = (right - left) * min(v, x_max) / x_max
        body.append(f'<rect x="{left}" y="{y + 5}" width="{w:.1f}" height="{row - 10}" '
                    f'fill="{PALETTE[0]}"/><text x="{left + w + 6:.1f}" y="{y + 19}" '
                    f'fill="{INK}">{escape(_tick(v, percent) if percent else f"{v:g}")}</text>')
    if reference:
        x = left + (right - left) * reference[0] / x_max
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 20}" '
                    f'stroke="{INK}" stroke-dasharray="6 4" stroke-width="1.5"/>'
                    f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" fill="{INK}">'
                    f'{escape(reference[1])}</text>')
    return _frame(chart_id, title, desc, width, height, body)


def heat(chart_id: str, title: str, desc: str, rows: list[str], columns: list[str],
         values: list[list], width: int = 760) -> str:
    """A grid coloured by value (white to deep blue), each cell's value written in it."""
    left, top, cell_h = 70, 28, 30
    cell_w = (width - left - 8) / max(1, len(columns))
    height = top + cell_h * len(rows) + 8
    top_value = max([v for r in values for v in r if v is not None], default=0) or 1
    body = [f'<text x="{left + cell_w * (j + 0.5):.1f}" y="{top - 8}" text-anchor="middle" '
            f'fill="{MUTED}">{escape(c)}</text>' for j, c in enumerate(columns)]
    for i, name in enumerate(rows):
        y = top + cell_h * i
        body.append(f'<text x="{left - 8}" y="{y + 20}" text-anchor="end" fill="{INK}">'
                    f'{escape(name)}</text>')
        for j, v in enumerate(values[i]):
            share = (v or 0) / top_value
            # from #f4f8fc to #08306b; text white on the darker half
            r, g, b = (int(a + (z - a) * share) for a, z in ((244, 8), (248, 48), (252, 107)))
            x = left + cell_w * j
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{cell_w - 1:.1f}" height="{cell_h - 1}" '
                        f'fill="rgb({r},{g},{b})"/>')
            if v:
                body.append(f'<text x="{x + cell_w / 2:.1f}" y="{y + 19}" text-anchor="middle" '
                            f'font-size="11" fill="{"#fff" if share > 0.45 else INK}">'
                            f'{v:.0f}</text>')
    return _frame(chart_id, title, desc, width, height, body)
