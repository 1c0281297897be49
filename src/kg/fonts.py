"""A CJK font for matplotlib, found at run time, so charts show Chinese as text, not boxes.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs. :func:`use_cjk_font`
looks through the fonts matplotlib knows for the first of :data:`CJK_FONTS` that is
installed (Debian: ``fonts-noto-cjk`` or ``fonts-wqy-microhei``) and puts it first
in ``font.sans-serif``. The HTML view needs none of this: browsers pick a CJK font
from the page's font stack themselves.
"""

from __future__ import annotations

from kg.errors import KGError

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
)
"""Families tried in order: simplified-Chinese sans-serif first, then any that covers Hanzi."""


def find_cjk_font() -> str | None:
    """The family name of the first installed font of :data:`CJK_FONTS`, or None."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def use_cjk_font() -> str:
    """Make matplotlib draw text in an installed CJK font; return its family name.

    Sets ``font.family`` to sans-serif with that font first, and draws the minus sign
    as a hyphen (CJK fonts often lack U+2212). Raises :class:`KGError` when no CJK
    font is installed.
    """
    import matplotlib

    name = find_cjk_font()
    if name is None:
        raise KGError(
            "no CJK font for matplotlib; install one (Debian: apt-get install fonts-noto-cjk), "
            "then clear matplotlib's font cache (~/.cache/matplotlib)"
        )
    rc = matplotlib.rcParams
    rc["font.family"] = "sans-serif"
    rc["font.sans-serif"] = [name, *(f for f in rc["font.sans-serif"] if f != name)]
    rc["axes.unicode_minus"] = False
    return name
