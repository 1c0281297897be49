"""A seeded generator of synthetic articles of the genre, in every surface form we meet.

    .venv/bin/python bench/generate.py OUT_DIR --count 10000 [--seed 7]

Writes OUT_DIR/000/a000000.txt … (1,000 articles a folder). Same seed, same bytes.
For benchmarks of throughput and scale, not for tests of quality: no gold is written.

The articles are government and technology-policy news of five kinds, chosen at
random: an official's inspection visit (调研) of a park and its companies with the
officials who went along; a symposium (座谈会) an agency holds with companies; the
opening of a competition, fair or forum (大赛/博览会/论坛) with organisers, a venue
and a date range; a statistics report with counts, money, shares and periods
(截至…年底, 上半年); and the news of a division inside an agency (省科技厅高新处…).
Paragraphs are mixed from shared parts (speeches, park and company profiles,
figures, plans), so an article has 4 to 10 paragraphs and about 400 to 1,600
characters, like the real ones.

Every person, company, venue and event is invented from random parts: family names
from the project's surname list, given-name characters, brand syllables and industry
words, placed in the real administrative divisions. Governments, departments and
parks are named from those divisions the way real ones are (某省科技厅, 某市高新区),
so some of them coincide with real bodies. Before the first article a *world* is drawn: per province
its government, departments with their divisions (处), cities with their bureaus,
parks with their committees, companies, associations, venues and yearly event
series, each with officials who keep their posts. Articles draw from that world
with skewed weights, so, as in real news, the same officials, agencies, parks and
companies recur across many articles, under full and short forms (…国家高新技术产业
开发区 / …高新区 / 高新区), and a few names are homonyms (one name, two people in
different bodies).

Each article is written as one of six surface forms, in turn: plain simplified
UTF-8, traditional script (OpenCC s2t), traditional with pinyin after about a third
of the characters, a scraped page with site chrome, an HTML page, or GB18030 bytes.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TypeVar

import opencc

from kg.pipeline.resources import Division, divisions, surnames

T = TypeVar("T")

# -- vocabulary: generic words and invented name parts, no name of any real article --

COMMON_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯曹彭曾肖田袁潘于蒋蔡余叶程苏魏吕"
                   "丁任沈姚卢姜崔钟陆范石廖贾夏韦付方白邹孟熊秦邱尹薛闫段雷侯史黎贺顾毛郝龚邵钱严覃武戴莫孔向汤")
# Given-name characters: chosen so that no name of the shared corpus can be drawn.
GIVEN = "晗宇晨曦若琳嘉怡浩然博雅婷泽楠墨俊豪欣悦昊承佳琪梓萱轩睿哲桐景书瑶鹏凯亦逸卫红霞桂芳淑珍玉秋菊润泉岩松柏峻锋毅"
BRAND = "星辰瑞达恒通信博远天成鼎盛嘉禾航鸿运腾启卓越汇聚德润泰和铭昇澜曜丰拓"
INDUSTRIES = {
    "新材料": "高性能复合材料的研发和生产",
    "智能装备": "工业机器人和智能产线",
    "生物医药": "创新药物和医疗器械研发",
    "信息技术": "工业软件和大数据服务",
    "新能源": "储能电池和光伏组件",
    "电子": "功率半导体封装测试",
    "光电": "激光器件和光学模组",
    "环保科技": "工业废水处理和资源化利用",
}
# A department: full word, short word, head title, deputy title, its divisions (处, 科).
DeptSpec = tuple[str, str, str, str, tuple[str, ...]]
PROVINCE_DEPTS: tuple[DeptSpec, ...] = (
    ("科学技术厅", "科技厅", "厅长", "副厅长",
     ("高新处", "成果转化处", "区域创新处", "政策法规处", "资源配置处", "人才处")),
    ("发展和改革委员会", "发展改革委", "主任", "副主任", ("高技术产业处", "地区经济处", "创新和高技术发展处")),
    ("工业和信息化厅", "工信厅", "厅长", "副厅长", ("科技处", "中小企业处", "产业政策处")),
    ("商务厅", "商务厅", "厅长", "副厅长", ("开发区处", "外资处")),
    ("财政厅", "财政厅", "厅长", "副厅长", ("教科文处",)),
)
CITY_BUREAUS: tuple[DeptSpec, ...] = (
    ("科学技术局", "科技局", "局长", "副局长", ("高新科", "成果转化科")),
    ("工业和信息化局", "工信局", "局长", "副局长", ("中小企业科",)),
)
TOPICS = ("科技创新", "高新技术企业培育", "科技成果转化", "园区建设", "“双创”平台建设", "产业链发展",
          "创新平台建设", "数字经济发展", "科技金融")
TALK = (
    "要坚持把科技创新摆在发展全局的核心位置", "要进一步强化企业创新主体地位",
    "要加大研发投入力度，突破一批关键核心技术", "要完善科技成果转化机制，推动更多成果在本地落地转化",
    "要持续优化营商环境，当好服务企业的“店小二”", "要加快培育高新技术企业和科技型中小企业",
    "要聚焦主导产业，做好延链补链强链", "要强化人才引进和培养，为创新发展提供支撑",
    "要推动科技金融深度融合，拓宽企业融资渠道", "要用好用足各级科技政策，确保政策红利直达企业",
    "要加强产学研合作，与高校和科研院所共建创新平台", "要以园区为主阵地，打造创新要素集聚高地",
    "要抓好重点项目建设，以项目促投资、以投资促发展", "要强化知识产权创造、保护和运用",
    "要进一步提升园区综合竞争力和辐射带动作用", "要深化体制机制改革，激发园区发展活力",
    "要落实好研发费用加计扣除等税收优惠政策", "要加快数字化转型，推动产业向中高端迈进",
    "要建好用好众创空间、科技企业孵化器等创新创业平台", "要坚持问题导向，及时协调解决企业发展中的困难",
)
ASKS = ("融资难、人才招引、用地保障", "研发投入、技术攻关、市场拓展", "政策兑现、人才公寓、检验检测",
        "产学研合作、成果转化、知识产权保护", "科技项目申报、创新平台建设、人才培养")
PINYIN = ["jìn", "huì", "qū", "guó", "zhèng", "fā", "zhǎn", "xīn", "chǎn", "yè"]
_s2t = opencc.OpenCC("s2t")


# -- the world: bodies and the officials who hold posts in them --

@dataclass
class Body:
    """An organisation as articles write it: a full name, a short name and a bare one.

    Articles name a body in full the first time and shorter afterwards (省科技厅,
    管委会, 该公司); keeping all three lets one article show every form.
    """

    full: str
    short: str
    bare: str
    staff: list[tuple[str, str]] = field(default_factory=list)  # (title chain, name), head first
    units: list[Body] = field(default_factory=list)  # divisions inside it (处, 科)
    region: str | None = None  # a government's titles follow its region (某市副市长), not its name

    @property
    def pronoun(self) -> bool:
        """Whether the bare form points back (该公司): fine after the body, not in a list or before a title."""
        return self.bare.startswith("该")


@dataclass
class Park:
    """A park with the committee that runs it, its party committee and its companies."""

    body: Body
    committee: Body
    party: Body
    companies: list[Body]
    founded: int
    industry: str


@dataclass
class City:
    """A prefecture-level city: its government, bureaus, parks and venues."""

    div: Division
    gov: Body
    bureaus: list[Body]
    parks: list[Park]
    venues: list[str]


@dataclass
class Series:
    """A yearly event (大赛, 博览会, 论坛) with a first year, a home city and its organisers."""

    name: str
    kind: str
    first: int
    city: City
    hosts: list[Body]
    runners: list[Body]


@dataclass
class Province:
    """A province or autonomous region with everything the articles draw from it."""

    div: Division
    level: str  # 省 or 自治区: the bare word before a department (省科技厅, 自治区科技厅)
    gov: Body
    depts: list[Body]
    cities: list[City]
    assocs: list[Body]
    series: list[Series]


class Names:
    """Invents personal names; a few repeat an earlier one on purpose (homonyms)."""

    HOMONYM_RATE = 0.04

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        singles = sorted(s for s in surnames() if len(s) == 1)
        self.common = [s for s in COMMON_SURNAMES if s in surnames()]
        self.rare = [s for s in singles if s not in self.common]
        self.used: list[str] = []
        self.taken: set[str] = set()

    def fresh(self) -> str:
        """A new name: mostly a common family name, as in real rosters, then one or two characters."""
        rng = self.rng
        fam = rng.choice(self.common) if rng.random() < 0.8 else rng.choice(self.rare)
        return fam + "".join(rng.sample(GIVEN, 1 if rng.random() < 0.25 else 2))

    def __call__(self) -> str:
        """A name for a new post holder: unique unless drawn as a homonym of someone else."""
        if self.used and self.rng.random() < self.HOMONYM_RATE:
            return self.rng.choice(self.used)
        name = self.fresh()
        for _ in range(8):
            if name not in self.taken:
                break
            name = self.fresh()
        self.used.append(name)
        self.taken.add(name)
        return name


def brand(rng: random.Random) -> str:
    """Two distinct brand syllables, the invented core of a company or venue name."""
    return "".join(rng.sample(BRAND, 2))


def dept_body(rng: random.Random, names: Names, region: str, level: str, spec: DeptSpec) -> Body:
    """A department of a province or city, with its head, deputies and a few divisions."""
    full_word, short_word, head, deputy, units = spec
    staff = [(f"党组书记、{head}", names()), (f"党组成员、{deputy}", names()), (deputy, names())]
    if rng.random() < 0.5:
        staff.append(("二级巡视员", names()))
    body = Body(f"{region}{full_word}", f"{region}{short_word}", f"{level}{short_word}", staff)
    for unit in rng.sample(units, min(len(units), rng.randint(1, 3))):
        chief = "处长" if unit.endswith("处") else "科长"
        body.units.append(Body(f"{body.short}{unit}", f"{body.bare}{unit}", unit,
                               [(chief, names()), (f"副{chief}", names())]))
    return body


def company(rng: random.Random, names: Names, city: Division, prov: Division, industry: str) -> Body:
    """A company of a park: limited, joint-stock or a group, with its chairman and manager."""
    core = brand(rng)
    form = rng.random()
    if form < 0.5:
        full, short = f"{city.short}{core}{industry}有限公司", f"{core}公司"
    elif form < 0.8:
        full, short = f"{prov.short}{core}{industry}股份有限公司", f"{core}股份"
    else:
        full, short = f"{core}{industry}集团有限公司", f"{core}集团"
    chair = "党委书记、董事长" if rng.random() < 0.3 else "董事长"
    return Body(full, short, "该公司", [(chair, names()), ("总经理", names())])


def park(rng: random.Random, names: Names, city: Division, prov: Division, kind: str) -> Park:
    """A high-tech zone, an economic zone or a science park of a city, with its bodies."""
    s = city.short
    if kind == "高新区":
        full = f"{s}国家高新技术产业开发区" if rng.random() < 0.6 else f"{s}高新技术产业开发区"
        body = Body(full, f"{s}高新区", "高新区")
    elif kind == "经开区":
        body = Body(f"{s}经济技术开发区", f"{s}经开区", "经开区")
    else:
        name = f"{s}{brand(rng)}科技园"
        body = Body(name, name, "园区")
    committee = Body(f"{body.full}管理委员会", f"{body.short}管委会", "管委会",
                     [("主任", names()), ("常务副主任", names()), ("副主任", names())])
    party = Body(f"中共{body.full}工作委员会", f"{body.short}党工委", "党工委", [("书记", names())])
    industry = rng.choice(sorted(INDUSTRIES))
    # most of a park's companies are in its own industry, some in any other
    cos = [company(rng, names, city, prov, rng.choice((industry, industry, *INDUSTRIES)))
           for _ in range(rng.randint(4, 8))]
    return Park(body, committee, party, cos, rng.randint(1992, 2014), industry)


def city(rng: random.Random, names: Names, div: Division, prov: Division) -> City:
    """A city with its government, bureaus, one to three parks and two venues."""
    gov = Body(f"{div.name}人民政府", f"{div.name}政府", "市政府",
               [("市委副书记、市长", names()), ("常务副市长", names()), ("副市长", names()), ("副市长", names())],
               region=div.name)
    bureaus = [dept_body(rng, names, div.name, "市", spec) for spec in CITY_BUREAUS]
    kinds = ["高新区", *rng.sample(["经开区", "科技园"], rng.randint(0, 2))]
    venues = [f"{div.short}{brand(rng)}会展中心", f"{div.short}{brand(rng)}国际会议中心"]
    return City(div, gov, bureaus, [park(rng, names, div, prov, k) for k in kinds], venues)


def series(rng: random.Random, prov: Division, cities: list[City], depts: list[Body], assocs: list[Body]) -> Series:
    """A yearly event of the province, held in one of its cities by its bodies."""
    host = rng.choice(cities)
    industry = rng.choice(sorted(INDUSTRIES))
    kind = rng.choice(("大赛", "博览会", "论坛"))
    name = {
        "大赛": rng.choice((f"{prov.name}科技成果转化大赛", f"{prov.name}{industry}创新大赛",
                            f"{prov.short}青年科技创业大赛")),
        "博览会": rng.choice((f"{prov.short}{industry}产业博览会", f"{host.div.short}国际{industry}博览会")),
        "论坛": rng.choice((f"{prov.short}园区高质量发展论坛", f"{host.div.short}{industry}产业发展论坛",
                            f"{prov.short}科技金融论坛")),
    }[kind]
    return Series(name, kind, rng.randint(2005, 2016), host, [depts[0], host.gov],
                  [host.parks[0].committee, rng.choice(assocs)])


def province(rng: random.Random, names: Names, div: Division) -> Province:
    """A province with departments, three to five cities, associations and event series."""
    level = "自治区" if div.name.endswith("自治区") else "省"
    chief, deputy = ("主席", "副主席") if level == "自治区" else ("省长", "副省长")
    gov = Body(f"{div.name}人民政府", f"{div.name}政府", f"{level}政府",
               [(chief, names()), (deputy, names()), (deputy, names())], region=div.name)
    depts = [dept_body(rng, names, div.name, level, spec) for spec in PROVINCE_DEPTS]
    pool = cities_of(div)
    cities = [city(rng, names, c, div) for c in rng.sample(pool, min(len(pool), rng.randint(3, 5)))]
    assocs = [Body(f"{div.name}{w}", f"{div.name}{w}", w[-2:], [("会长", names()), ("秘书长", names())])
              for w in (f"{rng.choice(sorted(INDUSTRIES))}产业协会", "科技企业孵化器协会")]
    evs = [series(rng, div, cities, depts, assocs) for _ in range(rng.randint(1, 3))]
    return Province(div, level, gov, depts, cities, assocs, evs)


@cache
def provinces_list() -> tuple[Division, ...]:
    """Provinces and autonomous regions that have prefecture-level cities, in code order.

    Taiwan (code 71…) is left out: the genre's departments, parks and officials are
    those of the provincial governments the news reports on.
    """
    return tuple(d for d in sorted(divisions().values(), key=lambda d: d.code)
                 if d.level == "province" and d.name.endswith(("省", "自治区")) and not d.code.startswith("71")
                 and cities_of(d))


@cache
def cities_of(prov: Division) -> list[Division]:
    """The cities (…市) of a province whose short form differs from the name (吉林市 has none)."""
    return [d for d in sorted(divisions().values(), key=lambda d: d.code)
            if d.parent == prov.code and d.level == "city" and d.name.endswith("市") and d.short != d.name]


class World:
    """Everything articles draw from, drawn once per seed so entities recur across articles."""

    def __init__(self, rng: random.Random) -> None:
        self.names = names = Names(rng)
        self.provinces = [province(rng, names, d) for d in provinces_list()]
        rng.shuffle(self.provinces)  # which provinces are "busy" (weighted) depends on the seed


@cache
def zipf(n: int) -> tuple[float, ...]:
    """Weights 1, 1/2, 1/3 …: a few entities fill most of the news, as in real corpora."""
    return tuple(1 / (i + 1) for i in range(n))


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One item, the first ones much more often than the last."""
    return rng.choices(items, weights=zipf(len(items)))[0]


