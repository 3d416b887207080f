"""Charts as inline SVG strings, drawn by the server: no chart library, no JavaScript, no CDN.

::

    points = [Point("2026-04", 58.0, 49, 67, n=38), Point("2026-05", None, n=3), ...]
    line_chart(points, title="Relational capital index", y_min=0, y_max=100,
               markers=[("2026-05", "chatbot launched")])
    sparkline(points)                       # a tiny line for a table cell
    bar_chart([Bar("Delivery", -12, -20, -4, n=80), ...], title="NPS by theme")

Every chart is one ``<svg role="img">`` with a ``<title>`` and a one-sentence ``<desc>`` for
screen readers, and a tooltip (``<title>``) on every dot and bar. A period without enough data
is never drawn as zero: the line breaks there and the period is hatched, with a hollow tick on
the axis. Colours come from CSS classes (``chart-line``, ``chart-band``, ``chart-dot``,
``chart-gap``, ``chart-axis``, ``chart-grid``, ``chart-marker``, ``chart-bar``,
``chart-bar-neg``, ``chart-whisker``; styled in ``static/rapport/rapport.css``), and each
element also carries the same colours as attributes, so a printed page or a saved ``.svg``
looks right without the stylesheet.

The chart's own title is not drawn inside the picture: the page's heading shows it. The output
is safe to mark as safe in a template: every piece of text is escaped here.

Standard library only, and no Django, so it is tested without a database.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass

__all__ = ["NOT_ENOUGH_DATA", "Bar", "Point", "bar_chart", "line_chart", "sparkline"]

NOT_ENOUGH_DATA = "Not enough data yet"

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
FONT_SIZE = 11
# Text is measured by guessing: an average glyph of the system sans-serif is about 0.6 em wide.
CHAR_WIDTH = 0.6 * FONT_SIZE
MAX_X_LABELS = 12
MAX_LABEL_CHARS = 16  # x labels and bar labels are shortened with "…"; tooltips keep them whole

# Default colours, the same as rapport.css (--accent, --warn, --ink, --muted, --line).
ACCENT = "#1d5fa8"
WARN = "#a33a00"
INK = "#1f2328"
MUTED = "#5b636d"
LINE = "#d8dde3"
AXIS = "#8c959f"
MARKER = "#6b4fa1"


@dataclass(frozen=True)
class Point:
    """One period of a line chart or sparkline.

    ``value`` None, NaN or infinite, or ``enough`` False, means "not enough data": no dot, the
    line breaks, and the period is marked on the axis. ``low`` and ``high`` are the 95%
    interval (drawn as a band where both are known); ``n`` is the number of answers (shown in
    the tooltip when above 0); ``note`` is added to the tooltip.
    """

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0
    enough: bool = True
    note: str = ""


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart; the fields mean what they mean on ``Point``."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0
    enough: bool = True
    note: str = ""


# --- public charts -------------------------------------------------------------------------


def line_chart(
    points: Iterable[Point],
    *,
    title: str,
    unit: str = "",
    y_min: float | None = None,
    y_max: float | None = None,
    band: bool = True,
    markers: Sequence[tuple[str, str]] = (),
    width: int = 640,
    height: int = 220,
    chart_id: str | None = None,
) -> str:
    """A line over periods with a dot per period, the 95% interval as a translucent band,
    round y ticks and at most 12 x labels.

    ``y_min``/``y_max`` fix the axis (0–100 for an index, -100–100 for NPS); left None, the
    axis covers the values and their intervals. A fixed end still widens if a value falls
    beyond it (an interval beyond it is cut at the edge). ``markers`` are ``(label, caption)``
    pairs drawn as dashed vertical lines at those periods; a label that is not among the
    points is left out. ``chart_id`` names the ``<svg>`` (pass one when the same chart with
    the same data appears twice on a page); otherwise an id is derived from the title and
    data, the same on every run.
    """
    data = _prepare(points)
    cid = _chart_id(chart_id, "line", title, data, markers)
    shown = [d for d in data if d.value is not None]
    if not shown:
        return _empty_chart(cid, title, data, width, min(height, 60), "line", "period")

    # y axis: its round ticks decide how wide the left margin must be.
    values = [d.value for d in shown]
    intervals = [x for d in shown if band and d.low is not None for x in (d.low, d.high)]
    tick_count = 5 if height >= 150 else 3
    axis = _axis(values, intervals, y_min, y_max, tick_count)
    tick_unit = unit if 0 < len(unit) <= 2 else ""
    tick_texts = [_with_unit(_num(t), tick_unit) for t in axis.ticks]
    left = max(28.0, max(len(t) for t in tick_texts) * CHAR_WIDTH + 12)
    # The latest period's label is always written, centred under its dot: leave it room.
    last_half = len(_shorten(data[-1].label, MAX_LABEL_CHARS)) * CHAR_WIDTH / 2
    right = max(12.0, last_half + 2 - (width - left - 12) / len(data) / 2)
    bottom = 26.0
    plot_w = max(width - left - right, 10.0)
    slot = plot_w / len(data)

    def x_at(i: int) -> float:
        return left + slot * (i + 0.5)

    # Marker captions sit above the plot, left to right, in as many rows as they need (at
    # most three: beyond that they may overlap).
    index: dict[str, int] = {}
    for i, d in enumerate(data):
        index.setdefault(d.label, i)
    found = sorted(
        (index[str(label)], str(label), str(caption))
        for label, caption in markers
        if str(label) in index
    )
    placed_markers = []
    row_ends: list[float] = []
    for i, label, caption in found:
        x = x_at(i)
        text = _shorten(caption, 40)
        text_w = len(text) * CHAR_WIDTH
        if x + 4 + text_w <= width - 2:
            start, end, anchor, tx = x + 4, x + 4 + text_w, "start", x + 4
        else:
            start, end, anchor, tx = x - 4 - text_w, x - 4, "end", x - 4
        row = next((r for r, e in enumerate(row_ends) if e + 8 <= start), None)
        if row is None and len(row_ends) < 3:
            row_ends.append(end)
            row = len(row_ends) - 1
        row = row or 0
        row_ends[row] = max(row_ends[row], end)
        placed_markers.append((i, label, caption, text, anchor, tx, row))
    unit_caption = unit if unit and not tick_unit else ""
    rows = max(len(row_ends), 1 if unit_caption else 0)
    top = 12.0 + 14 * rows
    plot_h = max(height - top - bottom, 10.0)
    base = top + plot_h

    def y_at(v: float) -> float:
        y = top + (axis.end - v) / (axis.end - axis.start) * plot_h
        return min(max(y, top), base)

    out = _open(cid, "line", title, _line_desc(data, unit), width, height)
    out.append(_hatch(cid))

    # Grid and y ticks.
    out.append(f'<g class="chart-grid" stroke="{LINE}" stroke-width="1">')
    for t in axis.ticks:
        extra = f' class="chart-zero" stroke="{AXIS}"' if t == 0 else ""
        out.append(
            f'<line x1="{_num(left)}" x2="{_num(left + plot_w)}" y1="{_num(y_at(t))}" '
            f'y2="{_num(y_at(t))}"{extra}/>'
        )
    out.append("</g>")
    out.append(f'<g class="chart-axis" fill="{MUTED}" text-anchor="end">')
    for t, text in zip(axis.ticks, tick_texts, strict=True):
        out.append(f'<text x="{_num(left - 6)}" y="{_num(y_at(t) + 4)}">{_esc(text)}</text>')
    if unit_caption:
        out.append(f'<text x="2" y="16" text-anchor="start">{_esc(unit)}</text>')
    out.append("</g>")

    # Periods without enough data: hatched across the plot.
    gaps = [i for i, d in enumerate(data) if d.value is None]
    if gaps:
        out.append(f'<g class="chart-gap-band" fill="url(#{cid}-hatch)">')
        for i in gaps:
            out.append(
                f'<rect x="{_num(x_at(i) - slot / 2)}" y="{_num(top)}" '
                f'width="{_num(max(slot, 0.5))}" height="{_num(plot_h)}"/>'
            )
        out.append("</g>")

    # The 95% band, one shape per run of periods that have one.
    if band:
        runs = _runs(data, lambda d: d.value is not None and d.low is not None)
        if runs:
            out.append(f'<g class="chart-band" fill="{ACCENT}" fill-opacity="0.15" stroke="none">')
            for run in runs:
                if len(run) == 1:
                    i = run[0]
                    w = min(slot * 0.6, 8.0)
                    y_hi, y_lo = y_at(data[i].high), y_at(data[i].low)
                    out.append(
                        f'<rect x="{_num(x_at(i) - w / 2)}" y="{_num(y_hi)}" width="{_num(w)}" '
                        f'height="{_num(max(y_lo - y_hi, 0.5))}"/>'
                    )
                    continue
                upper = [(x_at(i), y_at(data[i].high)) for i in run]
                lower = [(x_at(i), y_at(data[i].low)) for i in reversed(run)]
                out.append(f'<path d="{_path(upper + lower)} Z"/>')
            out.append("</g>")

    # Markers.
    if placed_markers:
        out.append(f'<g class="chart-marker" stroke="{MARKER}" fill="{MARKER}">')
        for i, label, caption, text, anchor, tx, row in placed_markers:
            x = _num(x_at(i))
            out.append(
                f"<g><title>{_esc(f'{label}: {caption}')}</title>"
                f'<line x1="{x}" x2="{x}" y1="{_num(6 + 14 * row)}" '
                f'y2="{_num(base)}" stroke-dasharray="4 3" fill="none"/>'
                f'<text x="{_num(tx)}" y="{_num(16 + 14 * row)}" '
                f'text-anchor="{anchor}" stroke="none">{_esc(text)}</text></g>'
            )
        out.append("</g>")

    # The line, broken at every period without enough data.
    out.append(
        f'<g class="chart-lines" fill="none" stroke="{ACCENT}" stroke-width="2" '
        'stroke-linejoin="round" stroke-linecap="round">'
    )
    for run in _runs(data, lambda d: d.value is not None):
        if len(run) > 1:
            out.append(
                f'<path class="chart-line" d="{_path([(x_at(i), y_at(data[i].value)) for i in run])}"/>'
            )
    out.append("</g>")

    # Dots and hollow ticks, each with its tooltip.
    # Dense periods get dots no wider than the line, so they do not bead it; each still holds
    # its tooltip.
    if slot >= 12:
        r = 3.5
        out.append(f'<g class="chart-dots" fill="{ACCENT}" stroke="#fff" stroke-width="1">')
    else:
        r = 2.2 if slot >= 6 else 1.0
        out.append(f'<g class="chart-dots" fill="{ACCENT}" stroke="none">')
    for i, d in enumerate(data):
        if d.value is not None:
            out.append(
                f'<circle class="chart-dot" cx="{_num(x_at(i))}" cy="{_num(y_at(d.value))}" '
                f'r="{_num(r)}"><title>{_esc(_tooltip(d, unit))}</title></circle>'
            )
    out.append("</g>")
    if gaps:
        out.append(f'<g class="chart-gaps" fill="#fff" stroke="{AXIS}" stroke-width="1.2">')
        for i in gaps:
            out.append(
                f'<circle class="chart-gap" cx="{_num(x_at(i))}" cy="{_num(base)}" '
                f'r="{_num(3.0 if slot >= 6 else 1.5)}"><title>{_esc(_tooltip(data[i], unit))}'
                "</title></circle>"
            )
        out.append("</g>")

    # The x axis and its labels, thinned so they never overlap.
    out.append(f'<g class="chart-axis" fill="{MUTED}" stroke="{AXIS}" text-anchor="middle">')
    out.append(
        f'<line x1="{_num(left)}" x2="{_num(left + plot_w)}" y1="{_num(base)}" '
        f'y2="{_num(base)}" fill="none"/>'
    )
    for i in _thin_labels([d.label for d in data], plot_w):
        text = _shorten(data[i].label, MAX_LABEL_CHARS)
        half = len(text) * CHAR_WIDTH / 2
        x = min(max(x_at(i), half + 1), width - half - 1)
        out.append(
            f'<line x1="{_num(x_at(i))}" x2="{_num(x_at(i))}" y1="{_num(base)}" '
            f'y2="{_num(base + 4)}" fill="none"/>'
            f'<text class="chart-x-label" x="{_num(x)}" y="{_num(base + 16)}" '
            f'stroke="none">{_esc(text)}</text>'
        )
    out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def sparkline(
    points: Iterable[Point],
    *,
    width: int = 120,
    height: int = 28,
    y_min: float | None = None,
    y_max: float | None = None,
    title: str = "",
    unit: str = "",
    chart_id: str | None = None,
) -> str:
    """A tiny line for a table cell: no axes, a dot on the latest value, a break and a hollow
    tick for each period without enough data.

    Unlike the other charts it keeps its pixel size (``width``/``height`` attributes, which
    the stylesheet lets shrink), because a table cell gives a percentage width nothing to
    hold on to. ``title`` defaults to "Trend".
    """
    data = _prepare(points)
    title = title or "Trend"
    cid = _chart_id(chart_id, "sparkline", title, data, ())
    shown = [d for d in data if d.value is not None]
    if not shown:
        return _empty_chart(cid, title, data, width, height, "sparkline", "period")

    values = [d.value for d in shown]
    lo, hi = min(values), max(values)
    y_min, y_max = _finite(y_min), _finite(y_max)
    if y_min is not None and y_max is not None and y_min > y_max:
        y_min, y_max = y_max, y_min
    if y_min is not None:
        lo = min(y_min, lo)
    if y_max is not None:
        hi = max(y_max, hi)
    if hi - lo < 1e-9:  # a constant series sits in the middle
        lo, hi = lo - 1, hi + 1
    pad = 3.0
    gap_room = 4.0 if len(shown) < len(data) else 0.0

    def x_at(i: int) -> float:
        if len(data) == 1:
            return width / 2
        return pad + (width - 2 * pad) * i / (len(data) - 1)

    def y_at(v: float) -> float:
        return pad + (hi - v) / (hi - lo) * (height - 2 * pad - gap_room)

    out = _open(cid, "sparkline", title, _line_desc(data, unit), width, height, fixed=True)
    out.append(
        f'<g class="chart-lines" fill="none" stroke="{ACCENT}" stroke-width="1.5" '
        'stroke-linejoin="round" stroke-linecap="round">'
    )
    runs = _runs(data, lambda d: d.value is not None)
    for run in runs:
        if len(run) > 1:
            out.append(
                f'<path class="chart-line" d="{_path([(x_at(i), y_at(data[i].value)) for i in run])}"/>'
            )
    out.append("</g>")
    # A dot where a value would otherwise be invisible (alone between gaps) and on the latest.
    dotted = {run[0] for run in runs if len(run) == 1} | {runs[-1][-1]}
    out.append(f'<g class="chart-dots" fill="{ACCENT}" stroke="none">')
    for i in sorted(dotted):
        out.append(
            f'<circle class="chart-dot" cx="{_num(x_at(i))}" cy="{_num(y_at(data[i].value))}" '
            f'r="2"><title>{_esc(_tooltip(data[i], unit))}</title></circle>'
        )
    out.append("</g>")
    gaps = [i for i, d in enumerate(data) if d.value is None]
    if gaps:
        out.append(f'<g class="chart-gaps" fill="#fff" stroke="{AXIS}" stroke-width="1">')
        for i in gaps:
            out.append(
                f'<circle class="chart-gap" cx="{_num(x_at(i))}" cy="{_num(height - 2.5)}" '
                f'r="1.5"><title>{_esc(_tooltip(data[i], unit))}</title></circle>'
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def bar_chart(
    rows: Iterable[Bar],
    *,
    title: str,
    unit: str = "",
    y_min: float | None = None,
    y_max: float | None = None,
    width: int = 640,
    row_height: int = 26,
    chart_id: str | None = None,
) -> str:
    """Horizontal bars from a zero line, each with its 95% interval as a whisker and its value
    at the end; a row without enough data reads "not enough data" and has no bar.

    Negative values (an NPS difference, say) go left of zero. ``y_min``/``y_max`` fix the
    value axis, which runs across; when it does not include zero, bars start from the end
    nearest zero. A fixed end widens if a value falls beyond it.
    """
    data = _prepare(rows)
    cid = _chart_id(chart_id, "bar", title, data, ())
    shown = [d for d in data if d.value is not None]
    if not shown:
        return _empty_chart(cid, title, data, width, 60, "bar", "row")

    values = [d.value for d in shown]
    intervals = [x for d in shown if d.low is not None for x in (d.low, d.high)]
    intervals.append(0.0)  # a free end of the axis always reaches the zero line
    axis = _axis(values, intervals, y_min, y_max, 5)
    zero = min(max(0.0, axis.start), axis.end)

    labels = [_shorten(d.label, 28) for d in data]
    label_w = min(max(len(t) for t in labels) * CHAR_WIDTH + 10, width * 0.4)
    text_w = max(len(_with_unit(_num(v), unit)) for v in values) * CHAR_WIDTH + 8
    has_neg = any(d.value < zero for d in shown)
    has_pos = any(d.value >= zero for d in shown)
    left = label_w + (text_w if has_neg else 8)
    right = text_w if has_pos else 12
    plot_w = max(width - left - right, 10.0)
    top = 6.0
    height = int(math.ceil(top + row_height * len(data) + 24))
    base = top + row_height * len(data)

    def x_at(v: float) -> float:
        x = left + (v - axis.start) / (axis.end - axis.start) * plot_w
        return min(max(x, left), left + plot_w)

    out = _open(cid, "bar", title, _bar_desc(data, unit), width, height)

    out.append(f'<g class="chart-grid" stroke="{LINE}" stroke-width="1">')
    for t in axis.ticks:
        out.append(
            f'<line x1="{_num(x_at(t))}" x2="{_num(x_at(t))}" y1="{_num(top)}" y2="{_num(base)}"/>'
        )
    out.append("</g>")
    out.append(f'<g class="chart-axis" fill="{MUTED}" stroke="{AXIS}">')
    out.append(
        f'<line class="chart-zero" x1="{_num(x_at(zero))}" x2="{_num(x_at(zero))}" '
        f'y1="{_num(top)}" y2="{_num(base)}" stroke="{INK}"/>'
    )
    for t in axis.ticks:
        out.append(
            f'<text x="{_num(x_at(t))}" y="{_num(base + 16)}" text-anchor="middle" '
            f'stroke="none">{_esc(_num(t))}</text>'
        )
    out.append("</g>")

    bar_h = row_height * 0.6
    for k, d in enumerate(data):
        cy = top + row_height * (k + 0.5)
        out.append(f'<g class="chart-row"><title>{_esc(_tooltip(d, unit))}</title>')
        out.append(
            f'<text class="chart-bar-label" x="{_num(label_w - 4)}" y="{_num(cy + 4)}" '
            f'text-anchor="end" fill="{INK}">{_esc(labels[k])}</text>'
        )
        if d.value is None:
            if x_at(zero) <= left + plot_w / 2:
                anchor, tx = "start", x_at(zero) + 4
            else:
                anchor, tx = "end", x_at(zero) - 4
            out.append(
                f'<text class="chart-gap-text" x="{_num(tx)}" y="{_num(cy + 4)}" '
                f'text-anchor="{anchor}" fill="{MUTED}" font-style="italic">not enough data</text>'
            )
            out.append("</g>")
            continue
        negative = d.value < zero
        x0, x1 = sorted((x_at(zero), x_at(d.value)))
        cls, fill = ("chart-bar-neg", WARN) if negative else ("chart-bar", ACCENT)
        out.append(
            f'<rect class="{cls}" x="{_num(x0)}" y="{_num(cy - bar_h / 2)}" '
            f'width="{_num(x1 - x0)}" height="{_num(bar_h)}" fill="{fill}"/>'
        )
        ends = [x0, x1]
        if d.low is not None:
            wl, wh = x_at(d.low), x_at(d.high)
            cap = bar_h * 0.35
            out.append(
                f'<path class="chart-whisker" d="M{_num(wl)},{_num(cy)} H{_num(wh)} '
                f"M{_num(wl)},{_num(cy - cap)} V{_num(cy + cap)} "
                f'M{_num(wh)},{_num(cy - cap)} V{_num(cy + cap)}" '
                f'fill="none" stroke="{INK}" stroke-width="1.5"/>'
            )
            ends += [wl, wh]
        if negative:
            anchor, tx = "end", min(ends) - 4
        else:
            anchor, tx = "start", max(ends) + 4
        out.append(
            f'<text class="chart-value" x="{_num(tx)}" y="{_num(cy + 4)}" '
            f'text-anchor="{anchor}" fill="{INK}">{_esc(_with_unit(_num(d.value), unit))}</text>'
        )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


# --- data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Datum:
    """A point or bar made safe to draw: value None when it must not be shown; low and high
    both set, in order, or both None."""

    label: str
    value: float | None
    low: float | None
    high: float | None
    n: int
    note: str


def _finite(x: object) -> float | None:
    if x is None or isinstance(x, bool):
        return None
    try:
        f = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _prepare(items: Iterable[Point | Bar]) -> list[_Datum]:
    data = []
    for item in items or ():
        value = _finite(item.value) if item.enough else None
        low, high = _finite(item.low), _finite(item.high)
        if value is None or low is None or high is None:
            low = high = None
        elif low > high:
            low, high = high, low
        try:
            n = max(int(item.n or 0), 0)
        except (TypeError, ValueError, OverflowError):
            n = 0
        data.append(_Datum(str(item.label), value, low, high, n, str(item.note or "")))
    return data


def _runs(data: list[_Datum], keep) -> list[list[int]]:
    """Indices of the consecutive stretches of data where ``keep`` holds."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, d in enumerate(data):
        if keep(d):
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


