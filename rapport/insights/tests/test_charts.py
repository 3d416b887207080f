"""The SVG charts: pure functions of their data, so these tests need no database."""

import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from rapport.insights.charts import NOT_ENOUGH_DATA, Bar, Point, bar_chart, line_chart, sparkline

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    # The input is our own output; parsing it is the well-formedness check.
    root = ET.fromstring(svg)  # noqa: S314
    assert root.tag == f"{SVG}svg"
    return root


def by_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if cls in e.get("class", "").split()]


def tooltips(root: ET.Element, tag: str, cls: str) -> list[str]:
    return [e.find(f"{SVG}title").text for e in by_class(root, tag, cls)]


def y_ticks(root: ET.Element) -> list[float]:
    axis = by_class(root, "g", "chart-axis")[0]  # the first axis group holds the y ticks
    return [float(t.text.rstrip("%")) for t in axis.iter(f"{SVG}text")]


def x_labels(root: ET.Element) -> list[str]:
    return [t.text for t in by_class(root, "text", "chart-x-label")]


def months(values, **kwargs) -> list[Point]:
    return [
        Point(f"{2025 + (i // 12)}-{i % 12 + 1:02d}", v, **kwargs) for i, v in enumerate(values)
    ]


def is_round(step: float) -> bool:
    power = 10 ** math.floor(math.log10(step))
    return any(math.isclose(step, m * power) for m in (1, 2, 5, 10))


# --- every chart ---------------------------------------------------------------------------


ALL_KINDS = [
    lambda: line_chart(months([54, None, 41]), title="Index"),
    lambda: sparkline(months([54, None, 41])),
    lambda: bar_chart([Bar("Delivery", -12, -20, -4, n=80), Bar("Price", None)], title="NPS"),
    lambda: line_chart([], title="Index"),
    lambda: sparkline([]),
    lambda: bar_chart([], title="NPS"),
]


@pytest.mark.parametrize("draw", ALL_KINDS)
def test_every_chart_is_a_labelled_image_that_scales(draw):
    root = parse(draw())
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title" and title.text
    assert desc.tag == f"{SVG}desc" and desc.text.endswith(".")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("id") and title.get("id").startswith(root.get("id"))
    assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox"))
    assert root.get("preserveAspectRatio") == "xMidYMid meet"
    if root.get("data-chart") != "sparkline":  # a table cell keeps a sparkline's pixel size
        assert root.get("width") == "100%"


def test_the_id_is_stable_and_differs_between_charts():
    points = months([54, 56, 41])
    first = parse(line_chart(points, title="Index")).get("id")
    assert parse(line_chart(points, title="Index")).get("id") == first
    assert parse(line_chart(points, title="NPS")).get("id") != first
    assert parse(line_chart(months([54, 56, 42]), title="Index")).get("id") != first
    assert parse(line_chart(points, title="Index", chart_id="rci")).get("id") == "rci"


def test_a_fresh_interpreter_gives_the_same_id():
    code = (
        "from rapport.insights.charts import Point, line_chart\n"
        "print(line_chart([Point('2025-01', 54.0)], title='Index').split('id=\"')[1][:18])\n"
    )
    ids = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    here = parse(line_chart([Point("2025-01", 54.0)], title="Index")).get("id")
    assert ids == {here + "\n"}


