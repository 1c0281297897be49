"""Normalisation keeps a faithful map from every clean character back to the original.

The properties run ``KG_PROPERTY_SCALE`` times their examples (1 in the suite; the
hardening bench, ``bench/properties.py``, raises it).
"""

import html
import os
import unicodedata
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest import html_to_text
from kg.normalise import (
    _INVISIBLE,
    _MAY_FOLD,
    _SURROGATE,
    MappedText,
    nfkc,
    normalise,
    normalise_keeping_script,
    normalise_text,
    strip_invisible,
    strip_pinyin,
)

SCALE = int(os.environ.get("KG_PROPERTY_SCALE", "1"))
# What scraped text throws at the normaliser: traditional script (with phrase-level
# conversions such as 瞭解 → 了解), pinyin, full-width and compatibility forms (some
# of which NFKC turns into brackets or ideographs: ⒜ ︵ 豈),
# zero-width and bidi controls, the BOM, lone surrogates, line separators.
NASTY = [
    *"進會廣東發後乾隆瞭解頭髮ab(jìn)（）1２ 。,㎡ﬁ①\n\r\t⒜ｊ豈︵︶﹙﹚㈠",
    "\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\u00ad", "\u2028", "\ud800", "\udfff", "(yán)", "（hǎo）",
]
TEXT = st.one_of(
    st.lists(st.sampled_from(NASTY), max_size=40).map("".join),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec=None), max_size=30),  # every code point, surrogates too
)
DROPPABLE = set("()（）abcdefghijklmnopqrstuvwxyzāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ")
"""What may vanish from the text, after NFKC: pinyin annotations (besides invisible characters)."""
CLEAN = "张三某科技有限公司局长调研市区省2021年月日abcXYZ0189。、"
"""Characters that normalisation leaves as they are."""
PROPERTY = settings(max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_pinyin_after_characters_is_removed_and_real_brackets_stay():
    src = "歡迎進(jìn)入某某(云南)科技有限公司官網(wǎng)"
    clean = normalise(MappedText.identity(src))
    assert clean.text == "欢迎进入某某(云南)科技有限公司官网"


def test_full_width_forms_fold_and_script_is_simplified():
    assert normalise_text("２０２１年，廣西壯族自治區") == "2021年,广西壮族自治区"


def test_every_clean_character_maps_back_to_its_source():
    src = "王嚴(yán)嚴(yán)到會(huì)。"
    clean = normalise(MappedText.identity(src))
    assert clean.text == "王严严到会。"
    s, e = clean.source_span(0, 3)
    assert src[s:e] == "王嚴(yán)嚴"
    s, e = clean.source_span(4, 5)
    assert src[s:e] == "會"


def test_zero_width_and_bidi_controls_are_dropped():
    assert normalise_text("张\u200b三\u202e") == "张三"


def test_nfkc_skips_only_characters_that_are_their_own_nfkc():
    """ASCII and the CJK unified ideographs, which :func:`kg.normalise.nfkc` never looks up."""
    skipped = [chr(i) for i in (*range(0x80), *range(0x4E00, 0xA000))]
    assert not any(_MAY_FOLD.match(c) for c in skipped)
    assert all(unicodedata.normalize("NFKC", c) == c for c in skipped)


@PROPERTY
@given(st.lists(TEXT, max_size=8))
def test_lines_normalised_together_come_out_as_each_alone(texts):
    """An HTML page's paragraphs are normalised in one call, joined by line breaks."""
    lines = [line for text in texts for line in text.splitlines()]
    together = normalise_text("\n".join(lines)).split("\n") if lines else []
    assert together == [normalise_text(line) for line in lines]


@PROPERTY
@given(TEXT)
def test_bare_string_clean_up_is_the_mapped_one(text):
    """The string-only path (labels, spellings, HTML paragraphs) may never drift from the mapped one."""
    mapped = MappedText.identity(text)
    assert normalise_text(text) == normalise(mapped).text
    assert normalise_keeping_script(text) == strip_pinyin(nfkc(strip_invisible(mapped))).text


@PROPERTY
@given(TEXT)
def test_map_is_monotone_in_bounds_and_idempotent(text):
    clean = normalise(MappedText.identity(text))
    assert len(clean.starts) == len(clean.text) == len(clean.ends)
    assert all(0 <= s < e <= len(text) for s, e in zip(clean.starts, clean.ends, strict=True))
    assert list(clean.starts) == sorted(clean.starts)
    assert list(clean.ends) == sorted(clean.ends)
    assert normalise_text(clean.text) == clean.text
    assert not _INVISIBLE.search(clean.text) and not _SURROGATE.search(clean.text)


@PROPERTY
@given(TEXT)
def test_mapping_back_reaches_every_original_character_in_order(text):
    """The source ranges, read in order, give back the original minus only what was dropped."""
    clean = normalise(MappedText.identity(text))
    ranges = []
    for r in zip(clean.starts, clean.ends, strict=True):
        if not ranges or ranges[-1] != r:
            ranges.append(r)
    assert all(b <= c for (_, b), (c, _) in pairwise(ranges)), "source ranges overlap"
    covered = {i for s, e in ranges for i in range(s, e)}
    lost = [c for i, c in enumerate(text) if i not in covered]
    assert all(_INVISIBLE.match(c) or _SURROGATE.match(c) or set(unicodedata.normalize("NFKC", c)) <= DROPPABLE
               for c in lost), lost


@PROPERTY
@given(st.text(alphabet=st.sampled_from(list(CLEAN)), max_size=60))
def test_clean_text_maps_onto_itself(text):
    """Text that is already clean is its own map: every span maps back to exactly itself."""
    clean = normalise(MappedText.identity(text))
    assert clean.text == text
    for a in range(len(text)):
        assert clean.source_span(a, a + 1) == (a, a + 1)
    if text:
        assert text[slice(*clean.source_span(0, len(text)))] == text


@PROPERTY
@given(st.lists(st.text(max_size=20), min_size=1, max_size=5), st.booleans())
def test_html_text_maps_back_to_the_markup_it_came_from(parts, quote):
    """Each visible character of a page maps onto itself or onto the entity that wrote it."""
    source = "<html><body>" + "".join(f"<p>{html.escape(p, quote=quote)}</p>\n" for p in parts) + "</body></html>"
    visible, _, _ = html_to_text(source, "page.html")
    for i, c in enumerate(visible.text):
        s, e = visible.starts[i], visible.ends[i]
        assert 0 <= s < e <= len(source)
        if not c.isspace():
            assert html.unescape(source[s:e]) == c, (c, source[s:e])
