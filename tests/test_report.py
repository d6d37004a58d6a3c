"""The cabinet report, rendered in headless Chromium; and `mtfp run` writing every artefact."""
from __future__ import annotations

import base64
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import mtfpmodel
from mtfpmodel.cli import main
from mtfpmodel.outputs.terminal import verdict

STRETCHED = Path(__file__).parent / "reports" / "stretched.yaml"
ARTEFACTS = [".mtfp-files", "charts/bridge.png", "charts/bridge.svg", "charts/gap.png", "charts/gap.svg",
             "charts/reserves.png", "charts/reserves.svg", "charts/savings.png", "charts/savings.svg",
             "council_tax.csv", "funding.csv", "gap_table.csv", "lines.csv", "mtfp.xlsx", "report.html",
             "reserves.csv", "savings.csv", "streams.csv", "summary.csv"]
# Marks, once the page has loaded, how wide each image decoded (0 = broken) for --dump-dom to show.
PROBE = ("<script>window.addEventListener('load', () => document.body.setAttribute('data-images', "
         "Array.from(document.images).map(i => i.naturalWidth).join(',')));</script>")


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.fail("Chromium is needed to render the report and is not installed: run `make test-tools` "
                "(scripts/ensure-test-tools.sh) or apt-get install chromium")


def headless(page: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={work / 'chromium-profile'}", "--virtual-time-budget=5000", *args, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)


class Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.sources.append(attrs.get("src") or "")
        for key in ("href", "src"):
            if attrs.get(key, "").startswith(("http:", "https:", "//")):
                self.links.append(attrs[key])


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "out"
    assert main(["run", str(STRETCHED), "--out", str(out)]) == 0
    return out


def test_run_writes_every_artefact_with_a_progress_line_each(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(STRETCHED), "--out", str(out)]) == 0
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == ARTEFACTS
    err = capsys.readouterr().err
    for name in ("charts/gap.png", "charts/bridge.png", "charts/savings.png", "charts/reserves.png",
                 "mtfp.xlsx", "report.html"):
        assert re.search(rf"^wrote .*{re.escape(name)}", err, re.M), name


def test_no_charts_and_no_report_write_the_csv_files_only(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(STRETCHED), "--out", str(out), "--no-charts", "--no-report"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [".mtfp-files", "council_tax.csv", "funding.csv", "gap_table.csv",
                                                     "lines.csv", "reserves.csv", "savings.csv", "streams.csv",
                                                     "summary.csv"]


def test_no_charts_still_writes_a_report_without_images(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(STRETCHED), "--out", str(out), "--no-charts"]) == 0
    assert not (out / "charts").exists()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<img" not in html and 'id="mtfp-table"' in html


def test_report_is_self_contained(outputs):
    html = (outputs / "report.html").read_text(encoding="utf-8")
    parser = Images()
    parser.feed(html)
    assert len(parser.sources) == 4 and not parser.links
    for src in parser.sources:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "@page" in html and "A4" in html


def test_report_content_verdict_tables_rag_sources_warnings(outputs):
    result = mtfpmodel.run(mtfpmodel.load(STRETCHED))
    html = (outputs / "report.html").read_text(encoding="utf-8")
    sentence = verdict(result)
    # reserves run out in 2028/29 (4,602 left against a gap of 7,276: 2,674 unfunded), below the
    # minimum from 2025/26.
    assert sentence.startswith("The plan does not balance: reserves exhausted in 2028/29")
    assert sentence.replace("'", "&#39;") in html
    assert "Testshire County Council" in html and "Medium-Term Financial Plan 2025/26 to 2028/29" in html
    assert '<span class="badge rag red">red</span>' in html and '<span class="badge rag amber">amber</span>' in html
    assert "National Living Wage uplift (assumed)" in html          # an assumption's source
    assert "referendum" in html                                     # the warning
    assert "2,674" in html and "(2,674)" not in html                # unfunded gap 2028/29 [£000]; never negative
    led = result.streams.set_index("stream").loc["LED street lighting"]
    assert f"capital £8.0m; savings cover it by {led['capital_payback_year']}; NPV £" in html


def test_report_renders_in_chromium(outputs, tmp_path):
    page = tmp_path / "probe.html"
    page.write_text((outputs / "report.html").read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
                    encoding="utf-8")
    dom = headless(page, tmp_path, "--dump-dom").stdout
    widths = re.search(r'data-images="([^"]*)"', dom)
    assert widths, "the page did not finish loading"
    assert [int(w) > 1000 for w in widths.group(1).split(",")] == [True] * 4, "an image failed to decode"
    assert 'id="verdict"' in dom and "reserves exhausted in 2028/29" in dom
    assert re.search(r'id="mtfp-table".*Net expenditure.*Closing reserves', dom, re.S)
    shot = tmp_path / "report.png"
    headless(outputs / "report.html", tmp_path, f"--screenshot={shot}", "--window-size=1240,1754")
    assert shot.stat().st_size > 50_000                              # a page with content, kept for a look
    pdf = tmp_path / "report.pdf"
    headless(outputs / "report.html", tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes()))
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}       # A4 in points