# --- axes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Axis:
    start: float
    end: float
    ticks: list[float]


def _nice_step(raw: float) -> float:
    """The round step (1, 2 or 5 times a power of ten) nearest ``raw``; never below 0.1, so
    that ticks written with one decimal stay distinct."""
    if not math.isfinite(raw) or raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    fraction = raw / power
    nice = 1 if fraction < 1.5 else 2 if fraction < 3 else 5 if fraction < 7 else 10
    return max(nice * power, 0.1)


def _axis(
    values: list[float],
    extra: list[float],
    y_min: float | None,
    y_max: float | None,
    count: int,
) -> _Axis:
    """An axis covering ``values`` (always) and ``extra`` (intervals, zero) when its ends are
    free, with round ticks about ``count`` in number."""
    y_min, y_max = _finite(y_min), _finite(y_max)
    if y_min is not None and y_max is not None and y_min > y_max:
        y_min, y_max = y_max, y_min
    everything = values + extra
    lo = min(values) if y_min is not None else min(everything)
    hi = max(values) if y_max is not None else max(everything)
    fixed_lo = y_min is not None and y_min <= lo
    fixed_hi = y_max is not None and y_max >= hi
    if fixed_lo:
        lo = y_min
    if fixed_hi:
        hi = y_max
    if hi - lo < 1e-9:  # a constant series: open the range around it
        pad = max(abs(lo) * 0.1, 1.0)
        if not fixed_lo:
            lo -= pad
        if not fixed_hi:
            hi += pad
        if hi - lo < 1e-9:
            hi = lo + 1.0
    step = _nice_step((hi - lo) / max(count - 1, 1))
    start = lo if fixed_lo else math.floor(lo / step + 1e-9) * step
    end = hi if fixed_hi else math.ceil(hi / step - 1e-9) * step
    first = math.ceil(start / step - 1e-9)
    last = math.floor(end / step + 1e-9)
    ticks = [_clean_zero(round(k * step, 10)) for k in range(first, last + 1)]
    return _Axis(start, end, ticks)


