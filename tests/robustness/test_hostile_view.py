"""A hostile article, through the real extraction, ``kg build`` and ``kg viz``, opened in Chromium.

The article's title line, names and sentences carry script tags, an ``<img onerror>``,
a ``</script>`` that would end the page's data block, and a template expression.
They reach the page as an event's label, a headline and evidence sentences. The page
must open no dialog, run nothing from the article, make no request, and show every
payload as text in its tooltips and side panel.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from robust import check, invoke

pytestmark = pytest.mark.browser

TITLE_PAYLOAD = "<img src=x onerror=\"window.kgPwned=1;alert(1)\">"
SCRIPT_PAYLOAD = "<script>window.kgPwned=2;alert(2)</script>"
BREAKOUT_PAYLOAD = "</script><script>window.kgPwned=3;alert(3)</script>"
HOSTILE = (
    f"张三到某某{TITLE_PAYLOAD}科技有限公司调研\n"
    f"某某市科技局局长张三到某某{SCRIPT_PAYLOAD}科技有限公司调研，详细了解企业研发投入和成果转化情况。\n"
    "2021年10月23日，张三主持召开\"><img src=x onerror=alert(4)>座谈会，"
    f"某某{BREAKOUT_PAYLOAD}高新区管委会主任李四陪同。\n"
    "全市共有{{constructor.constructor('window.kgPwned=5')()}}高新技术企业120家。\n"
)


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    source = root / "hostile-001.txt"
    source.write_text(HOSTILE, encoding="utf-8")
    check(invoke("build", source, "--store", root / "store", "-j", "1"), code=0)
    page = root / "view.html"
    check(invoke("viz", "--store", root / "store", "-o", page), code=0)
    return page


def test_hostile_article_stays_text_in_the_view(browser: object, hostile_page: Path) -> None:
    requests: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    url = hostile_page.resolve().as_uri()
    page.on("request", lambda r: r.url != url and requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(url)
    deadline = time.monotonic() + 30
    while not page.evaluate("window.kgStabilised === true"):  # the page's CSP forbids eval: poll
        assert time.monotonic() < deadline, "the network did not settle"
        page.wait_for_timeout(50)

    labels = dict(page.evaluate("window.kgNodes.get().map(n => [n.label, n.id])"))
    event = next(label for label in labels if TITLE_PAYLOAD in label)
    assert event == f"张三到某某{TITLE_PAYLOAD}科技有限公司调研"

    def point(node_id: str) -> tuple[float, float]:
        dom = page.evaluate("id => kgNetwork.canvasToDOM(kgNetwork.getPositions([id])[id])", node_id)
        box = page.locator("#mynetwork").bounding_box()
        return box["x"] + dom["x"], box["y"] + dom["y"]

    page.mouse.click(*point(labels[event]))
    assert page.locator("#kg-panel h2").text_content() == event
    page.mouse.move(0, 0)
    page.mouse.move(*point(labels[event]))
    page.locator("div.vis-tooltip").wait_for(state="visible")
    assert page.locator("div.vis-tooltip strong").text_content() == event

    page.mouse.click(*point(labels["李四"]))  # the sentence splitter cuts the payload at its ";"
    assert "alert(3)</script>高新区管委会主任李四陪同。" in page.locator("#kg-panel").inner_text()
    page.mouse.click(*point(labels["张三"]))
    assert page.locator("#kg-panel").inner_text().count(event) >= 2  # a fact and the article's headline

    page.fill("#kg-search", "<img")
    page.press("#kg-search", "Enter")

    for selector in ("#kg-panel img", "#kg-panel script", "div.vis-tooltip img", "body img", "#kg-results img"):
        assert page.locator(selector).count() == 0, selector
    assert page.evaluate("window.kgPwned") is None
    assert dialogs == [] and requests == [] and errors == []
    page.close()


def test_the_page_source_holds_no_live_markup_from_the_article(hostile_page: Path) -> None:
    html = hostile_page.read_text(encoding="utf-8")
    for payload in (TITLE_PAYLOAD, SCRIPT_PAYLOAD, BREAKOUT_PAYLOAD, "<img src=x onerror=alert(4)>"):
        assert payload not in html, payload
