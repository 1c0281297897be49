"""The rjieba tokenizer segments exactly like jieba, and keeps Doc.text equal to its input."""

import jieba

from corpus import DATA
from kg.ingest import load
from kg.pipeline import make_nlp


def test_same_words_as_jieba_on_the_seed_article():
    text = load(DATA / "seed-001.txt").clean.text
    ours = [t.text for t in make_nlp().make_doc(text) if not t.is_space]
    theirs = [w for w in jieba.cut(text) if w.strip()]
    assert ours == theirs


def test_doc_text_round_trips_spaces_and_newlines():
    text = "湖南省 科技厅  厅长\n张建国 到 长沙。 "
    assert make_nlp().make_doc(text).text == text