# -- writing one article --

class Story:
    """One article being written: where, when, and which names it has already used.

    The first mention of a body is its full (or short) name and later ones are
    shorter; a person is introduced with body and title, then named alone.
    """

    def __init__(self, rng: random.Random, prov: Province) -> None:
        self.rng, self.p = rng, prov
        self.c = pick(rng, prov.cities)
        self.park = pick(rng, self.c.parks)
        self.day = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
        self.published = self.day + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 5)))
        self.seen: set[str] = set()
        self.whole = f"全{prov.level[-1]}"  # 全省, or 全区 in an autonomous region
        self.extra = rng.choices((-2, 0, 3, 5), weights=(20, 55, 20, 5))[0]  # real reports vary widely in length

    def org(self, b: Body, bare: bool = True) -> str:
        """The body's name: full or short the first time, short or bare afterwards.

        ``bare=False`` where a bare form would be ambiguous: in a list of bodies, or
        for a pronoun-like bare form (该公司) before a title.
        """
        if b.full not in self.seen:
            self.seen.add(b.full)
            # a company is nearly always introduced by its registered name; an agency often by its short one
            return b.full if self.rng.random() < (0.85 if b.pronoun else 0.5) else b.short
        return b.bare if bare and self.rng.random() < 0.5 else b.short

    def orgs(self, bodies: Sequence[Body]) -> str:
        """Bodies in a list (A、B、C), each full or short, never a bare form."""
        return "、".join(self.org(b, bare=False) for b in bodies)

    def who(self, b: Body, k: int = 0, prefix: str | None = None) -> str:
        """Body, title and name of its k-th post holder; only the name once introduced."""
        title, name = b.staff[min(k, len(b.staff) - 1)]
        if name in self.seen:
            return name
        self.seen.add(name)
        lead = prefix or b.region or self.org(b, bare=not b.pronoun)
        if title.startswith("市委") and lead.endswith("市"):  # 某市 + 市委书记 is written 某市委书记
            lead = lead[:-1]
        return f"{lead}{title}{name}"

    def name(self, b: Body, k: int = 0) -> str:
        """Just the name of the k-th post holder (for speeches after the introduction)."""
        return b.staff[min(k, len(b.staff) - 1)][1]

    def when(self) -> str:
        """The event's date as reports write it: in full, without the year, or 近日."""
        r, d = self.rng.random(), self.day
        if r < 0.6:
            return f"{d.year}年{d.month}月{d.day}日"
        if r < 0.85:
            return f"{d.month}月{d.day}日{self.rng.choice(('', '上午', '下午'))}"
        return "近日"

    def companies(self, n: int) -> list[Body]:
        """n distinct companies of the story's park, the busy ones more often."""
        cos = self.park.companies
        out: list[Body] = []
        while len(out) < min(n, len(cos)):
            c = pick(self.rng, cos)
            if c not in out:
                out.append(c)
        return out

    def dept(self) -> Body:
        """A province department, the science department most often."""
        return pick(self.rng, self.p.depts)


