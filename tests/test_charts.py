"""Charts and the budget bridge behind the waterfall."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mtfpmodel
from mtfpmodel.outputs.charts import CHARTS, rag_of, write_charts
from mtfpmodel.outputs.chartstyle import scale_for
from mtfpmodel.outputs.outdir import staged_output
from mtfpmodel.results.bridge import bridge

STRETCHED = Path(__file__).parent / "reports" / "stretched.yaml"

TINY = """
scenario: tiny
base_year: "2024/25"
years: 1
assumptions: {pay: 10%}
expenditure:
  - {name: Care, base: 1000, cost_mix: {pay: 100%}, demand: 5%}
pressures:
  - {name: Winter, amount: 20}
funding:
  council_tax: {tax_base: 1000, band_d: 1000, increase: {core: 3%}}
savings:
  - {name: Review, kind: fixed, saving: 30, implementation_cost: 8}
"""


def test_bridge_of_a_hand_worked_plan(run_text):
    # cost 2025/26 = 1000 * 1.10 * 1.05 = 1155: pay inflation 1000 * 0.10 = 100 (demand held at 0%),
    # demand the rest, 1155 - 1100 = 55. Pressure 20. Council tax 1000 * 1000 / 1000 = 1000 rising 3%:
    # -30. Savings -30, one-off costs +8. Net gap = 0 + 100 + 55 + 20 - 30 - 30 + 8 = 123.
    steps = bridge(run_text(TINY))
    assert [(s.label, round(s.value, 9)) for s in steps] == [
        ("2024/25 gap", 0.0), ("pay inflation", 100.0), ("demand", 55.0), ("pressures", 20.0),
        ("council tax", -30.0), ("savings", -30.0), ("one-off costs", 8.0), ("2025/26 net gap", 123.0)]
    assert [s.total for s in steps] == [True] + [False] * 6 + [True]


@pytest.mark.parametrize("path", [STRETCHED, Path(__file__).parents[1] / "scenarios" / "example.yaml"])
def test_bridge_steps_add_up_exactly_to_the_net_gap(path):
    if not path.exists():
        pytest.skip(f"{path.name} not written yet")
    result = mtfpmodel.run(mtfpmodel.load(path))
    steps = bridge(result)
    final = float(result.results.net_gap[0, -1])
    assert steps[-1].value == final
    assert sum(s.value for s in steps[:-1]) == pytest.approx(final, abs=1e-9 * abs(result.results.net_expenditure[0, -1]))
    assert {s.label for s in steps} >= {"pay inflation", "demand", "council tax", "savings"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pay=st.floats(-0.05, 0.15), care=st.floats(0, 0.15), demand=st.floats(-0.05, 0.12),
       increase=st.floats(0, 0.05), year=st.integers(1, 4))
def test_bridge_identity_holds_for_any_assumptions(pay, care, demand, increase, year):
    overrides = [f"assumptions.pay={pay}", f"assumptions.care_fees={care}",
                 f"expenditure[Children's social care].demand={demand}",
                 f"funding.council_tax.increase.core={increase}"]
    result = mtfpmodel.run(mtfpmodel.load(STRETCHED, overrides))
    steps = bridge(result, year)
    assert steps[-1].value == float(result.results.net_gap[0, year])
    assert sum(s.value for s in steps[:-1]) == pytest.approx(steps[-1].value, abs=1e-6)


def test_write_charts_draws_png_at_300_dpi_and_svg(tmp_path):
    from PIL import Image

    result = mtfpmodel.run(mtfpmodel.load(STRETCHED))
    announced = []
    with staged_output(tmp_path / "out") as staging:
        written = write_charts(result, staging, announce=announced.append)
    assert written == [f"charts/{name}.{ext}" for name in CHARTS for ext in ("png", "svg")]
    assert len(announced) == len(CHARTS)
    for name in CHARTS:
        with Image.open(tmp_path / "out" / "charts" / f"{name}.png") as image:
            assert image.info["dpi"][0] == pytest.approx(300, abs=1)
            assert image.width > 1500
        svg = (tmp_path / "out" / "charts" / f"{name}.svg").read_text(encoding="utf-8")
        assert "<svg" in svg and "£m" in svg        # the unit is on the axis (£m: a £400m budget)
    reserves = (tmp_path / "out" / "charts" / "reserves.svg").read_text(encoding="utf-8")
    assert "below the minimum in 2025/26" in reserves and "reserves run out in 2028/29" in reserves
    assert "2026/27" in (tmp_path / "out" / "charts" / "gap.svg").read_text(encoding="utf-8")


def test_scale_switches_to_millions_from_a_50m_budget():
    assert scale_for("£000", [49_999]).unit == "£000"
    big = scale_for("£000", [50_000])
    assert (big.unit, big.factor, big.text(123_456)) == ("£m", 0.001, "123.5")
    assert scale_for("£", [50_000]).unit == "£"
    assert scale_for("£", [50e6]).unit == "£m"
    assert scale_for("£m", [0.5]).unit == "£m"


def test_every_chart_of_a_plan_uses_one_scale(tmp_path):
    # Regression: run charts switched to £m at a £50m budget, the compare chart at £100m of gap
    # or reserves and the risk charts never. A £70m budget is drawn in £m everywhere.
    from mtfpmodel.outputs.chartstyle import scale_of

    result = mtfpmodel.run(mtfpmodel.load(STRETCHED))
    assert scale_of(result).unit == "£m"
    assert scale_for(result.units, result.results.net_expenditure[0]) == scale_of(result)


def test_rag_of_uses_the_word_or_the_band_of_a_share():
    result = mtfpmodel.run(mtfpmodel.load(STRETCHED))
    streams = {s.name: s for s in result.scenario.savings}
    # green 95%, amber 70%, red 30% by default: 90% is amber's band, 60% red's.
    assert rag_of(result, streams["Shared back office"]) == "green"
    assert rag_of(result, streams["LED street lighting"]) == "amber"
    assert rag_of(result, streams["Reablement"]) == "red"


def test_validate_does_not_import_matplotlib():
    code = ("import sys; from mtfpmodel.cli import main; code = main(['validate', sys.argv[1]]); "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(STRETCHED)], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_a_plan_without_savings_streams_still_gets_every_chart(tmp_path):
    # Regression: the savings chart built a legend with zero columns and matplotlib raised.
    scenario = tmp_path / "nostreams.yaml"
    scenario.write_text(TINY.split("savings:")[0], encoding="utf-8")
    result = mtfpmodel.run(mtfpmodel.load(scenario))
    with staged_output(tmp_path / "out") as staging:
        written = write_charts(result, staging)
    assert "charts/savings.png" in written
    assert "no savings streams" in (tmp_path / "out" / "charts" / "savings.svg").read_text(encoding="utf-8")


def test_below_minimum_shading_starts_where_reserves_cross_the_minimum():
    # Regression: the shading ran from the last year above the minimum, not from the crossing.
    # Reserves 20 then 10 against a minimum of 15: the lines cross half way, at x = 1.5.
    import numpy as np

    from mtfpmodel.outputs.charts import shade_below_minimum
    from mtfpmodel.outputs.chartstyle import pyplot

    fig, ax = pyplot().subplots()
    shaded = shade_below_minimum(ax, np.array([1.0, 2.0]), np.array([20.0, 10.0]), np.array([15.0, 15.0]))
    xs = np.concatenate([path.vertices[:, 0] for path in shaded.get_paths()])
    assert xs.min() == pytest.approx(1.5)
    pyplot().close(fig)
def _pixels(path: Path):
    import numpy as np
    from PIL import Image

    with Image.open(path) as image:                 # RGBA, whichever way the file stores the pixels
        return np.asarray(image.convert("RGBA"))


def _svg(path: Path) -> str:
    import re

    text = path.read_text(encoding="utf-8")     # ids are random per drawing, the date per second
    return re.sub(r"\b[pmh][0-9a-f]{10}\b", "ID", re.sub(r"<dc:date>.*?</dc:date>", "", text))


def test_charts_drawn_in_parallel_are_those_drawn_one_by_one(tmp_path, monkeypatch):
    result = mtfpmodel.run(mtfpmodel.load(STRETCHED))
    for workers in ("1", "4"):
        monkeypatch.setenv("MTFP_WORKERS", workers)
        with staged_output(tmp_path / workers) as staging:
            written = write_charts(result, staging)
    assert len(written) == 2 * len(CHARTS)
    for name in written:
        one, four = tmp_path / "1" / name, tmp_path / "4" / name
        if name.endswith(".png"):
            assert (_pixels(one) == _pixels(four)).all(), name
        else:
            assert _svg(one) == _svg(four), name


def test_the_png_crop_is_the_one_savefig_chooses(tmp_path):
    # chartstyle.save measures the tight crop once instead of savefig's dry-run drawing: the
    # pixels must be exactly those of savefig(bbox_inches="tight"), as before the change.
    from mtfpmodel.outputs import charts
    from mtfpmodel.outputs.bridgechart import bridge_chart
    from mtfpmodel.outputs.chartstyle import DPI, save

    result = mtfpmodel.run(mtfpmodel.load(STRETCHED))
    for draw in (charts.gap_chart, bridge_chart, charts.savings_chart, charts.reserves_chart):
        reference = draw(result)
        reference.savefig(tmp_path / "tight.png", dpi=DPI, bbox_inches="tight")
        reference.savefig(tmp_path / "tight.svg", dpi=DPI, bbox_inches="tight")
        save(draw(result), tmp_path / "saved")
        assert (_pixels(tmp_path / "tight.png") == _pixels(tmp_path / "saved.png")).all(), draw.__name__
        assert _svg(tmp_path / "tight.svg") == _svg(tmp_path / "saved.svg"), draw.__name__


def test_a_raw_buffer_of_another_shape_falls_back_to_savefigs_own_png(tmp_path, monkeypatch):
    # save_png takes matplotlib's (height, width, 4) buffer; were it handed flat bytes instead (a
    # matplotlib that changed print_raw), savefig must write the PNG itself, the same pixels.
    from mtfpmodel.outputs import charts, chartstyle

    result = mtfpmodel.run(mtfpmodel.load(STRETCHED))
    chartstyle.save(charts.gap_chart(result), tmp_path / "shaped")
    monkeypatch.setattr(chartstyle._Pixels, "write", lambda self, data: None)   # rgba stays None
    chartstyle.save(charts.gap_chart(result), tmp_path / "flat")
    assert (_pixels(tmp_path / "shaped.png") == _pixels(tmp_path / "flat.png")).all()


def test_the_png_writer_keeps_the_pixels_the_resolution_and_the_software_text(tmp_path):
    # pngfile.write_png replaces Pillow's encoder for the charts: a decoder must read back the
    # very pixels given, the dpi and matplotlib's Software text; an opaque image is stored as
    # RGB, one with any transparency as RGBA.
    import numpy as np
    from PIL import Image

    from mtfpmodel.outputs.pngfile import png_size, write_png

    rng = np.random.default_rng(7)
    opaque = rng.integers(0, 256, size=(37, 53, 4), dtype=np.uint8)
    opaque[:, :, 3] = 255
    clear = opaque.copy()
    clear[5, 9, 3] = 17
    for name, pixels, mode in (("opaque", opaque, "RGB"), ("clear", clear, "RGBA")):
        path = tmp_path / f"{name}.png"
        write_png(path, pixels, 300, "Matplotlib version9.9, https://matplotlib.org/")
        with Image.open(path) as image:
            image.load()                            # decodes every row, checking the CRCs
            assert image.mode == mode and image.size == (53, 37)
            assert image.info["dpi"][0] == pytest.approx(300, abs=0.01)
            assert image.info["Software"] == "Matplotlib version9.9, https://matplotlib.org/"
            assert (np.asarray(image.convert("RGBA")) == pixels).all()
        assert png_size(path) == (53, 37)                        # read back from the header, as Word needs it
    (tmp_path / "not.png").write_text("not a PNG\n")
    assert png_size(tmp_path / "not.png") == (0, 0)


def test_a_stream_name_of_up_to_42_characters_is_named_whole_beside_the_savings_chart(tmp_path):
    # Before: "Reablement and demand managem… (3.9)": names were cut at 30 characters though the
    # chart had room, and a saving was written in brackets, which read as a negative.
    from matplotlib.text import Annotation

    from mtfpmodel.outputs import charts
    from mtfpmodel.outputs.chartstyle import pyplot

    result = mtfpmodel.run(Path(__file__).resolve().parents[1] / "scenarios" / "example.yaml")
    pyplot()
    fig = charts.savings_chart(result)
    texts = {a.get_text() for a in fig.axes[0].texts if isinstance(a, Annotation)}
    assert "Reablement and demand management: 3.9" in texts
    assert "Administrative buildings rationalisation: 1.0" in texts
    pyplot().close(fig)


def test_a_large_savings_programme_names_its_largest_streams_and_counts_the_rest(tmp_path):
    # Before: every stream was named beside the last bar, so a programme of 200 streams made a
    # chart 38 inches tall (2,315 x 11,400 pixels) that took 8 s to draw. Now the 15 largest by
    # final-year net saving are named and one note gives how many others there are and their total.
    from matplotlib.text import Annotation

    from mtfpmodel.outputs import charts
    from mtfpmodel.outputs.chartstyle import pyplot

    streams = "".join(f"  - {{name: Stream {n}, kind: fixed, saving: {n}, confidence: amber}}\n" for n in range(1, 41))
    path = tmp_path / "many.yaml"
    path.write_text(TINY.replace("years: 1", "years: 2").split("savings:")[0] + "savings:\n" + streams,
                    encoding="utf-8")
    result = mtfpmodel.run(mtfpmodel.load(path))
    pyplot()
    fig = charts.savings_chart(result)
    texts = [a.get_text() for a in fig.axes[0].texts if isinstance(a, Annotation) and not a.get_text().startswith("total")]
    named = [t for t in texts if t.startswith("Stream ")]
    # Final-year saving of stream n is 2n (n a year, recurring): the 15 largest are streams 26 to 40.
    assert sorted(int(t.split()[1].rstrip(":")) for t in named) == list(range(26, 41))
    assert "Stream 40: 80" in named                 # a saving reads as a figure, not in brackets
    # The other 25 streams save 2 x (1 + ... + 25) = 650 (£000) in the final year.
    assert texts[-1] == "and 25 smaller streams (650): see savings.csv"
    fig.set_dpi(300)
    width, height = fig.get_tightbbox(fig.canvas.get_renderer()).size
    assert height < 6                                           # inches: the chart's own height, not a list
    pyplot().close(fig)


LONG_PLAN = """
scenario: long
base_year: "2024/25"
years: {years}
assumptions: {{pay: 3%}}
expenditure:
  - {{name: Care, base: 1000, cost_mix: {{pay: 100%}}, demand: 3%}}
