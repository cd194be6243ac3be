"""The narrative cannot contradict the data: every number a sentence claims is tied to the figure it talks about.

Seed 000 shows why: a 2024 report quoting "133 万元", "14 个地州市工会", "1,081 户" and "截止2023年5月17日" where the
data says 123 万元, four prefectures, 447 户 and another reference day. Every number with a unit (元, 万元, 亿元, 人,
户, 个, 家, %, 次, 分) and every date in every narrative section is read; the words before it (the figure's name or a
synonym: "使用资金", "资金使用率", "帮扶困难职工" …; a payment kind; a department budget line) and the fund the
paragraph is about (a program named earlier) tie it to a figure, and the claim is compared with that figure at the
precision the sentence uses ("777万元" is 777.00 万元; "95%以上" means at least 95 %). A claim that differs is a
finding naming the sentence; a number that names no figure is a finding of its own kind ("无法核对的数字": replace it
with a placeholder, or explain it). Numbers that placeholders put in are the data itself and are not read again;
numbers inside 《》 (titles of documents) are not claims.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluation.consistency import Finding

MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
COUNT_UNITS = ("人", "户", "个", "家", "次", "分")
NUMBER = re.compile(
    r"(?<![\d.])(?P<number>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<more>余|多)?\s*(?P<unit>亿元|万元|元|人|户|个|家|次|分|%|％)(?P<after>以上|以下|以内|左右)?"
)
DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日|"
                  r"(?<!\d)(?P<iy>(?:19|20)\d\d)-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?!\d)")  # fmt: skip
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
TITLE = re.compile(r"《[^》]*》")
SENTENCE_END = "。！？\n"
BEFORE_QUALIFIERS = {"超过": "gt", "不低于": "ge", "不少于": "ge", "不超过": "le", "不足": "lt", "不到": "lt",
                     "约": "about", "近": "about"}  # fmt: skip
UNVERIFIABLE = gettext_lazy(
    "文中“{sentence}”里的“{claim}”无法与任何数据项对应核对：请改用数据项（如 {{{{ 使用资金 }}}}），或说明其来源。"
)
# A claim is tied to the nearest figure name before it, and to those whose names end within this many characters of
# that one ("在册、健在且符合发放条件的劳模共计4,016人" names two figures; either may be meant).
SAME_PHRASE = 12


@dataclass(frozen=True)
class Figure:
    label: str
    keywords: tuple[str, ...]
    kind: str  # "money" (yuan), "percent", "count" (with `unit`) or "date"
    value: Decimal | datetime.date
    unit: str = ""
    program: str = ""  # the program code; "" for the department's own figures
    after: tuple[str, ...] = ()  # words that follow the unit instead ("14个地州市工会", "于…日制定《…方案》")


@dataclass(frozen=True)
class Claim:
    start: int
    end: int
    text: str
    kind: str
    value: Decimal | datetime.date
    unit: str = ""
    decimals: int = 0
    relation: str = "eq"  # eq, ge, gt, le, lt, about


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))


def _masked(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Positions not to read claims from: placeholder values and document titles."""
    hidden = set()
    for start, end in spans:
        hidden.update(range(start, end))
    for match in TITLE.finditer(text):
        hidden.update(range(match.start(), match.end()))
    return hidden


