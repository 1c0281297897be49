"""A CJK font for matplotlib, found at run time: Chinese in charts is text, not boxes."""

from __future__ import annotations

import os
import warnings

import pytest

from kg import fonts
from kg.errors import KGError


@pytest.fixture
def cjk() -> str:
    name = fonts.find_cjk_font()
    if name is None:
        if os.environ.get("CI"):
            pytest.fail("no CJK font installed: CI must install fonts-noto-cjk")
        pytest.skip("no CJK font installed")
    return name


def test_use_cjk_font_puts_it_first(cjk: str) -> None:
    import matplotlib

    with matplotlib.rc_context():
        assert fonts.use_cjk_font() == cjk
        assert matplotlib.rcParams["font.sans-serif"][0] == cjk
        assert matplotlib.rcParams["font.family"] == ["sans-serif"]
        assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_chinese_renders_without_missing_glyphs(cjk: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context():
        fonts.use_cjk_font()
        fig, ax = plt.subplots()
        ax.set_title("云南省科技厅 某某市 −1")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Glyph … missing from font(s)" is a UserWarning
            fig.canvas.draw()
        plt.close(fig)


def test_no_cjk_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "CJK_FONTS", ("No Such Font 某",))
    assert fonts.find_cjk_font() is None
    with pytest.raises(KGError, match="no CJK font for matplotlib; install one"):
        fonts.use_cjk_font()
