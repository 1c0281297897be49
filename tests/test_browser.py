"""The network page in headless Chromium: offline, error-free, drawn, and not injectable."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Literal

from kg import visualise
from kg.rdf.namespaces import ENTITY_GRAPH, KG, KGR
from kg.visualise import ViewOptions, write_html
from synthetic import synthetic_dataset

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parents[1] / "test-output" / "graph.png"
HOSTILE_LABELS = {
    "org/hostile-script": "</script><script>window.kgPwned = 1; alert(1)</script>",
    "org/hostile-img": '<img src=x onerror="window.kgPwned = 2; alert(2)">',
    "org/hostile-comment": "<!--<script>window.kgPwned = 3</script>-->\u2028某某\u2029",
}
SETTLE_SECONDS = 30


class Visit:
    """One page load with everything it did on the side: requests, console errors, dialogs."""

    def __init__(self, browser: object, path: Path) -> None:
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
        self.page.on("request", self._request)
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url)
        self._wait_settled()

    def _wait_settled(self) -> None:
        """Poll from outside: the page's CSP forbids eval, which ``wait_for_function`` needs."""
        deadline = time.monotonic() + SETTLE_SECONDS
        while not self.page.evaluate("window.kgStabilised === true"):
            assert time.monotonic() < deadline, "the network did not stabilise"
            self.page.wait_for_timeout(50)

    def _request(self, request: object) -> None:
        if request.url != self.url:  # type: ignore[attr-defined]
            self.requests.append(request.url)  # type: ignore[attr-defined]

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    def node_point(self, node_id: str) -> tuple[float, float]:
        """Where a node is drawn, in page coordinates, to hover or click it like a user."""
        dom = self.page.evaluate("id => kgNetwork.canvasToDOM(kgNetwork.getPositions([id])[id])", node_id)
        box = self.page.locator("#mynetwork").bounding_box()
        return box["x"] + dom["x"], box["y"] + dom["y"]

    def assert_clean(self) -> None:
        assert self.requests == []
        assert self.errors == []
        assert self.dialogs == []
        assert self.page.evaluate("window.kgPwned") is None


def _drawn_count(ds: Dataset) -> int:
    drawn = {KG.Official, KG.Person, KG.Agency, KG.Company, KG.Organization, KG.Park, KG.Place, KG.Event}
    return len({s for s, _, o, _ in ds.quads((None, RDF.type, None, None)) if o in drawn})


def test_page_draws_offline_without_errors(browser: object, kg_dataset: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    write_html(kg_dataset, out, title="某某市科技图谱")
    visit = Visit(browser, out)
    assert visit.page.evaluate("window.kgNodes.length") == _drawn_count(kg_dataset)
    assert visit.page.evaluate("kgNetwork.body.data.edges.length") == 7
    assert visit.page.locator("#kg-legend li").count() == 8

    visit.page.fill("#kg-search", "市科技局")
    visit.page.press("#kg-search", "Enter")
    assert visit.page.locator("#kg-panel h2").text_content() == "某某市科技局"
    assert "党组书记、局长" in visit.page.locator("#kg-panel").inner_text()

    zhang = str(KGR["person/zhangsan"])
    visit.page.locator("#kg-panel-close").click()
    visit.page.mouse.move(*visit.node_point(zhang))
    tooltip = visit.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert "类型：官员" in tooltip.inner_text()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(SCREENSHOT))
    visit.assert_clean()


def test_hostile_labels_stay_text(browser: object, kg_dataset: Dataset, tmp_path: Path) -> None:
    ent = kg_dataset.graph(ENTITY_GRAPH)
    for key, label in HOSTILE_LABELS.items():
        ent.add((KGR[key], RDF.type, KG.Organization))
        ent.add((KGR[key], RDFS.label, Literal(label, lang="zh")))
        ent.add((KGR[key], KG.locatedIn, KGR["place/demo"]))
    out = tmp_path / "hostile.html"
    write_html(kg_dataset, out, title=HOSTILE_LABELS["org/hostile-script"])
    visit = Visit(browser, out)
    assert visit.page.evaluate("window.kgNodes.length") == _drawn_count(kg_dataset)
    assert visit.page.title() == HOSTILE_LABELS["org/hostile-script"]
    for key, label in HOSTILE_LABELS.items():
        visit.page.mouse.click(*visit.node_point(str(KGR[key])))
        assert visit.page.locator("#kg-panel h2").text_content() == label
        visit.page.mouse.move(0, 0)
        visit.page.mouse.move(*visit.node_point(str(KGR[key])))
        visit.page.locator("div.vis-tooltip").wait_for(state="visible")
        assert visit.page.locator("div.vis-tooltip strong").text_content() == label
    assert visit.page.locator("img").count() == 0
    visit.assert_clean()