def amount(rng: random.Random, lo: float, hi: float) -> str:
    """A sum of money as reports write it: 亿元 with two decimals or 万元 as an integer."""
    v = rng.uniform(lo, hi)
    return f"{v:.2f}亿元" if v >= 1 else f"{round(v * 10000)}万元"


def pct(rng: random.Random) -> str:
    """A growth rate or share."""
    return f"{rng.uniform(1, 35):.1f}%"


def talk(s: Story, b: Body, k: int = 0) -> str:
    """A paragraph of what a leader said: the genre's policy lines, three to five of them.

    The speaker is introduced (body, title, name) unless the story already named them.
    """
    rng = s.rng
    first, name = s.who(b, k), s.name(b, k)
    lines = rng.sample(TALK, rng.randint(3, 5))
    verb = rng.choice(("指出", "强调", "要求", "表示"))
    lead = rng.choice(("", f"{first}对{s.org(s.park.body)}近年来取得的成绩给予充分肯定。", f"{first}听取汇报后"))
    said = f"{lead}{verb}" if lead.endswith("后") else f"{lead}{name if lead else first}{verb}"
    wish = rng.choice(("", f"{name}希望{s.org(s.park.body)}抢抓机遇、乘势而上，"
                           f"在{rng.choice(TOPICS)}上走在{s.whole}前列。"))
    return f"{said}，{'；'.join(lines)}。{wish}"