def _thin_labels(labels: list[str], plot_w: float) -> list[int]:
    """Which x labels to write: as many as fit side by side, at most 12, evenly spaced and
    counted back from the latest period, which is always shown."""
    n = len(labels)
    longest = max(len(_shorten(t, MAX_LABEL_CHARS)) for t in labels)
    fit = max(int(plot_w // (longest * CHAR_WIDTH + 10)), 1)
    most = min(MAX_X_LABELS, fit, n)
    step = math.ceil(n / most)
    return list(range(n - 1, -1, -step))[::-1]


# --- words ---------------------------------------------------------------------------------


def _clean_zero(x: float) -> float:
    return 0.0 if x == 0 else x


def _num(x: float) -> str:
    """A number with at most one decimal, without a trailing ".0" and never "-0"."""
    # Halves round away from zero, as people do (round() would give 30.2 for 30.25).
    if abs(x) >= 1e15:  # no decimals to speak of, and x * 10 could overflow
        return f"{x:.0f}"
    r = math.copysign(math.floor(abs(x) * 10 + 0.5), x) / 10
    if r == 0:
        return "0"
    text = f"{r:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    return f"{text} {unit}" if unit[0].isalnum() else f"{text}{unit}"


def _tooltip(d: _Datum, unit: str) -> str:
    """ "2026-05: 62.5 (95% 51–72, n=40)" or "2026-05: not enough data (n=3)"."""
    if d.value is None:
        text = "not enough data" + (f" (n={d.n})" if d.n else "")
    else:
        extras = []
        if d.low is not None:
            joiner = " to " if d.low < 0 or d.high < 0 else "–"
            extras.append(f"95% {_num(d.low)}{joiner}{_num(d.high)}")
        if d.n:
            extras.append(f"n={d.n}")
        text = _with_unit(_num(d.value), unit) + (f" ({', '.join(extras)})" if extras else "")
    text = f"{d.label}: {text}"
    return f"{text} — {d.note}" if d.note else text


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _describe(data: list[_Datum], unit: str, noun: str, at) -> str:
    """ "From 54 in 2025-01 to 41 in 2026-11; 3 periods without enough data." ``at`` words
    one datum ("54 in 2025-01" for a line, "Delivery at 12" for bars)."""
    shown = [d for d in data if d.value is not None]
    first, last = shown[0], shown[-1]
    if first is last:
        text = at(first, _with_unit(_num(first.value), unit))
    else:
        text = (
            f"From {at(first, _with_unit(_num(first.value), unit))} "
            f"to {at(last, _with_unit(_num(last.value), unit))}"
        )
    missing = len(data) - len(shown)
    if missing:
        text += f"; {_plural(missing, noun)} without enough data"
    return text + "."


def _line_desc(data: list[_Datum], unit: str) -> str:
    return _describe(data, unit, "period", lambda d, value: f"{value} in {d.label}")


def _bar_desc(data: list[_Datum], unit: str) -> str:
    return _describe(data, unit, "row", lambda d, value: f"{d.label} at {value}")


def _shorten(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


# Characters XML 1.0 forbids even when escaped; a label pasted from a spreadsheet can hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _esc(text: str) -> str:
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


# --- svg -----------------------------------------------------------------------------------


def _chart_id(
    given: str | None, kind: str, title: str, data: list[_Datum], markers: Sequence
) -> str:
    """The ``<svg>`` id: the caller's, made safe, or a hash of what is drawn, so that it is
    the same on every run and differs between charts that differ."""
    if given:
        safe = re.sub(r"[^A-Za-z0-9_-]", "-", str(given))
        return safe if safe[0].isalpha() else f"chart-{safe}"
    key = repr((kind, str(title), [astuple(d) for d in data], list(markers)))
    return "chart-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _open(
    cid: str, kind: str, title: str, desc: str, width: int, height: int, *, fixed: bool = False
) -> list[str]:
    """The ``<svg>`` element with its title and desc; it scales with its container (or keeps
    its pixel size when ``fixed``)."""
    size = f'width="{width}" height="{height}"' if fixed else 'width="100%"'
    return [
        f'<svg xmlns="{SVG_NS}" id="{_esc(cid)}" class="chart" data-chart="{kind}" '
        f'viewBox="0 0 {width} {height}" {size} preserveAspectRatio="xMidYMid meet" '
        f'role="img" aria-labelledby="{_esc(cid)}-title {_esc(cid)}-desc" '
        f'font-family="{_esc(FONT)}" font-size="{FONT_SIZE}">'
        f'<title id="{_esc(cid)}-title">{_esc(title)}</title>'
        f'<desc id="{_esc(cid)}-desc">{_esc(desc)}</desc>'
    ]


def _hatch(cid: str) -> str:
    return (
        f'<defs><pattern id="{_esc(cid)}-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{LINE}" stroke-width="2"/>'
        "</pattern></defs>"
    )


def _path(xy: list[tuple[float, float]]) -> str:
    return "M" + " L".join(f"{_num(x)},{_num(y)}" for x, y in xy)


def _empty_chart(
    cid: str, title: str, data: list[_Datum], width: int, height: int, kind: str, noun: str
) -> str:
    """The chart drawn when nothing may be shown: it says so, in words."""
    if data:
        desc = f"{NOT_ENOUGH_DATA}: {_plural(len(data), noun)}, none with enough data."
    else:
        desc = f"{NOT_ENOUGH_DATA}."
    small = kind == "sparkline"
    out = _open(cid, kind, title, desc, width, height, fixed=small)
    out.append(
        f'<text class="chart-empty" x="{_num(width / 2)}" y="{_num(height / 2 + 4)}" '
        f'text-anchor="middle" fill="{MUTED}"'
        + (' font-size="9"' if small else "")
        + f">{NOT_ENOUGH_DATA}</text></svg>"
    )
    return "".join(out)