def test_it_imports_without_loading_django():
    code = (
        "import sys, rapport.insights.charts\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_it_escapes_every_text():
    evil = "<script>alert('x')</script> & co"
    svg = line_chart(
        [Point(evil, 50, 40, 60, n=9, note=evil), Point("2025-02", 51)],
        title=evil,
        unit="%",
        markers=[(evil, evil)],
    )
    svg += bar_chart([Bar(evil, 3)], title=evil) + sparkline([Point(evil, 1)], title=evil)
    assert "<script" not in svg
    root = parse(line_chart([Point(evil, 50), Point("b", 51)], title=evil))
    assert root[0].text == evil
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    assert tooltips(root, "circle", "chart-dot")[0] == f"{evil}: 50"


def test_control_characters_in_a_label_do_not_break_the_xml():
    parse(line_chart([Point("a\x00b\x0bc", 1), Point("d\x1f", 2)], title="t\x07"))


def test_numbers_have_at_most_one_decimal_and_never_minus_zero():
    svg = line_chart(
        [Point("a", -0.04, -0.3, 0.2, n=5), Point("b", 1 / 3), Point("c", 30.25)], title="t"
    )
    root = parse(svg)
    assert tooltips(root, "circle", "chart-dot") == [
        "a: 0 (95% -0.3 to 0.2, n=5)",
        "b: 0.3",
        "c: 30.3",
    ]
    drawn = svg.split("</desc>")[1].replace('fill-opacity="0.15"', "")
    numbers = re.findall(r"-?\d+\.\d+", drawn)
    assert numbers and all(len(n.split(".")[1]) == 1 for n in numbers)
    assert not re.search(r"(?<![\d.])-0(?![.\d])", svg)


# --- line chart ----------------------------------------------------------------------------


def test_a_period_without_enough_data_breaks_the_line():
    points = months([54, 56, None, 50, 48, 47])
    root = parse(line_chart(points, title="Index"))
    assert len(by_class(root, "path", "chart-line")) == 2
    assert len(by_class(root, "circle", "chart-dot")) == 5
    assert len(by_class(root, "circle", "chart-gap")) == 1


def test_not_enough_nan_and_infinity_all_count_as_gaps_never_as_zero():
    points = [
        Point("2025-01", 54),
        Point("2025-02", 12, enough=False, n=3),
        Point("2025-03", 50),
        Point("2025-04", math.nan),
        Point("2025-05", 48),
        Point("2025-06", math.inf),
        Point("2025-07", 47),
        Point("2025-08", 46),
    ]
    root = parse(line_chart(points, title="Index"))
    # Three stretches of one point have no line; only 2025-07..08 is joined.
    assert len(by_class(root, "path", "chart-line")) == 1
    assert len(by_class(root, "circle", "chart-gap")) == 3
    assert min(y_ticks(root)) > 12  # the hidden 12 does not pull the axis down
    assert root[1].text == "From 54 in 2025-01 to 46 in 2025-08; 3 periods without enough data."


def test_tooltips_give_the_value_interval_and_n_or_say_not_enough_data():
    points = [Point("2026-04", 62.5, 51, 72, n=40), Point("2026-05", None, n=3)]
    root = parse(line_chart(points, title="Index"))
    assert tooltips(root, "circle", "chart-dot") == ["2026-04: 62.5 (95% 51–72, n=40)"]
    assert tooltips(root, "circle", "chart-gap") == ["2026-05: not enough data (n=3)"]


def test_the_band_shows_the_interval_only_where_it_is_known():
    points = months([54, 56, 58, None, 50], low=40, high=70)
    root = parse(line_chart(points, title="Index"))
    assert len(by_class(root, "g", "chart-band")[0]) == 2  # one shape each side of the gap
    assert not by_class(parse(line_chart(points, title="Index", band=False)), "g", "chart-band")
    assert not by_class(parse(line_chart(months([54, 56]), title="Index")), "g", "chart-band")


@pytest.mark.parametrize(
    ("values", "low", "high"),
    [([54, 41, 47], 30, 70), ([3.2, 4.6], None, None), ([-37, 12, 80], None, None), ([0.4], 0, 1)],
)
def test_y_ticks_are_round_numbers_covering_the_values_and_the_band(values, low, high):
    points = [
        Point(str(i), v, v - 5 if low is not None else None, v + 5 if high is not None else None)
        for i, v in enumerate(values)
    ]
    ticks = y_ticks(parse(line_chart(points, title="t")))
    covered = values + ([v - 5 for v in values] + [v + 5 for v in values] if low else [])
    assert ticks[0] <= min(covered) and ticks[-1] >= max(covered)
    steps = {round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1 and is_round(steps.pop())
    assert 3 <= len(ticks) <= 9


def test_a_fixed_range_is_kept_for_index_scores_and_nps():
    assert y_ticks(parse(line_chart(months([54, 41]), title="t", y_min=0, y_max=100))) == [
        0,
        20,
        40,
        60,
        80,
        100,
    ]
    nps = y_ticks(parse(line_chart(months([-5, 12]), title="NPS", y_min=-100, y_max=100)))
    assert nps == [-100, -50, 0, 50, 100]


def test_a_constant_series_gets_a_sensible_range():
    root = parse(line_chart(months([7, 7, 7, 7]), title="t"))
    ticks = y_ticks(root)
    assert ticks[0] < 7 < ticks[-1]
    assert len({d.get("cy") for d in by_class(root, "circle", "chart-dot")}) == 1
    parse(line_chart(months([0, 0]), title="t"))
    parse(line_chart(months([50, 50]), title="t", y_min=50, y_max=50))
    parse(sparkline(months([7, 7, 7])))
    parse(bar_chart([Bar("a", 0), Bar("b", 0)], title="t"))


def test_markers_are_drawn_at_their_periods_with_their_captions():
    points = months([54, 56, 50, 48, 47, 45])
    root = parse(
        line_chart(
            points,
            title="Index",
            markers=[("2025-03", "chatbot launched"), ("1999-01", "not a period here")],
        )
    )
    (group,) = by_class(root, "g", "chart-marker")
    (marker,) = list(group)
    line = marker.find(f"{SVG}line")
    assert marker.find(f"{SVG}text").text == "chatbot launched"
    assert line.get("stroke-dasharray")
    third_dot = by_class(root, "circle", "chart-dot")[2]
    assert line.get("x1") == third_dot.get("cx")


def test_a_thousand_points_render_with_at_most_twelve_x_labels():
    points = [Point(f"day {i}", 50 + 10 * math.sin(i / 30), n=20) for i in range(1000)]
    root = parse(line_chart(points, title="Daily"))
    labels = x_labels(root)
    assert 6 <= len(labels) <= 12
    assert labels[-1] == "day 999"
    assert len(by_class(root, "circle", "chart-dot")) == 1000
    # Short labels would fit by the dozen: twelve is still the most.
    short = parse(line_chart([Point(str(i), i % 7) for i in range(1000)], title="t"))
    assert 6 <= len(x_labels(short)) <= 12


def test_x_labels_never_overlap_on_a_narrow_chart():
    points = months(range(36))
    root = parse(line_chart(points, title="t", width=320))
    texts = by_class(root, "text", "chart-x-label")
    xs = [float(t.get("x")) for t in texts]
    width_each = max(len(t.text) for t in texts) * 11 * 0.6
    assert all(b - a >= width_each for a, b in zip(xs, xs[1:], strict=False))


def test_all_labels_of_a_short_series_are_shown():
    assert x_labels(parse(line_chart(months([1, 2, 3, 4]), title="t"))) == [
        "2025-01",
        "2025-02",
        "2025-03",
        "2025-04",
    ]


@pytest.mark.parametrize(
    "points",
    [[], [Point("2025-01", None, n=2), Point("2025-02", 4, enough=False)], [Point("a", math.nan)]],
)
def test_nothing_to_show_gives_the_not_enough_data_chart(points):
    for svg in (
        line_chart(points, title="Index"),
        sparkline(points),
        bar_chart([Bar(p.label, p.value, enough=p.enough) for p in points], title="NPS"),
    ):
        root = parse(svg)
        assert by_class(root, "text", "chart-empty")[0].text == NOT_ENOUGH_DATA
        assert root[1].text.startswith(NOT_ENOUGH_DATA)
        assert not by_class(root, "path", "chart-line")


def test_the_summary_names_the_first_and_last_values_shown():
    points = [Point("2025-01", None, n=2), *months([54, 50]), Point("2026-11", 41, n=30)]
    root = parse(line_chart(points, title="Index", unit="%"))
    assert root[1].text == "From 54% in 2025-01 to 41% in 2026-11; 1 period without enough data."
    assert parse(line_chart([Point("2025-01", 54)], title="t"))[1].text == "54 in 2025-01."


# --- sparkline -----------------------------------------------------------------------------


def test_a_sparkline_breaks_at_gaps_and_has_no_axes():
    root = parse(sparkline(months([1, 2, None, 3, 4, None, 5])))
    assert len(by_class(root, "path", "chart-line")) == 2
    assert len(by_class(root, "circle", "chart-gap")) == 2
    assert tooltips(root, "circle", "chart-gap")[0] == "2025-03: not enough data"
    assert not by_class(root, "g", "chart-axis")
    assert (root.get("width"), root.get("height")) == ("120", "28")


# --- bar chart -----------------------------------------------------------------------------


def zero_x(root: ET.Element) -> float:
    return float(by_class(root, "line", "chart-zero")[0].get("x1"))


def test_negative_bars_go_left_of_zero_and_positive_ones_right():
    rows = [Bar("Delivery", -12, -20, -4, n=80), Bar("Price", 8, 2, 14, n=60)]
    root = parse(bar_chart(rows, title="NPS difference by theme"))
    zero = zero_x(root)
    (neg,) = by_class(root, "rect", "chart-bar-neg")
    (pos,) = by_class(root, "rect", "chart-bar")
    assert math.isclose(float(neg.get("x")) + float(neg.get("width")), zero)
    assert float(neg.get("width")) > 0
    assert math.isclose(float(pos.get("x")), zero)
    assert len(by_class(root, "path", "chart-whisker")) == 2
    values = by_class(root, "text", "chart-value")
    assert [v.text for v in values] == ["-12", "8"]
    assert float(values[0].get("x")) < zero < float(values[1].get("x"))


def test_a_row_without_enough_data_says_so_and_has_no_bar():
    rows = [Bar("Delivery", 12, n=80), Bar("Staff", 40, n=3, enough=False)]
    root = parse(bar_chart(rows, title="NPS by theme"))
    assert len(by_class(root, "rect", "chart-bar")) == 1
    assert [t.text for t in by_class(root, "text", "chart-gap-text")] == ["not enough data"]
    assert tooltips(root, "g", "chart-row") == [
        "Delivery: 12 (n=80)",
        "Staff: not enough data (n=3)",
    ]
    assert root[1].text == "Delivery at 12; 1 row without enough data."


def test_bars_start_from_zero_even_when_all_values_are_positive():
    root = parse(bar_chart([Bar("a", 40), Bar("b", 60)], title="t"))
    zero = zero_x(root)
    assert all(math.isclose(float(r.get("x")), zero) for r in by_class(root, "rect", "chart-bar"))
    ticks = [float(t.text) for t in by_class(root, "g", "chart-axis")[0].iter(f"{SVG}text")]
    assert ticks[0] == 0 and ticks[-1] >= 60