def two_lines(rng: random.Random) -> str:
    """Two different policy lines, without their leading 要, joined as one clause."""
    a, b = rng.sample(TALK, 2)
    return f"{a[1:]}，{b[1:]}"


def park_profile(s: Story) -> str:
    """The park in figures: founding, area, firms, revenue, as a committee head reports it."""
    rng, p = s.rng, s.park
    y, firms = s.day.year - 1, rng.randint(300, 6000)
    other = rng.choice([i for i in INDUSTRIES if i != p.industry])
    return (f"{s.who(p.committee, rng.randint(0, 2))}介绍，{s.org(p.body)}始建于{p.founded}年，规划面积"
            f"{rng.uniform(5, 120):.1f}平方公里，重点发展{p.industry}、{other}等产业。"
            f"截至{y}年底，园区共有入驻企业{firms}家，其中高新技术企业{rng.randint(firms // 20, firms // 4)}家；"
            f"{y}年实现营业收入{amount(rng, 80, 3000)}，同比增长{pct(rng)}。")


def park_platforms(s: Story) -> str:
    """The park's research platforms, talent and R&D spending: the counts reports list."""
    rng, y = s.rng, s.day.year - 1
    return (f"目前，{s.org(s.park.body)}已建成国家级企业技术中心{rng.randint(1, 12)}个、省级工程技术研究中心"
            f"{rng.randint(5, 80)}个、院士专家工作站{rng.randint(1, 15)}个，"
            f"累计引进高层次人才{rng.randint(50, 900)}人；"
            f"{y}年园区企业研发投入{amount(rng, 5, 150)}，占营业收入的{rng.uniform(1.5, 6):.1f}%。")


def company_profile(s: Story, co: Body) -> str:
    """A visited company in figures, as its chairman or manager introduces it."""
    rng = s.rng
    field_ = next((v for k, v in INDUSTRIES.items() if k in co.full), "新产品研发")
    staff = rng.randint(80, 3000)
    return (f"{s.who(co, rng.randint(0, 1))}介绍，公司成立于{rng.randint(1995, 2018)}年，"
            f"主要从事{field_}，现有员工{staff}人，其中研发人员{rng.randint(staff // 10, staff // 3)}人，"
            f"拥有有效发明专利{rng.randint(5, 260)}件。{s.day.year - 1}年公司实现营业收入{amount(rng, 0.3, 40)}，"
            f"同比增长{pct(rng)}。")


