"""The reported figures as one tidy table."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset

from kg.rdf.namespaces import KGR
from kg.statistics import FIGURE_COLUMNS, figures

SEED = Path(__file__).resolve().parents[1] / "data" / "sample" / "seed-001.txt"


def test_one_row_per_figure_with_area_period_and_evidence(kg_dataset: Dataset) -> None:
    table = figures(kg_dataset)
    assert list(table.columns) == FIGURE_COLUMNS
    assert table.drop(columns=["evidence", "observation"]).values.tolist() == [
        ["某某市", "2020", 2020, "高新技术企业", 120.0, "家", None, "120家", "张三到某某科技有限公司调研"]
    ]
    assert table.iloc[0]["evidence"] == "截至2020年，某某市共有高新技术企业120家。"
    assert table.iloc[0]["observation"] == str(KGR["observation/demo"])


def test_seed_figures_are_tidy_and_sorted() -> None:
    from kg.extract import extract_file

    table = figures(extract_file(SEED))
    assert len(table) > 20
    assert table["value"].dtype == float and str(table["year"].dtype) == "Int64"
    assert set(table["unit"]) >= {"CNY", "m2", "家"}
    assert table.loc[table["surface"] == "1.56亿元", "value"].tolist() == [156000000.0]
    keys = table[["area", "period", "measure"]].fillna("").values.tolist()
    assert keys == sorted(keys)
    assert table.equals(figures(extract_file(SEED)))
