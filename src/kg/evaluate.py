"""Score an extracted graph against a gold annotation, exactly as the shared kgeval.py does.

Vendored from the project's shared scorer (``tools/kgeval.py`` beside the corpus) so
that ``kg eval`` works on any machine; ``tests/test_evaluate.py`` checks that both
give the same numbers. Gold files follow GOLD-FORMAT.md. Keep this file in step with
the shared scorer rather than improving it: its numbers are the project's yardstick.
"""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

import opencc
from rdflib import RDF, RDFS, Dataset, Literal, Namespace
from rdflib.namespace import PROV, SKOS

from kg.errors import KGError
from kg.rdf.namespaces import KG_IRI

KG = Namespace(KG_IRI)
TYPE_OF = {  # most specific first
    KG.Official: "Official", KG.Agency: "Agency", KG.Company: "Company",
    KG.Park: "Park", KG.Event: "Event", KG.Place: "Place",
    KG.Person: "Person", KG.Organization: "Organization",
}
GROUP = {"Official": "Person", "Person": "Person"}
REL_PREDICATES = ["subOrganizationOf", "manages", "locatedIn", "participant",
                  "organizer", "location", "partOf"]
PINYIN = re.compile(r"(?<=[\u3400-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)")
_t2s = opencc.OpenCC("t2s")


def norm(text: str) -> str:
    text = PINYIN.sub("", str(text))
    text = unicodedata.normalize("NFKC", text)
    text = _t2s.convert(text)
    return re.sub(r"\s+", "", text)


def group(t: str) -> str:
    return GROUP.get(t, t)


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}


def load_graph(path: Path) -> Dataset:
    ds = Dataset(default_union=True)
    fmt = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "nt",
           ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml"}
    ds.parse(str(path), format=fmt.get(path.suffix.lower(), "turtle"))
    return ds


def node_type(g, node) -> str | None:
    types = set(g.objects(node, RDF.type))
    for cls, name in TYPE_OF.items():
        if cls in types:
            return name
    return None


def names_of(g, node) -> tuple[str | None, set[str]]:
    labels = [norm(o) for o in g.objects(node, RDFS.label) if isinstance(o, Literal)]
    alts = {norm(o) for o in g.objects(node, SKOS.altLabel) if isinstance(o, Literal)}
    main = labels[0] if labels else None
    return main, set(labels) | alts


def date_str(v) -> str | None:
    if v is None:
        return None
    s = str(v)
    m = re.match(r"^(\d{4})(-\d{2})?(-\d{2})?", s)
    return m.group(0) if m else s


def bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def dice(a: str, b: str) -> float:
    x, y = bigrams(norm(a)), bigrams(norm(b))
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