def company_quote(s: Story, co: Body) -> str:
    """A company head quoted on what the policies meant to the firm, with a target."""
    rng = s.rng
    then = rng.choice(("下一步公司", "下一步，公司", "今后公司"))
    return (f"“近三年公司享受研发费用加计扣除等政策减免税款{amount(rng, 0.01, 0.9)}，"
            f"这些钱我们全部投入到了新产品研发中。”{s.who(co, rng.randint(0, 1))}说，"
            f"{then}将加快建设{rng.choice(sorted(INDUSTRIES))}研发中心，"
            f"力争{s.day.year + 2}年营业收入突破{rng.randint(5, 80)}亿元。")


def city_background(s: Story) -> str:
    """How the city has been doing: the background paragraph many reports carry."""
    rng = s.rng
    return (f"近年来，{s.c.div.name}深入实施创新驱动发展战略，{two_lines(rng)}。{s.day.year - 1}年，"
            f"全市高新技术产业增加值{amount(rng, 50, 2000)}，同比增长{pct(rng)}；全社会研发经费投入强度达到"
            f"{rng.uniform(0.8, 3.5):.2f}%，新增国家高新技术企业{rng.randint(20, 600)}家。")


def province_figures(s: Story) -> str:
    """Figures of the province at the end of last year, the way reports close a story."""
    rng, y = s.rng, s.day.year - 1
    return (f"截至{y}年底，{s.whole}有效期内高新技术企业达{rng.randint(800, 30000)}家，科技型中小企业"
            f"{rng.randint(1000, 40000)}家，省级以上科技企业孵化器{rng.randint(20, 300)}家；全年技术合同成交额"
            f"{amount(rng, 50, 3000)}，同比增长{pct(rng)}。")


def policy(s: Story, b: Body) -> str:
    """The body's support policies and the money paid out under them."""
    rng = s.rng
    return (f"据悉，{s.org(b)}先后出台《关于支持科技型企业高质量发展的若干措施》等{rng.randint(3, 15)}项政策文件，"
            f"从研发投入、平台建设、人才引进等方面对企业给予支持，{s.day.year - 1}年共兑现各类奖补资金"
            f"{amount(rng, 0.1, 12)}，惠及企业{rng.randint(50, 2000)}家。")


def outlook(s: Story, b: Body) -> str:
    """A closing paragraph of plans: what the body will do next."""
    rng = s.rng
    return (f"下一步，{s.org(b)}将{rng.choice(('围绕', '聚焦'))}{rng.choice(TOPICS)}，"
            f"{two_lines(rng)}，为{s.whole}高质量发展提供有力支撑。")


def plans(s: Story, year: int) -> str:
    """Next year's tasks a division sets itself at its year-end meeting."""
    rng = s.rng
    a, b, c = rng.sample(TOPICS, 3)
    return (f"会议部署了{year}年重点工作：一是抓好{a}，力争新增高新技术企业{rng.randint(100, 2000)}家；"
            f"二是推进{b}，支持{rng.randint(2, 10)}个高新区争先进位；三是做好{c}，{rng.choice(TALK)[1:]}。")


def newcomer(s: Story, b: Body, ks: range) -> int | None:
    """A post of ``b`` whose holder the story has not named yet: escorts are new names."""
    free = [k for k in ks if k < len(b.staff) and b.staff[k][1] not in s.seen]
    return s.rng.choice(free) if free else None


def escort(s: Story, lead: Body) -> str:
    """Who went along: a division chief, city leaders, a bureau and the park committee."""
    rng = s.rng
    people = []
    if lead.units:
        unit = rng.choice(lead.units)
        people.append(s.who(unit, 0, prefix=f"{lead.bare}{unit.bare}"))
    others = []
    for b, ks in ((s.c.gov, range(1, 4)), (rng.choice(s.c.bureaus), range(3)), (s.park.committee, range(3))):
        k = newcomer(s, b, ks)
        if k is not None:
            others.append(s.who(b, k))
    rng.shuffle(others)
    people += others
    tail = rng.choice(("等陪同调研", "陪同调研", "等参加调研"))
    return f"{'，'.join(people)}{tail}。"


def extras(s: Story, parts: Sequence[Callable[[], str]], lo: int, hi: int) -> list[str]:
    """Some optional paragraphs, written only once chosen.

    Writing them lazily matters: writing a paragraph introduces its people and
    bodies, and one that is then dropped would leave them "already named".
    A brief story takes fewer and a long one more (``Story.extra``), as real
    reports vary widely.
    """
    n = max(0, min(len(parts), s.rng.randint(lo, hi) + s.extra))
    return [make() for make in s.rng.sample(list(parts), n)]


# -- the five kinds of article --

