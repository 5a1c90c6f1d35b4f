"""The 考核结果通报 of a published round, in Word with 公文 layout (GB/T 9704, core/word.py):
generated from the round's records — what was assessed and how, the grades, each organisation's
total and rank, the indicators where most points were lost, and the lost points handed over for
rectification — never typed."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q
from docx.enum.text import WD_ALIGN_PARAGRAPH

from mofan.assessment.choices import BASE_KINDS, Grade, IndicatorKind
from mofan.assessment.models import Round, Score
from mofan.assessment.rules import figure
from mofan.core import word
from mofan.core.markup import quoted
from mofan.core.templatetags.mofan import cndate
from mofan.orgs.choices import OrgKind

HEADERS = ["排名", "党组织", "基本分", "扣分", "加分", "总分", "等次"]
WEAKEST = 5  # indicators named in 存在的主要问题
LISTED = 300  # rows in the table; a larger round's full list is the Excel export


def _lost_by_indicator(round_: Round) -> list[tuple[str, int, Decimal]]:
    """(indicator, organisations that lost points on it, points lost in all), worst first."""
    lost: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
    scores = Score.objects.filter(
        target__round=round_, indicator__kind__in=BASE_KINDS, points__isnull=False
    ).values_list("indicator__name", "indicator__points", "points")
    for name, most, points in scores.iterator():
        short = Decimal(most) - Decimal(points)
        if short > 0:
            lost[name][0] += 1
            lost[name][1] += short
    ranked = sorted(lost.items(), key=lambda kv: (-kv[1][1], kv[0]))
    return [(name, n, total) for name, (n, total) in ranked[:WEAKEST]]


def docx(round_: Round, *, today) -> str:
    """Writes the 通报 to a temporary file and returns its path (the caller streams and removes
    it)."""
    scheme = round_.scheme
    org = scheme.org
    targets = list(round_.targets.select_related("org").order_by("rank", "org__path")[:LISTED])
    count = round_.targets.count()
    grades = dict(round_.targets.values_list("grade").annotate(n=Count("id")).order_by())
    vetoed = round_.targets.filter(vetoed=True).count()
    kinds = "、".join(OrgKind(k).label for k in scheme.target_kinds)
    record_count = scheme.indicators.filter(kind=IndicatorKind.RECORD).count()
    handed = Score.objects.filter(target__round=round_).aggregate(
        marked=Count("id", filter=Q(to_rectify=True)),
        moved=Count("id", filter=Q(finding__isnull=False)),
    )

    document = word.official_document()
    word.title(document, f"{org.name}关于{round_.title}结果的通报")
    word.paragraph(document, f"各{kinds}：", indent=False)
    word.paragraph(
        document,
        f"按照《{scheme.year}年{scheme.name}》（总分{figure(scheme.total)}分），{org.name}"
        f"组织开展了{round_.title}，对{count}个{kinds}进行了考核。考核采取按系统记录自动计分和"
        f"考核组评审相结合的方式，{record_count}项指标由系统依据组织生活、第一议题、发展党员、"
        f"组织设置、谈心谈话等记录自动计分，其余指标由各单位自评、考核组评审计分。"
        f"现将考核结果通报如下。",
    )
    word.heading(document, "一、考核结果")
    shares = "，".join(
        f"{Grade(g).label}{grades.get(g, 0)}个" for g in Grade.values if grades.get(g)
    )
    text = f"{count}个{kinds}中，{shares}。"
    if vetoed:
        text += f"其中{vetoed}个因一票否决事项定为“差”等次。"
    best = [t.org.name for t in targets if t.grade == Grade.GOOD]
    if best:
        text += f"评为“好”等次的是：{'、'.join(best[:30])}" + ("等。" if len(best) > 30 else "。")
    word.paragraph(document, text)
    word.table(document, HEADERS, [
        [f"{t.rank}/{t.peers}" if t.rank else "", t.org.name, figure(t.base),
         figure(t.deducted) if t.deducted else "", figure(t.added) if t.added else "",
         figure(t.total), "差（一票否决）" if t.vetoed else (t.get_grade_display() or "")]
        for t in targets
    ])  # fmt: skip
    if count > len(targets):
        word.paragraph(document, f"（前{len(targets)}名，全部{count}个组织的结果见考核结果表。）")
    word.heading(document, "二、存在的主要问题")
    weakest = _lost_by_indicator(round_)
    if weakest:
        for number, (name, n, total) in enumerate(weakest, start=1):
            word.paragraph(
                document, f"{number}.{quoted(name)}：{n}个组织失分，合计失{figure(total)}分。"
            )
    else:
        word.paragraph(document, "各项指标均未失分。")
    word.heading(document, "三、下步要求")
    text = (
        "各单位要对照考核结果，认真查找差距和不足，深入分析原因，明确整改措施和完成时限，"
        "切实把考核结果转化为推动工作的实际成效。"
    )
    if handed["marked"]:
        text += (
            f"考核组确定需整改的失分项{handed['marked']}项，其中{handed['moved']}项已移交整改台账，"
            "请有关单位按台账要求落实整改、按期销号。"
        )
    word.paragraph(document, text)
    document.add_paragraph()
    word.paragraph(document, org.name, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    word.paragraph(document, cndate(today), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    return word.save_temporary(document, "mofan-bulletin-")