class Scorer:
    def __init__(self, gold: dict, g: Dataset):
        self.gold, self.g = gold, g
        self.gent = {e["key"]: e for e in gold["entities"]}
        opt = gold.get("optional", {}) or {}
        self.optional_keys = set(opt.get("entities", []))
        self.optional_rels = {(r["s"], r["p"], r["o"]) for r in opt.get("relations", [])}
        self.match: dict = {}  # predicted node -> gold key
        self.report: dict = {}

    # entities ---------------------------------------------------------
    def score_entities(self):
        g = self.g
        pred = {}
        for s in set(g.subjects(RDF.type, None)):
            t = node_type(g, s)
            if t and t != "Event":
                pred[s] = (t, *names_of(g, s))
        gold_names = {k: {norm(n) for n in [e["name"], *e.get("aliases", []),
                                            *e.get("also_accept", [])]}
                      for k, e in self.gent.items() if e["type"] != "Event"}
        taken: set[str] = set()
        # pass 1: canonical label equals a gold name; pass 2: any label overlaps
        # the best-connected node claims a gold entity first; a rival becomes a duplicate
        degree = {n: sum(1 for _ in g.triples((n, None, None))) + sum(1 for _ in g.triples((None, None, n)))
                  for n in pred}
        order = sorted(pred.items(), key=lambda kv: (-degree[kv[0]], str(kv[0])))
        for pass_ in (1, 2):
            for node, (t, main, allnames) in order:
                if node in self.match:
                    continue
                cands = []
                for k, gn in gold_names.items():
                    if k in taken:
                        continue
                    hit = (main in gn) if pass_ == 1 else bool(allnames & gn)
                    if hit:
                        same = group(t) == group(self.gent[k]["type"])
                        cands.append((not same, k))
                if cands:
                    k = sorted(cands)[0][1]
                    self.match[node] = k
                    taken.add(k)
        tp = tpt = fp = 0
        dup, spurious = [], []
        for node, (t, main, _) in pred.items():
            k = self.match.get(node)
            if k is None:
                # a second node for an already matched gold entity is a duplicate
                alln = pred[node][2]
                if any(alln & gold_names[x] for x in self.optional_keys if x in gold_names):
                    continue
                if any(alln & gold_names[x] for x in taken):
                    dup.append(main)
                    fp += 1
                else:
                    spurious.append(f"{t}:{main}")
                    fp += 1
                continue
            if k in self.optional_keys:
                continue
            tp += 1
            if group(t) == group(self.gent[k]["type"]):
                tpt += 1
        need = [k for k, e in self.gent.items() if e["type"] != "Event" and k not in self.optional_keys]
        missed = [self.gent[k]["name"] for k in need if k not in taken]
        fn = len(missed)
        self.report["entities"] = prf(tp, fp, fn)
        self.report["entities_typed"] = prf(tpt, fp + (tp - tpt), fn + (tp - tpt))
        self.report["entities_missed"] = missed
        self.report["entities_spurious"] = spurious[:40]
        self.report["entities_duplicate"] = dup

    # events -----------------------------------------------------------
    def score_events(self):
        g = self.g
        gold_events = {e["key"]: e for e in self.gold.get("events", [])}
        pred = [s for s in set(g.subjects(RDF.type, KG.Event))]
        neigh_gold = {}
        for r in self.gold.get("relations", []):
            if r["s"] in gold_events:
                neigh_gold.setdefault(r["s"], set()).add(r["o"])
        scored = []
        for node in pred:
            labels = [str(o) for o in g.objects(node, RDFS.label)]
            start = date_str(g.value(node, KG.startDate))
            nb = {self.match.get(o) for p in (KG.participant, KG.location, KG.organizer)
                  for o in g.objects(node, p)} - {None}
            for k, ev in gold_events.items():
                ent = self.gent.get(k, {})
                forms = [ev["name"], *ent.get("aliases", []), *ent.get("also_accept", [])]
                sim = max([dice(lab, f) for lab in labels for f in forms] or [0.0])
                same_date = bool(start and ev.get("startDate") and start == ev["startDate"])
                shared = len(nb & neigh_gold.get(k, set()))
                score = sim + (0.6 if same_date else 0.0) + min(shared, 3) * 0.2
                if score >= 0.6:
                    scored.append((score, str(node), node, k))
        taken_p, taken_g = set(), set()
        for _score, _, node, k in sorted(scored, key=lambda x: (-x[0], x[1])):
            if node in taken_p or k in taken_g:
                continue
            self.match[node] = k
            taken_p.add(node)
            taken_g.add(k)
        need = [k for k in gold_events if k not in self.optional_keys]
        tp = len([k for k in taken_g if k not in self.optional_keys])
        fp = len([n for n in pred if n not in taken_p])
        self.report["events"] = prf(tp, fp, len(need) - tp)
        ok = total = 0
        for node in taken_p:
            ev = gold_events[self.match[node]]
            for p, field in ((KG.startDate, "startDate"), (KG.endDate, "endDate")):
                if ev.get(field):
                    total += 1
                    ok += date_str(g.value(node, p)) == ev[field]
        self.report["event_dates"] = {"correct": ok, "of": total}
        self.report["events_missed"] = [gold_events[k]["name"] for k in need if k not in taken_g]

    # positions --------------------------------------------------------
    def score_positions(self):
        g = self.g
        golds = []  # one entry per gold position: the set of tuples that count as it
        for p in self.gold.get("positions", []):
            forms = {(p["holder"], norm(p["title"]), p["organization"])}
            for alt in p.get("alternatives", []) or []:
                forms.add((p["holder"], norm(alt["title"]), alt["organization"]))
            golds.append((forms, f"{self.gent[p['holder']]['name']}/{p['title']}/"
                                 f"{self.gent[p['organization']]['name']}"))
        pred, unmapped = set(), []
        for pos in set(g.subjects(RDF.type, KG.Position)) | set(g.objects(None, KG.holdsPosition)):
            holder = g.value(pos, KG.holder) or g.value(None, KG.holdsPosition, pos)
            org = g.value(pos, KG.organization)
            title = g.value(pos, KG.title)
            t = (self.match.get(holder), norm(title) if title else None, self.match.get(org))
            if None in t:
                if not (t[0] in self.optional_keys or t[2] in self.optional_keys):
                    unmapped.append(f"{names_of(g, holder)[0]}/{title}/{names_of(g, org)[0]}")
                continue
            pred.add(t)
        matched, tp = set(), 0
        missed = []
        for forms, label in golds:
            hit = next((t for t in sorted(forms & pred) if t not in matched), None)
            if hit is None:
                missed.append(label)
            else:
                matched.add(hit)
                tp += 1
        wrong = [t for t in sorted(pred - matched)
                 if t[0] not in self.optional_keys and t[2] not in self.optional_keys]
        self.report["positions"] = prf(tp, len(wrong) + len(unmapped), len(golds) - tp)
        self.report["positions_missed"] = missed
        self.report["positions_wrong"] = [f"{self.gent[h]['name']}/{t}/{self.gent[o]['name']}"
                                          for h, t, o in wrong] + unmapped[:20]

    # relations --------------------------------------------------------
    def score_relations(self):
        g = self.g
        gold = {(r["s"], r["p"], r["o"]) for r in self.gold.get("relations", [])} - self.optional_rels
        pred, unmapped = set(), 0
        for p in REL_PREDICATES:
            for s, o in g.subject_objects(KG[p]):
                ks, ko = self.match.get(s), self.match.get(o)
                if ks is None or ko is None:
                    # edges to things the gold does not know are scored only when
                    # both ends are real entities (not literals, not unknown nodes)
                    if node_type(g, s) and node_type(g, o) and not (
                            ks in self.optional_keys or ko in self.optional_keys):
                        unmapped += 1
                    continue
                t = (ks, p, ko)
                if t in self.optional_rels or ks in self.optional_keys or ko in self.optional_keys:
                    continue
                pred.add(t)
        tp = len(pred & gold)
        self.report["relations"] = prf(tp, len(pred - gold) + unmapped, len(gold - pred))
        def name(k):
            return self.gent[k]["name"]
        self.report["relations_missed"] = [f"{name(s)} {p} {name(o)}" for s, p, o in sorted(gold - pred)]
        self.report["relations_wrong"] = [f"{name(s)} {p} {name(o)}" for s, p, o in sorted(pred - gold)]

    # observations -----------------------------------------------------
    def score_observations(self):
        g = self.g

        def dec(v):
            try:
                return Decimal(str(v))
            except (InvalidOperation, TypeError):
                return None

        gold = [(dec(o["value"]), str(o.get("unit")), o) for o in self.gold.get("observations", [])]
        pred = []
        for ob in set(g.subjects(RDF.type, KG.Observation)):
            pred.append((dec(g.value(ob, KG.value)), str(g.value(ob, KG.unit)), ob))
        used = set()
        tp = period_ok = area_ok = 0
        missed = []
        for gv, gu, go in gold:
            hit = None
            for i, (pv, pu, _pn) in enumerate(pred):
                if i in used or pv is None or gv is None:
                    continue
                if abs(pv - gv) <= abs(gv) * Decimal("1e-6") and norm(pu) == norm(gu):
                    hit = i
                    break
            if hit is None:
                missed.append(f"{go.get('measure')}={go['value']}{gu}")
                continue
            used.add(hit)
            tp += 1
            pn = pred[hit][2]
            if go.get("refPeriod") and date_str(g.value(pn, KG.refPeriod)) == str(go["refPeriod"]):
                period_ok += 1
            if go.get("area") and self.match.get(g.value(pn, KG.area)) == go["area"]:
                area_ok += 1
        self.report["observations"] = prf(tp, len(pred) - len(used), len(gold) - tp)
        self.report["observation_periods"] = {"correct": period_ok,
                                              "of": sum(1 for *_, o in gold if o.get("refPeriod"))}
        self.report["observation_areas"] = {"correct": area_ok,
                                            "of": sum(1 for *_, o in gold if o.get("area"))}
        self.report["observations_missed"] = missed

    # article and provenance ------------------------------------------
    def score_article(self, text: str | None):
        g = self.g
        want = self.gold.get("article", {}) or {}
        arts = list(set(g.subjects(RDF.type, KG.Article)))
        ok = {}
        if arts:
            a = arts[0]
            for field in ("headline", "author", "sourceName"):
                if want.get(field):
                    ok[field] = norm(g.value(a, KG[field]) or "") == norm(want[field])
            if want.get("datePublished"):
                ok["datePublished"] = str(g.value(a, KG.datePublished) or "")[:19] == want["datePublished"][:19]
            if want.get("publisher"):
                ok["publisher"] = self.match.get(g.value(a, KG.publisher)) == want["publisher"]
        self.report["article"] = {"found": len(arts), **ok}
        nodes = (set(g.subjects(RDF.type, KG.Position)) | set(g.subjects(RDF.type, KG.Observation))
                 | set(g.subjects(RDF.type, KG.Event)))
        with_prov = with_span = span_ok = 0
        for n in nodes:
            if g.value(n, PROV.wasDerivedFrom) is not None:
                with_prov += 1
            s, e, ev = g.value(n, KG.charStart), g.value(n, KG.charEnd), g.value(n, KG.evidence)
            if s is not None and e is not None:
                with_span += 1
                if text is not None and ev is not None:
                    piece = text[int(s):int(e)]
                    span_ok += norm(piece) == norm(ev) or norm(ev) in norm(piece)
        self.report["provenance"] = {"nodes": len(nodes), "derivedFrom": with_prov,
                                     "spans": with_span,
                                     "spans_checked_ok": span_ok if text is not None else None}

    def run(self, text: str | None) -> dict:
        self.score_entities()
        self.score_events()
        self.score_positions()
        self.score_relations()
        self.score_observations()
        self.score_article(text)
        parts = [self.report[k]["f1"] for k in ("entities_typed", "positions", "relations", "observations")]
        self.report["kg_f1"] = round(sum(parts) / len(parts), 3)
        return self.report