def visit(s: Story) -> tuple[str, list[str]]:
    """An inspection visit (调研): who went, the park, its companies, talk and escorts."""
    rng, p = s.rng, s.park
    lead = s.dept() if rng.random() < 0.7 else s.p.gov
    k = 0 if lead is not s.p.gov else rng.randint(1, 2)
    title, name = lead.staff[k]
    topic = rng.choice(TOPICS)
    who = f"{lead.region or lead.short}{title.split('、')[-1]}{name}"
    headline = rng.choice((f"{who}到{p.body.short}调研", f"{name}赴{s.c.div.short}调研{topic}工作",
                           f"{who}调研{p.body.short}{topic}工作"))
    cos = s.companies(rng.randint(2, 4))
    if rng.random() < 0.5:
        first = (f"{s.when()}，{s.who(lead, k)}带队到{s.org(p.body)}调研{topic}工作，"
                 f"实地调研{s.orgs(cos)}，听取企业负责人汇报。")
    else:
        first = (f"{s.when()}，{s.who(lead, k)}一行到{s.c.div.name}调研{topic}工作，先后来到{s.org(p.body)}、"
                 f"{s.orgs(cos)}，实地察看企业生产研发情况。")
    paras = [first, park_profile(s), company_profile(s, cos[0])]
    middle = [lambda: company_profile(s, cos[1]), lambda: company_quote(s, cos[-1]), lambda: park_platforms(s),
              lambda: (f"随后，{name}在{s.org(p.committee)}主持召开座谈会，{s.who(p.party)}、"
                       f"{s.who(p.committee)}分别汇报了{topic}工作情况和下一步打算，"
                       f"{s.orgs(cos)}等企业负责人围绕{rng.choice(ASKS)}等问题提出意见建议。")]
    paras += extras(s, middle, 1, 3)
    paras.append(talk(s, lead, k))
    paras += extras(s, [lambda: province_figures(s), lambda: outlook(s, lead), lambda: talk(s, s.c.gov),
                        lambda: city_background(s)], 0, 1)
    paras.append(escort(s, lead))
    return headline, paras


def symposium(s: Story) -> tuple[str, list[str]]:
    """A symposium (座谈会) an agency holds with companies, who speak in turn."""
    rng = s.rng
    host = s.dept() if rng.random() < 0.5 else rng.choice(s.c.bureaus)
    topic = rng.choice(TOPICS)
    event = rng.choice((f"{topic}企业座谈会", f"民营企业{topic}座谈会", f"{s.park.industry}产业发展座谈会"))
    headline = rng.choice((f"{host.short}召开{event}", f"{host.short}{host.staff[0][0].split('、')[-1]}"
                           f"{host.staff[0][1]}主持召开{event}"))
    cos = s.companies(rng.randint(3, 5))
    venue = s.org(s.park.committee) if rng.random() < 0.5 else rng.choice(s.c.venues)
    paras = [f"{s.when()}，{s.org(host)}在{venue}召开{event}。{s.who(host)}主持会议并讲话，"
             f"{s.who(host, rng.randint(1, 2))}出席会议。",
             f"{s.orgs(cos)}等{rng.randint(len(cos) + 3, 30)}家企业负责人参加座谈。"]
    speakers = [s.who(c, rng.randint(0, 1)) for c in cos[:3]]
    paras.append(f"座谈会上，{'、'.join(speakers)}等企业代表先后发言，介绍了企业发展现状，"
                 f"围绕{rng.choice(ASKS)}等方面提出意见建议。")
    if host.units:
        unit = rng.choice(host.units)
        y = s.day.year
        whole = s.whole if host in s.p.depts else "全市"
        paras.append(f"{s.who(unit, 0, prefix=f'{host.bare}{unit.bare}')}介绍了相关扶持政策。据介绍，{y}年上半年，"
                     f"{whole}共兑现各类科技创新奖补资金{amount(rng, 0.05, 3)}，惠及企业{rng.randint(30, 900)}家，"
                     f"新增省级以上研发平台{rng.randint(3, 60)}个。")
    paras += extras(s, [lambda: company_quote(s, cos[0]), lambda: company_profile(s, cos[-1]),
                        lambda: city_background(s), lambda: park_platforms(s)], 1, 3)
    paras.append(talk(s, host))
    paras += extras(s, [lambda: outlook(s, host), lambda: park_profile(s), lambda: policy(s, host)], 0, 1)
    if rng.random() < 0.6:
        paras.append(f"{host.bare}有关处室负责人、{s.org(s.park.committee)}有关部门负责同志参加座谈。")
    return headline, paras


def opening(s: Story) -> tuple[str, list[str]]:
    """The opening of a yearly competition, fair or forum: edition, organisers, venue, dates, figures."""
    rng = s.rng
    ev = pick(rng, s.p.series)
    s.c = ev.city
    s.park = ev.city.parks[0]
    if s.day.year <= ev.first:  # an edition comes after the first year
        s.day = date(ev.first + 1, s.day.month, min(s.day.day, 28))
    s.published = s.day + timedelta(days=rng.choice((0, 1, 2)))
    edition = "第" + cn_number(s.day.year - ev.first + 1) + "届"
    venue = rng.choice(ev.city.venues)
    end = s.day + timedelta(days=rng.randint(1, 4))
    until = f"{end.day}日" if end.month == s.day.month else f"{end.month}月{end.day}日"
    verb = "开幕" if ev.kind != "论坛" else rng.choice(("开幕", "举行"))
    headline = rng.choice((f"{edition}{ev.name}在{ev.city.div.short}{verb}",
                           f"{s.day.year}年{ev.name}{verb} {rng.randint(8, 90)}个项目现场签约"))
    first = rng.choice((
        f"{s.day.year}年{s.day.month}月{s.day.day}日，{edition}{ev.name}在{venue}{verb}，"
        f"活动持续到{end.month}月{end.day}日。",
        f"{s.day.year}年{s.day.month}月{s.day.day}日至{until}，{edition}{ev.name}在{venue}举行。"))
    theme = rng.choice(("创新引领 合作共赢", "科技赋能 产业升级", "汇聚创新力量 共享发展机遇"))
    paras = [first + f"本届{ev.kind}以“{theme}”为主题。",
             f"本届{ev.kind}由{s.orgs(ev.hosts)}主办，{s.orgs(ev.runners)}承办。"]
    k = rng.randint(1, 2)
    guests = [s.who(s.p.gov, k), s.who(ev.hosts[0]), s.who(ev.city.gov, 0), s.who(ev.runners[1])]
    paras.append(f"{'，'.join(guests)}等出席开幕式。开幕式由{s.who(ev.city.gov, rng.randint(1, 3))}主持。")
    paras.append(f"{s.name(s.p.gov, k)}在致辞中表示，{two_lines(rng)}。"
                 f"希望{'参赛' if ev.kind == '大赛' else '参会'}各方以此为契机，深化交流合作，共享发展机遇。")
    paras.append(figures_of(s, ev))
    paras.append(f"{ev.kind}期间，还将举办{s.park.industry}产业对接会、科技成果发布会、投融资路演等"
                 f"{rng.randint(3, 12)}场配套活动，{rng.randint(20, 200)}家投资机构和金融机构到场对接。")
    cos = s.companies(rng.randint(2, 3))
    paras += extras(s, [
        lambda: (f"开幕式后，{s.name(s.p.gov, k)}一行参观了{s.orgs(cos)}等企业展台，"
                 f"详细了解{rng.choice(TOPICS)}和新产品研发情况。"),
        lambda: (f"据了解，{ev.name}自{ev.first}年创办以来已连续举办{s.day.year - ev.first + 1}届，"
                 f"累计吸引{rng.randint(1000, 20000)}家企业和团队参与，促成合作项目{rng.randint(100, 3000)}个，"
                 f"带动投资{amount(rng, 20, 900)}。"),
        lambda: talk(s, ev.city.gov),
        lambda: company_quote(s, cos[0]),
        lambda: city_background(s),
        lambda: outlook(s, ev.hosts[0]),
        lambda: park_profile(s),
    ], 2, 3)
    return headline, paras