def claims_in(text: str, spans: list[tuple[int, int]] = ()) -> tuple[list[Claim], list[tuple[int, int, int]]]:
    """(claims of numbers and dates, bare years as (start, end, year)) that staff typed, in order."""
    hidden = _masked(text, list(spans))
    claims: list[Claim] = []
    in_dates: set[int] = set()
    for match in DATE.finditer(text):
        if match.start() in hidden:
            continue
        y, m, d = (match.group("y"), match.group("m"), match.group("d")) if match.group("y") else (
            match.group("iy"), match.group("im"), match.group("id"))  # fmt: skip
        try:
            day = datetime.date(int(y), int(m), int(d))
        except ValueError:
            continue
        claims.append(Claim(match.start(), match.end(), match.group(0), "date", day))
        in_dates.update(range(match.start(), match.end()))
    for match in NUMBER.finditer(text):
        if match.start() in hidden or match.start() in in_dates:
            continue
        number, unit = match.group("number"), match.group("unit")
        value = _decimal(number)
        decimals = len(number.split(".")[1]) if "." in number else 0
        relation = "eq"
        if match.group("more") or match.group("after") == "以上":
            relation = "ge"
        elif match.group("after") in ("以下", "以内"):
            relation = "le"
        elif match.group("after") == "左右":
            relation = "about"
        lead = text[max(0, match.start() - 3) : match.start()]
        for word, meaning in BEFORE_QUALIFIERS.items():
            if lead.endswith(word):
                relation = meaning
        if unit in MONEY_UNITS:
            claims.append(Claim(match.start(), match.end(), match.group(0), "money", value, unit, decimals, relation))
        elif unit in ("%", "％"):
            claims.append(Claim(match.start(), match.end(), match.group(0), "percent", value, "%", decimals, relation))
        else:
            claims.append(Claim(match.start(), match.end(), match.group(0), "count", value, unit, decimals, relation))
    years = [
        (match.start(), match.end(), int(match.group(1)))
        for match in YEAR.finditer(text)
        if match.start() not in hidden and match.start() not in in_dates
    ]
    return sorted(claims, key=lambda claim: claim.start), years


def _rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def agrees(claim: Claim, figure: Figure) -> bool:
    if claim.kind == "date":
        return claim.value == figure.value
    actual = Decimal(figure.value)
    if claim.kind == "money":
        actual = actual / MONEY_UNITS[claim.unit]
    stated = claim.value
    if claim.relation == "about":
        return abs(actual - stated) <= abs(actual) * Decimal("0.05")
    shown = _rounded(actual, claim.decimals)
    return {
        "eq": shown == stated,
        "ge": actual >= stated,
        "gt": actual > stated,
        "le": actual <= stated,
        "lt": actual < stated,
    }[claim.relation]


def _fits(claim: Claim, figure: Figure) -> bool:
    if claim.kind != figure.kind:
        return False
    return claim.kind != "count" or claim.unit == figure.unit


def shown(figure: Figure) -> str:
    if figure.kind == "date":
        return _("{y}年{m}月{d}日").format(y=figure.value.year, m=figure.value.month, d=figure.value.day)
    if figure.kind == "money":
        return _("{amount}万元").format(amount=f"{_rounded(Decimal(figure.value) / 10_000, 2):,.2f}")
    if figure.kind == "percent":
        return f"{_rounded(Decimal(figure.value), 2)}%"
    return f"{Decimal(figure.value):f}{figure.unit}"


@dataclass(frozen=True)
class ProgramWords:
    code: str
    words: tuple[str, ...]  # how the narrative names the fund ("劳模专项补助资金", "劳模", "困难职工" …)


def program_mentions(text: str, programs: list[ProgramWords], hidden: set[int]) -> list[tuple[int, str]]:
    """(position, program code) of every naming of a fund, outside document titles. A word inside a longer naming
    of another fund does not count: “帮扶” in 特殊困难帮扶金 (a model-worker payment kind) names the model-worker
    fund."""
    found = []
    for program in programs:
        for word in program.words:
            for match in re.finditer(re.escape(word), text):
                if match.start() not in hidden:
                    found.append((match.start(), match.end(), program.code))
    kept = [
        (start, code)
        for start, end, code in found
        if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _c in found)
    ]
    return sorted(kept)


def _program_at(text: str, mentions: list[tuple[int, str]], position: int, default: str) -> str:
    """The fund a claim is about: the last one its sentence names before it, else the first its sentence names after
    it (“截止…，我区已建档困难职工1455户”), else the last one named earlier in the section, else the report's own."""
    start, end = _bounds(text, position, SENTENCE_END)
    before = [code for at, code in mentions if start <= at < position]
    after = [code for at, code in mentions if position <= at < end]
    earlier = [code for at, code in mentions if at < start]
    return (before and before[-1]) or (after and after[0]) or (earlier and earlier[-1]) or default