def score(gold: dict, graph: Dataset, text: str | None = None) -> dict:
    """The full report for one article (the same keys as ``kgeval.py --json``)."""
    return Scorer(gold, graph).run(text)


def union_view(data: Dataset) -> Dataset:
    """The same quads in a Dataset whose default graph is the union, as the scorer reads files."""
    ds = Dataset(default_union=True)
    ds.addN((s, p, o, ds.graph(g.identifier if hasattr(g, "identifier") else g))
            for s, p, o, g in data.quads((None, None, None, None)))
    return ds


PARTS = ("entities_typed", "positions", "relations", "observations")


def gold_files(paths: list[Path]) -> list[Path]:
    """Gold files named directly or found in the given folders, sorted."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(p.rglob("*.gold.json"))
        elif p.name.endswith(".gold.json"):
            out.append(p)
        else:
            raise KGError(f"{p}: not a gold file (NAME.gold.json) or a folder of them")
    return out


def article_for(gold: Path) -> Path:
    """The article a gold file annotates: NAME.txt (or NAME.html …) beside NAME.gold.json."""
    name = gold.name.removesuffix(".gold.json")
    for p in sorted(gold.parent.glob(name + ".*")):
        if not p.name.endswith(".gold.json"):
            return p
    raise KGError(f"{gold}: no article {name}.* beside it")


def evaluate_gold(gold_path: Path) -> dict:
    """Extract the article beside a gold file and score it."""
    from kg.extract import extract_file
    from kg.ingest import read_source

    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise KGError(f"{gold_path}: cannot read gold file ({err})") from err
    article = article_for(gold_path)
    return score(gold, union_view(extract_file(article)), read_source(article)[0])
