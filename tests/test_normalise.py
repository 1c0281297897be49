"""Normalisation keeps a faithful map from every clean character back to the original."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.normalise import MappedText, normalise, normalise_text


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


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("進會廣東ab(jìn)（）1２ 。,\u200b")), max_size=40))
def test_map_is_monotone_in_bounds_and_idempotent(text):
    clean = normalise(MappedText.identity(text))
    assert len(clean.starts) == len(clean.text) == len(clean.ends)
    assert all(0 <= s < e <= len(text) for s, e in zip(clean.starts, clean.ends, strict=True))
    assert list(clean.starts) == sorted(clean.starts)
    assert normalise_text(clean.text) == clean.text