funding:
  council_tax: {{tax_base: 1000, band_d: 1000, increase: {{core: 2.99%}}}}
savings:
  - {{name: Review, kind: fixed, saving: 30}}
reserves: {{opening: 500, minimum: 5%}}
"""


@pytest.mark.parametrize("years, named, figured", [
    (4, ["2025/26", "2026/27", "2027/28", "2028/29"], True),
    (10, ["2026/27", "2028/29", "2030/31", "2032/33", "2034/35"], True),
    (20, ["2026/27", "2029/30", "2032/33", "2035/36", "2038/39", "2041/42", "2044/45"], False),
])
def test_a_long_plan_names_every_kth_year_ending_with_the_last(run_text, years, named, figured):
    # Before: every year was named side by side, so the labels of a ten-year plan ran into each
    # other ('2025/262026/27' on the savings chart) and a twenty-year plan's were unreadable on
    # every chart, as were its 60 bar figures. Now at most 8 years are named (every year is
    # still marked), counting back from the final year; bars carry figures up to 10 years.
    from mtfpmodel.outputs.charts import gap_chart, reserves_chart, savings_chart
    from mtfpmodel.outputs.chartstyle import pyplot

    result = run_text(LONG_PLAN.format(years=years))
    for draw in (gap_chart, savings_chart, reserves_chart):
        fig = draw(result)
        ax = fig.axes[0]
        labels = [t.get_text() for t in ax.get_xticklabels()]
        shown = [label for label in labels if label]
        years_drawn = result.labels if draw is reserves_chart else result.labels[1:]     # reserves: the opening too
        assert len(labels) == len(years_drawn)                                        # every year marked
        assert shown == (named if draw is not reserves_chart else list(years_drawn) if years == 4 else shown)
        assert len(shown) <= 8 and shown[-1] == result.labels[-1] and set(shown) <= set(years_drawn)
        texts = [t.get_text() for t in ax.texts]
        figures = [t for t in texts if t.startswith("total ")] if draw is savings_chart else \
            [t for t in texts if t[:1].isdigit()]
        assert bool(figures) == figured, draw.__name__
        pyplot().close(fig)


def test_a_bridge_step_too_small_to_show_is_labelled_0_not_minus_0():
    # Before: a change that rounds to nothing at the chart's scale was labelled "−0" (or "+0");
    # the tables write such a figure as 0, and so does the chart now. Changes still carry a sign.
    import matplotlib.pyplot as plt

    from mtfpmodel.outputs.bridgechart import waterfall
    from mtfpmodel.outputs.chartstyle import Scale
    from mtfpmodel.results.bridge import Step

    fig, ax = plt.subplots()
    steps = [Step("Base-year gap", 100.0, total=True), Step("Tiny fall", -0.2), Step("Tiny rise", 0.3),
             Step("Pay", 6.0), Step("Grants", -2.0), Step("Net gap", 103.9, total=True)]
    waterfall(ax, steps, Scale("£000", 1.0))
    assert [t.get_text() for t in ax.texts] == ["100", "0", "0", "+6", "−2", "104"]
    plt.close(fig)


EXAMPLES = Path(__file__).parent.parent / "scenarios"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_bridge_step_labels_do_not_run_into_each_other(path):
    # Before: the room for each step was guessed from its letters, and the durham plans' 'apprentice-'
    # and 'contractual' (two 11-letter lines side by side) overlapped by 2 pixels, as did two of
    # example.yaml's; 8 of the 10 shipped bridges had labels touching or overlapping. Now the labels
    # are measured as drawn and the chart widened until each clears its neighbours.
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from mtfpmodel.outputs.bridgechart import bridge_chart
    from mtfpmodel.outputs.chartstyle import pyplot

    import math

    fig = bridge_chart(mtfpmodel.run(mtfpmodel.load(path)))
    renderer = FigureCanvasAgg(fig).get_renderer()
    ticks = fig.axes[0].get_xticklabels()
    if ticks[0].get_rotation() == 0:                # level, wrapped: side by side with white between
        boxes = [label.get_window_extent(renderer) for label in ticks]
        gaps = [right.x0 - left.x1 for left, right in zip(boxes, boxes[1:])]
        assert min(gaps) >= fig.dpi / 72, gaps        # a point of white at least between neighbours
    else:                                           # slanted at 45°, one line each: parallel lines of text
        assert ticks[0].get_rotation() == 45 and not any("\n" in t.get_text() for t in ticks)
        x = fig.axes[0].transData.transform([(0, 0), (1, 0)])[:, 0]
        apart = (x[1] - x[0]) * math.sin(math.radians(45))        # between neighbouring slanted lines
        line = 1.2 * ticks[0].get_fontsize() * fig.dpi / 72
        assert apart >= line + fig.dpi / 72, (apart, line)
        assert fig.get_figwidth() <= 9.0                # and the chart about a page wide, its type full size
    pyplot().close(fig)


def test_a_bridge_whose_labels_fit_keeps_its_size():
    # darlington's twelve steps fit at the width the step count gives: nothing is widened
    from mtfpmodel.outputs.bridgechart import bridge_chart
    from mtfpmodel.outputs.chartstyle import pyplot

    fig = bridge_chart(mtfpmodel.run(mtfpmodel.load(EXAMPLES / "darlington.yaml")))
    assert fig.get_figwidth() == pytest.approx(0.55 * 12 + 1.5)
    pyplot().close(fig)


def test_a_cause_too_long_for_three_lines_ends_in_an_ellipsis_not_silently_cut():
    # Before: the movement bridge kept the first three lines of a cause and dropped the rest without a mark
    from mtfpmodel.outputs.movementchart import _wrap

    label = "New grant: Children's Social Care Prevention Grant (Families First Partnership)"
    assert _wrap(label) == "New grant:\nChildren's Social\nCare Prevention…"
    assert _wrap("Assumption: pay") == "Assumption: pay"


def test_the_reserves_charts_below_the_minimum_label_is_clear_of_both_lines():
    # Before: with reserves first below the minimum in the final year (durham.yaml, 2028/29), the
    # label "below the minimum in 2028/29" sat level with the mark, and the dashed minimum line ran
    # through it, orange on orange. Now it sits below and to the left, under both lines.
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from mtfpmodel.outputs.charts import reserves_chart
    from mtfpmodel.outputs.chartstyle import pyplot

    fig = reserves_chart(mtfpmodel.run(mtfpmodel.load(EXAMPLES / "durham.yaml")))
    ax = fig.axes[0]
    renderer = FigureCanvasAgg(fig).get_renderer()
    (label,) = [t for t in ax.texts if t.get_text().startswith("below the minimum")]
    box = label.get_window_extent(renderer)
    for line in ax.get_lines()[:2]:                      # closing reserves, then the minimum
        points = ax.transData.transform(np.column_stack(line.get_data()))
        xs = np.linspace(box.x0, box.x1, 50)
        inside = (xs >= points[0, 0]) & (xs <= points[-1, 0])
        assert (np.interp(xs[inside], points[:, 0], points[:, 1]) > box.y1).all(), line.get_label()
    pyplot().close(fig)


def test_an_axis_of_figures_that_round_to_nothing_repeats_no_label():
    # Found by a walk through plan shapes: a balanced plan's gap chart labelled every y tick "0"
    # (matplotlib's ticks at -0.04, -0.02, ... shown to no decimals). Ticks closer than the figures
    # show are cut to the distinct ones; an ordinary axis keeps matplotlib's own ticks.
    from mtfpmodel.outputs.chartstyle import Scale, new_axes, pyplot

    for values, unit in (([0.0, 0.0, 0.0], "£000"), ([0.2, 0.1, 0.4], "£000"), ([0.01, 0.02], "£m")):
        fig, ax = new_axes("t", "s", Scale(unit, 1.0))
        ax.bar(range(len(values)), values)
        fig.canvas.draw()
        low, high = ax.get_ylim()
        labels = [t.get_text() for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high]
        assert len(labels) == len(set(labels)), (values, labels)
        pyplot().close(fig)
    fig, ax = new_axes("t", "s", Scale("£000", 1.0))
    ax.bar(range(3), [1000, 2500, 4000])
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()][:3] == ["0", "500", "1,000"]
    pyplot().close(fig)


def test_pyplot_skips_only_the_help_text_of_set_and_artists_still_take_their_properties():
    # In a fresh interpreter, so that pyplot() is what first imports matplotlib.
    code = """
from mtfpmodel.outputs.chartstyle import pyplot
plt = pyplot()
import matplotlib.lines as lines
assert lines.Line2D.set.__doc__ is None                 # the help text was not built...
line = lines.Line2D([0, 1], [0, 1])
line.set(lw=3, color="red")                              # ...but set() and its aliases work
assert line.get_linewidth() == 3 and line.get_color() == "red"

class Marked(lines.Line2D):                              # a class made afterwards gets its own set()
    def set_mark(self, mark):
        self.mark = mark

marked = Marked([0], [0])
marked.set(mark="x", lw=2)
assert marked.mark == "x" and marked.get_linewidth() == 2
assert Marked.set is not lines.Line2D.set
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