def figures_of(s: Story, ev: Series) -> str:
    """What an event gathered: entrants or exhibitors, space, signed projects and money."""
    rng = s.rng
    if ev.kind == "大赛":
        return (f"本届大赛共有{rng.randint(300, 3000)}家企业和{rng.randint(80, 900)}个团队报名参赛，"
                f"经过初赛、复赛，{rng.randint(30, 120)}个项目进入决赛，大赛设奖金总额{amount(rng, 0.02, 0.3)}。")
    if ev.kind == "博览会":
        return (f"本届博览会设{rng.randint(4, 12)}个展区，展览面积{rng.uniform(1, 12):.1f}万平方米，"
                f"{rng.randint(200, 1500)}家企业参展；开幕式上，{rng.randint(8, 90)}个项目现场签约，"
                f"签约金额{amount(rng, 10, 500)}。")
    return (f"论坛期间举办了{rng.randint(2, 8)}场分论坛，来自全国的{rng.randint(30, 200)}余位专家学者和"
            f"{rng.randint(100, 900)}家企业代表参会，现场发布{rng.randint(10, 80)}项科技成果。")


def report(s: Story) -> tuple[str, list[str]]:
    """A statistics report: counts, money, shares and periods, by province, city and park."""
    rng, y = s.rng, s.day.year
    dept = s.p.depts[0]
    n_hi = rng.randint(800, 30000)
    headline = rng.choice((f"{s.p.div.name}高新技术企业数量突破{n_hi // 100 * 100}家",
                           f"{y}年上半年{s.p.div.short}国家高新区营业收入同比增长{pct(rng)}",
                           f"{dept.short}通报{y - 1}年{s.whole}科技创新主要指标"))
    paras = [f"记者从{s.org(dept)}获悉，截至{y - 1}年底，{s.whole}有效期内高新技术企业达到{n_hi}家，"
             f"同比增长{pct(rng)}；入库科技型中小企业{rng.randint(1000, 40000)}家，同比增长{pct(rng)}。",
             f"{y}年上半年，{s.whole}{rng.randint(2, 12)}个国家高新区实现营业收入{amount(rng, 500, 9000)}，"
             f"同比增长{pct(rng)}；实现工业增加值{amount(rng, 100, 2000)}，占{s.whole}的{pct(rng)}。",
             f"{y - 1}年，{s.whole}技术合同成交额{amount(rng, 50, 3000)}，有效发明专利{rng.randint(5000, 90000)}件，"
             f"每万人口高价值发明专利拥有量{rng.uniform(2, 20):.2f}件。全年组织实施省级科技计划项目"
             f"{rng.randint(200, 3000)}项，安排财政科技资金{amount(rng, 1, 60)}。"]
    cs = rng.sample(s.p.cities, min(3, len(s.p.cities)))
    counts = sorted((rng.randint(100, 8000) for _ in cs), reverse=True)
    paras.append(f"分地区看，{cs[0].div.name}高新技术企业{counts[0]}家，居{s.whole}首位；"
                 + "，".join(f"{c.div.name}{n}家" for c, n in zip(cs[1:], counts[1:], strict=True))
                 + f"。其中，{s.org(s.park.body)}实现营业收入{amount(rng, 50, 3000)}，占{s.whole}高新区的{pct(rng)}。")
    paras += extras(s, [
        lambda: (f"截至{y}年{rng.randint(3, 6)}月底，{s.whole}累计建成省级以上科技企业孵化器{rng.randint(20, 300)}家、"
                 f"众创空间{rng.randint(50, 600)}个，在孵企业{rng.randint(1000, 20000)}家，"
                 f"累计毕业企业{rng.randint(300, 8000)}家。"),
        lambda: park_profile(s),
        lambda: park_platforms(s),
        lambda: (f"科技金融方面，{s.whole}{y - 1}年新增科技贷款{amount(rng, 10, 600)}，"
                 f"{rng.randint(50, 1500)}家科技型企业获得“科技贷”支持，风险补偿资金池规模达{amount(rng, 0.5, 30)}。"),
        lambda: policy(s, dept),
        lambda: city_background(s),
    ], 2, 4)
    unit = rng.choice(dept.units) if dept.units else dept
    paras.append(f"{s.who(unit, 0, prefix=f'{dept.bare}{unit.bare}' if unit is not dept else None)}表示，"
                 f"{two_lines(rng)}。")
    paras += extras(s, [lambda: outlook(s, dept)], 0, 1)
    return headline, paras


