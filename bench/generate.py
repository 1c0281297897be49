"""A seeded generator of synthetic articles of the genre, in every surface form we meet.

    .venv/bin/python bench/generate.py OUT_DIR --count 10000 [--seed 7]

Each article is built from templates with random (invented) officials, agencies,
parks, companies, events, dates and figures, placed in real administrative
divisions, and written as one of: plain simplified UTF-8, traditional script,
traditional with pinyin after characters, a scraped page with site chrome, an HTML
page, or GB18030 bytes. Same seed, same files. For benchmarks, not for tests of quality.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import opencc

from kg.pipeline.resources import divisions, surnames

GIVEN = "建国立新明远振华志强海涛红梅丽娟文斌晓东宏伟春燕国庆永刚小平德胜金龙玉兰秀英俊杰子涵思远"
BRAND = "星辰瑞达恒通华信博远天成科创鼎盛嘉禾远航鸿运腾飞启明卓越"
INDUSTRY = ["科技", "新材料", "智能装备", "生物医药", "信息技术", "新能源", "电子"]
DEPTS = [("科技厅", "厅长", "副厅长"), ("发展改革委", "主任", "副主任"), ("工业和信息化厅", "厅长", "副厅长")]
CITY_DEPTS = [("科技局", "局长", "副局长"), ("工信局", "局长", "副局长")]
UNITS = ["高新处", "区域处", "成果转化处", "政策法规处"]
COUNTERS = [
    ("家", "科技型中小企业"), ("个", "创新平台"), ("人", "创业导师"), ("件", "有效发明专利"), ("项", "科技项目"),
]
PINYIN = ["jìn", "huì", "qū", "guó", "zhèng", "fā", "zhǎn", "xīn", "chǎn", "yè"]
_s2t = opencc.OpenCC("s2t")


def person(rng: random.Random) -> str:
    fam = rng.choice(sorted(s for s in surnames() if len(s) == 1))
    return fam + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def article(rng: random.Random) -> tuple[str, str, str]:
    """(headline, date line, body) of one synthetic report."""
    provinces = sorted((d for d in divisions().values() if d.level == "province" and d.name.endswith("省")),
                       key=lambda d: d.code)
    prov = rng.choice(provinces)
    cities = sorted((d for d in divisions().values() if d.parent == prov.code and d.level == "city"
                     and "直辖" not in d.name),
                    key=lambda d: d.code) or [prov]
    city = rng.choice(cities)
    dept, head, _ = rng.choice(DEPTS)
    cdept, chead, _ = rng.choice(CITY_DEPTS)
    a, b, c, d = (person(rng) for _ in range(4))
    park = f"{city.short}高新区"
    company = f"{city.short}{''.join(rng.sample(BRAND, 2))}{rng.choice(INDUSTRY)}有限公司"
    y, m, day = rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28)
    n1, n2 = rng.randint(10, 900), round(rng.uniform(1, 50), 2)
    counter, measure = rng.choice(COUNTERS)
    headline = f"{prov.name}{dept}{head}{a}到{park}调研"
    body = (
        f"{y}年{m}月{day}日,{prov.name}{dept}党组书记、{head}{a}到{city.name}{park}调研,"
        f"实地调研{company}。{park}管委会主任{b}介绍园区发展情况。\n"
        f"{a}指出,省{dept}将进一步支持高新区建设。省{dept}{rng.choice(UNITS)}负责人、"
        f"{city.name}{cdept}{chead}{c}、{city.name}副市长{d}等陪同调研。\n"
        f"截至{y - 1}年底,{city.name}共有{measure}{n1}{counter},累计获得投资{n2}亿元。"
    )
    return headline, f"发布时间:{y}-{m:02d}-{min(day + 2, 28):02d}", body


def noisy(text: str, rng: random.Random) -> str:
    """Pinyin in brackets after about a third of the Han characters, as some sites print it."""
    return "".join(ch + (f"({rng.choice(PINYIN)})" if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.35 else "")
                   for ch in text)


def render(i: int, rng: random.Random) -> tuple[str, bytes]:
    """File name and bytes of article ``i`` in one of the surface forms."""
    headline, dateline, body = article(rng)
    form = i % 6
    plain = f"{headline}\n{dateline}\n\n{body}\n"
    if form == 0:
        return f"a{i:06d}.txt", plain.encode("utf-8")
    if form == 1:
        return f"a{i:06d}.txt", _s2t.convert(plain).encode("utf-8")
    if form == 2:
        return f"a{i:06d}.txt", noisy(_s2t.convert(plain), rng).encode("utf-8")
    if form == 3:
        chrome = (f"您好,欢迎进入某某信息网!\n新闻中心\n\n{headline}\n\n"
                  f"* 来源: 某某网 * 作者: admin * 发表时间: {dateline.split(':')[1].replace('-', '/')} 10:00:00"
                  f" * 浏览: {rng.randint(1, 99999)}\n\n{body}\n")
        return f"a{i:06d}.txt", _s2t.convert(chrome).encode("utf-8")
    if form == 4:
        paras = "".join(f"<p>{p}</p>" for p in body.split("\n"))
        page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{headline} - 某某网</title></head>"
                f"<body><div class='nav'><a href='/'>首页</a></div><h1>{headline}</h1>"
                f"<div class='info'>{dateline}</div><div class='content'>{paras}</div>"
                f"<div class='footer'>版权所有</div><script>var x=1;</script></body></html>")
        return f"a{i:06d}.html", page.encode("utf-8")
    return f"a{i:06d}.txt", plain.encode("gb18030")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    for i in range(args.count):
        name, data = render(i, rng)
        folder = args.out / f"{i // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    print(f"{args.count} articles in {args.out}")


if __name__ == "__main__":
    main()