def test_seed_article_view_shows_every_entity(browser: object, tmp_path: Path) -> None:
    from kg.extract import extract_file

    seed = Path(__file__).resolve().parents[1] / "data" / "sample" / "seed-001.txt"
    ds = extract_file(seed)
    out = tmp_path / "seed.html"
    write_html(ds, out, title="seed-001")
    visit = Visit(browser, out)
    drawn = {KG.Official, KG.Person, KG.Agency, KG.Company, KG.Organization, KG.Park, KG.Place, KG.Event}
    labels = {
        str(o)
        for s, _, o, _ in ds.quads((None, RDFS.label, None, None))
        if o.language == "zh" and any((s, RDF.type, c) in ds for c in drawn)
    }
    shown = set(visit.page.evaluate("window.kgNodes.get().map(n => n.label)"))
    assert visit.page.evaluate("window.kgNodes.length") == _drawn_count(ds)
    assert labels <= shown
    visit.page.fill("#kg-search", "王学勤")
    visit.page.press("#kg-search", "Enter")
    assert visit.page.locator("#kg-panel h2").text_content() == "王学勤"
    visit.page.locator("#kg-panel-close").click()

    wang = visit.page.evaluate("window.kgNodes.get().find(n => n.label === '王学勤').id")
    visit.page.mouse.click(*visit.node_point(wang))
    panel = visit.page.locator("#kg-panel")
    assert visit.page.locator("#kg-panel h2").text_content() == "王学勤"
    assert panel.locator(".kg-evidence").count() > 0
    assert "王学勤" in panel.locator(".kg-evidence").first.text_content()
    assert "云南省科技厅厅长王学勤" in panel.inner_text()  # the source article's headline
    visit.page.screenshot(path=str(SCREENSHOT.with_name("seed-graph.png")))

    visit.page.fill("#kg-search", "wang xueqin")  # pinyin, spaces ignored
    visit.page.press("#kg-search", "Enter")
    assert visit.page.locator("#kg-panel h2").text_content() == "王学勤"
    visit.page.fill("#kg-search", "wxq")  # initials
    assert visit.page.locator("#kg-results li").first.text_content().startswith("王学勤")
    visit.assert_clean()


def test_summarised_page_says_so_and_draws_the_budget(
    browser: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over the budget, laid out in Python (physics off), coloured by community."""
    monkeypatch.setattr(visualise, "PHYSICS_MAX_NODES", 50)
    out = tmp_path / "summary.html"
    summary = write_html(synthetic_dataset(200), out, options=ViewOptions(budget=80, colour="community"))
    assert summary.nodes == 80
    visit = Visit(browser, out)
    assert visit.page.evaluate("window.kgNodes.length") == 80
    assert visit.page.evaluate("kgNetwork.physics.physicsEnabled") is False
    notice = visit.page.locator("#kg-notice")
    assert notice.is_visible()
    assert "已摘要：所选 200 个实体超过上限 80" in notice.inner_text()
    colours = visit.page.evaluate("new Set(window.kgNodes.get().map(n => n.color.background)).size")
    assert colours > 1
    assert visit.page.locator("#kg-communities li").count() >= 2

    label = visit.page.evaluate("window.kgNodes.get().find(n => n.label.startsWith('王某')).label")
    visit.page.fill("#kg-search", "wangmou" + label.removeprefix("王某"))
    visit.page.press("#kg-search", "Enter")
    assert visit.page.locator("#kg-panel h2").text_content() == label
    assert visit.page.evaluate("kgNetwork.getSelectedNodes().length") == 1
    visit.page.locator("#kg-panel-close").click()

    node = visit.page.evaluate("window.kgNodes.get().find(n => /^某某\\d+号调研$/.test(n.label)).id")
    visit.page.evaluate("id => kgNetwork.moveTo({position: kgNetwork.getPositions([id])[id], scale: 1})", node)
    visit.page.mouse.click(*visit.node_point(node))
    assert visit.page.locator("#kg-panel h2").text_content() == visit.page.evaluate("id => kgNodes.get(id).label", node)
    assert visit.page.locator("#kg-panel .kg-evidence").first.text_content().endswith("调研举行。”")
    visit.page.screenshot(path=str(SCREENSHOT.with_name("summary-graph.png")))
    visit.assert_clean()
