"""Invariants on arbitrary input: extraction never raises, spans stay in bounds, IRIs are stable."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.extract import extract_path
from kg.rdf.iris import entity_iri

# Text built from the pieces articles are made of, so the rules actually fire.
PIECES = st.sampled_from([
    "湖南省", "科技厅", "厅长", "副市长", "张建国", "、", "，", "。", "\n", "(", ")", "(jìn)", "有限公司", "高新区",
    "管委会", "党工委", "书记", "到", "调研", "2021年", "10月", "23日", "至", "25日", "167家", "1.56亿元", "第七届",
    "大赛", "座谈会", "召开", "近日", "\u200b", "\u202e", "<", "&amp;", "市", "区委", "常委", "省", "进", "國",
])
TEXTS = st.one_of(st.lists(PIECES, max_size=40).map("".join), st.text(max_size=200))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_extraction_never_raises_and_spans_are_in_bounds(text: str):
    with TemporaryDirectory() as d:
        f = Path(d) / "a.txt"
        f.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            article, ex = extract_path(f)
        except InputError:
            return
        n = len(article.clean.text)
        spans = [p.evidence for p in ex.positions] + [o.evidence for o in ex.observations]
        spans += [e.evidence for e in ex.events.values()] + [r.evidence for r in ex.relations]
        spans += [m for e in ex.entities.values() for m in e.mentions]
        for s in spans:
            assert 0 <= s.start < s.end <= n
            a, b = article.clean.source_span(s.start, s.end)
            assert 0 <= a < b <= len(article.source)


@given(st.sampled_from(["Official", "Agency", "Park", "Place"]), st.text(min_size=1, max_size=30))
def test_iris_are_deterministic_and_safe(etype: str, key: str):
    iri = entity_iri(etype, key)
    assert iri == entity_iri(etype, key)
    assert all(c.isascii() and not c.isspace() for c in str(iri))