def _bounds(text: str, position: int, stops: str) -> tuple[int, int]:
    start = max(text.rfind(stop, 0, position) for stop in stops) + 1
    ends = [i for i in (text.find(stop, position) for stop in stops) if i != -1]
    return start, min(ends) if ends else len(text)


def _candidates(text: str, claim: Claim, figures: list[Figure], program: str) -> list[tuple[int, int, Figure]]:
    """(distance, −length of the naming word, figure) for the figures named before the claim in its clause (；) or,
    failing that, its sentence. Of two names ending equally close, the longer is meant (实际到位项目资金, not
    项目资金)."""
    unit_end = claim.end
    found: list[tuple[int, int, Figure]] = []
    for stops in ("；;" + SENTENCE_END, SENTENCE_END):
        start, end = _bounds(text, claim.start, stops)
        before = text[start : claim.start]
        following = text[unit_end : min(end, unit_end + 12)]
        for figure in figures:
            if not _fits(claim, figure) or (figure.program and program and figure.program != program):
                continue
            nearest = None
            for keyword in figure.keywords:
                at = before.rfind(keyword)
                if at != -1:
                    naming = (len(before) - (at + len(keyword)), -len(keyword))
                    nearest = naming if nearest is None else min(nearest, naming)
            for keyword in figure.after:
                if following.startswith(keyword) or (keyword in following[:8] and claim.kind == "date"):
                    nearest = (0, -len(keyword))
            if nearest is not None:
                found.append((*nearest, figure))
        if found:
            return found
    return found


def _snippet(text: str, claim: Claim) -> str:
    start, end = _bounds(text, claim.start, SENTENCE_END)
    if end - start <= 60:
        return text[start:end].strip()
    return "…" + text[max(start, claim.start - 30) : min(end, claim.end + 12)].strip() + "…"


def check_claims(
    text: str,
    *,
    figures: list[Figure],
    programs: list[ProgramWords],
    default_program: str,
    fiscal_year: int,
    spans: list[tuple[int, int]] = (),
) -> list[Finding]:
    """Every typed claim of a section checked against `figures` (see the module's docstring)."""
    claims, years = claims_in(text, spans)
    mentions = program_mentions(text, programs, _masked(text, list(spans)))
    findings: list[Finding] = []
    for claim in claims:
        program = _program_at(text, mentions, claim.start, default_program)
        candidates = _candidates(text, claim, figures, program)
        sentence = _snippet(text, claim)
        subject = f"{claim.text}@{hashlib.sha256(sentence.encode()).hexdigest()[:12]}"
        if not candidates:
            code = "unverifiable_date" if claim.kind == "date" else "unverifiable_number"
            findings.append(
                Finding(
                    code,
                    UNVERIFIABLE.format(sentence=sentence, claim=claim.text),
                    subject,
                )
            )
            continue
        nearest = min(distance for distance, _length, _figure in candidates)
        close = [figure for distance, _length, figure in candidates if distance <= nearest + SAME_PHRASE]
        if any(agrees(claim, figure) for figure in close):
            continue
        meant = min(candidates, key=lambda candidate: candidate[:2])[2]
        findings.append(
            Finding(
                "figure_differs",
                _("文中“{sentence}”里的“{claim}”与数据不符：{label}应为 {actual}。").format(
                    sentence=sentence, claim=claim.text, label=meant.label, actual=shown(meant)
                ),
                subject,
            )
        )
    for year in sorted({year for _start, _end, year in years} - {fiscal_year}):
        findings.append(
            Finding(
                "other_year",
                _("文中提到 {year} 年，而本报告是 {own} 年度的。").format(year=year, own=fiscal_year),
                str(year),
            )
        )
    return findings