def division_news(s: Story) -> tuple[str, list[str]]:
    """News of a division inside an agency (某厅高新处): a field trip or a year-end meeting."""
    rng = s.rng
    dept = s.p.depts[0] if rng.random() < 0.7 else s.dept()
    unit = rng.choice(dept.units)
    unit_name = f"{dept.bare}{unit.bare}"
    chief = unit.staff[0][1]
    if rng.random() < 0.6:
        headline = f"{unit_name}赴{s.c.div.short}开展{rng.choice(TOPICS)}专题调研"
        cos = s.companies(rng.randint(2, 3))
        paras = [f"{s.when()}，{s.who(unit, 0, prefix=unit_name)}带队赴{s.c.div.name}，就高新技术企业认定和培育工作"
                 f"开展专题调研。",
                 f"调研组一行先后来到{s.orgs([s.park.body, *cos])}，实地了解企业研发投入、"
                 f"创新平台建设和政策享受情况。",
                 f"在随后召开的座谈会上，{s.who(s.c.bureaus[0], rng.randint(1, 2))}介绍，截至{s.day.year}年"
                 f"{max(1, s.day.month - 1)}月底，全市有效期内高新技术企业{rng.randint(100, 5000)}家，"
                 f"今年已有{rng.randint(20, 600)}家企业提交认定申请。",
                 f"{chief}就高新技术企业认定管理办法、研发费用归集等内容作了政策解读，并现场解答企业提问。"
                 f"他表示，{unit.bare}将{two_lines(rng)}。"]
        paras += extras(s, [lambda: company_profile(s, cos[0]), lambda: park_profile(s),
                            lambda: company_quote(s, cos[-1]), lambda: city_background(s),
                            lambda: park_platforms(s)], 3, 4)
        paras.append(f"{s.who(unit, 1, prefix=unit.bare)}，{s.who(s.park.committee, rng.randint(1, 2))}等参加调研。")
    else:
        year = s.day.year if s.day.month > 6 else s.day.year - 1  # the year the meeting looks back on
        s.day = rng.choice((date(year, 12, rng.randint(15, 31)), date(year + 1, 1, rng.randint(4, 20))))
        s.published = s.day + timedelta(days=rng.randint(0, 3))
        headline = f"{unit_name}召开{year}年度工作总结会"
        k = rng.randint(1, 2)
        paras = [f"{s.when()}，{s.org(dept)}{unit.bare}召开{year}年度工作总结会，"
                 f"{s.who(dept, k)}出席会议，{s.who(unit, 0, prefix=unit.bare)}主持会议。",
                 f"会上，{s.who(unit, 1, prefix=unit.bare)}通报了全年工作：共受理高新技术企业认定申请"
                 f"{rng.randint(200, 9000)}件，完成评审{rng.randint(100, 6000)}项，兑现奖补资金{amount(rng, 0.1, 8)}；"
                 f"指导{rng.randint(2, 12)}个高新区开展评价考核，其中{s.org(s.park.body)}综合排名{s.whole}第"
                 f"{cn_number(rng.randint(1, 5))}。",
                 talk(s, dept, k),
                 province_figures(s)]
        paras += extras(s, [lambda: outlook(s, dept), lambda: policy(s, dept),
                            lambda: plans(s, year + 1),
                            lambda: f"处室全体干部参加会议，{unit.bare}党支部同步开展了主题党日活动。"], 3, 4)
    return headline, paras


TEMPLATES: tuple[tuple[Callable[[Story], tuple[str, list[str]]], int], ...] = (
    (visit, 35), (symposium, 20), (opening, 15), (report, 15), (division_news, 15),
)


MAX_PARAGRAPHS = 10


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals, as editions are written (第十二届)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("十" if tens == 1 else digits[tens] + "十") + (digits[ones] if ones else "")


def article(rng: random.Random, world: World) -> tuple[str, str, str]:
    """(headline, date line, body) of one synthetic report."""
    prov = pick(rng, world.provinces)
    s = Story(rng, prov)
    template = rng.choices([t for t, _ in TEMPLATES], weights=[w for _, w in TEMPLATES])[0]
    headline, paras = template(s)
    while len(paras) > MAX_PARAGRAPHS:  # a long story runs some paragraphs together
        i = min(range(1, len(paras) - 2), key=lambda j: len(paras[j]) + len(paras[j + 1]))
        paras[i:i + 2] = [paras[i] + paras[i + 1]]
    if rng.random() < 0.1:
        paras[0] = f"本报讯（记者 {world.names.fresh()}）{paras[0]}"
    body = "\n".join(paras)
    if rng.random() < 0.2:  # some sites print ASCII punctuation
        body = body.translate(str.maketrans("，：；（）", ",:;()"))
    return headline, f"发布时间:{s.published.isoformat()}", body


# -- surface forms --

def noisy(text: str, rng: random.Random) -> str:
    """Pinyin in brackets after about a third of the Han characters, as some sites print it."""
    return "".join(ch + (f"({rng.choice(PINYIN)})" if "\u4e00" <= ch <= "\u9fff" and rng.random() < 0.35 else "")
                   for ch in text)


def render(i: int, rng: random.Random, world: World) -> tuple[str, bytes]:
    """File name and bytes of article ``i`` in one of the surface forms."""
    headline, dateline, body = article(rng, world)
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
    """Draw the world, then the articles in order: one random stream, so a seed gives the same bytes."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    world = World(rng)
    for i in range(args.count):
        name, data = render(i, rng, world)
        folder = args.out / f"{i // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    print(f"{args.count} articles in {args.out}")


if __name__ == "__main__":
    main()
