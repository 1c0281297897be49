"""The reported figures (``kg:Observation``) as one tidy table: a row per figure.

Columns (:data:`FIGURE_COLUMNS`): ``area`` (the area's Chinese name), ``period``
(``kg:refPeriod`` as written: ``2020``, ``2021-10``), ``year`` (its first four
digits, or None), ``measure``, ``value`` (a float, in the base unit: CNY, m2, or
the counter word), ``unit``, ``qualifier`` (超过, 约 …), ``surface`` (the figure
as the text wrote it), ``evidence`` (the sentence), ``article`` (headline) and
``observation`` (IRI). Tidy, so pandas does the rest: ``pivot_table`` by area and
period, ``groupby("unit")`` before comparing values, ``query("unit == 'CNY'")``.

Read with one SPARQL query over the store, its OPTIONALs last (KNOWN-TRAPS).
"""

from __future__ import annotations

import pandas as pd

from kg.analyse import GraphData, as_store

FIGURE_COLUMNS = [
    "area", "period", "year", "measure", "value", "unit", "qualifier", "surface", "evidence", "article", "observation",
]  # fmt: skip

_FIGURES_QUERY = """
SELECT ?observation ?measure ?value ?unit ?period ?areaName ?qualifier ?surface ?evidence ?headline WHERE {
  ?observation a kg:Observation ;
               kg:measure ?measure ;
               kg:value ?value ;
               kg:unit ?unit .
  OPTIONAL { ?observation kg:refPeriod ?period }
  OPTIONAL { ?observation kg:area ?area . ?area rdfs:label ?areaName FILTER (lang(?areaName) = "zh") }
  OPTIONAL { ?observation kg:qualifier ?qualifier }
  OPTIONAL { ?observation kg:surfaceForm ?surface }
  OPTIONAL { ?observation kg:evidence ?evidence }
  OPTIONAL { ?observation prov:wasDerivedFrom ?article . ?article kg:headline ?headline }
}"""


def figures(data: GraphData) -> pd.DataFrame:
    """Every reported figure, one row each (see the module docstring), sorted by area, period, measure."""
    store = as_store(data)
    best: dict[str, tuple] = {}
    for row in store.query(_FIGURES_QUERY):
        obs, measure, value, unit, period, area, qualifier, surface, evidence, headline = (
            None if term is None else term.value for term in row
        )
        year = int(period[:4]) if period and period[:4].isdigit() else None
        record = (area, period, year, measure, float(value), unit, qualifier, surface, evidence, headline, obs)
        # An observation has one of each; a repeat (a triple in two graphs) or a second
        # name keeps the smallest, so the table is the same on every run.
        best[obs] = min(best.get(obs, record), record, key=_sort_key)
    rows = sorted(best.values(), key=_sort_key)
    table = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    table["year"] = table["year"].astype("Int64")
    return table


def _sort_key(record: tuple) -> tuple:
    """Area, period, measure, value, then the rest; missing values first, as empty text."""
    return tuple(
        "" if value is None else str(value) if not isinstance(value, float) else f"{value:020.4f}" for value in record
    )
