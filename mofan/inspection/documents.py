"""The 进驻公告 of a team at a target, in Word with the 公文 layout: who inspects whom from when,
what the team receives, and how to reach it (its phone and mailbox) — from the round's records."""

from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH

from mofan.core import word
from mofan.inspection.choices import FindingCategory, Stage
from mofan.inspection.models import Target
from mofan.members.rules import cn


def announcement(target: Target) -> str:
    """The path of a temporary .docx (the caller streams and removes it)."""
    round_, team, org = target.round, target.team, target.org
    stationed = round_.stage_dates.get(Stage.STATIONED)
    start = cn(date.fromisoformat(stationed)) if stationed else "进驻之日"
    kind = round_.get_kind_display()
    document = word.official_document()
    word.title(document, f"{round_.org.name}{team.name}进驻{org.name}开展{kind}的公告")
    word.paragraph(
        document,
        f"根据{round_.org.name}{round_.year}年巡察工作安排，{round_.org.name}{team.name}自{start}起"
        f"对{org.name}开展{kind}。巡察期间，巡察组主要受理反映{org.name}领导班子及其成员、"
        "下一级党组织领导班子主要负责人和重要岗位领导干部问题的来信、来电、来访，重点是违反政治"
        "纪律、组织纪律、廉洁纪律、群众纪律、工作纪律和生活纪律等方面的举报和反映。",
    )
    word.paragraph(document, f"值班电话：{team.phone or '（另行公布）'}")
    word.paragraph(document, f"联系邮箱或信箱：{team.mailbox or '（另行公布）'}")
    word.paragraph(document, "反映问题请实事求是，署名反映或提供具体线索的，巡察组将严格保密。")
    word.paragraph(
        document, f"{round_.org.name}{team.name}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False
    )
    word.paragraph(document, start, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    return word.save_temporary(document, "announcement-")


def feedback(target: Target, mark: str) -> str:
    """The team's 反馈意见 to a target: the problems found, by category, and what the target is
    to do by when — from the findings and the rectification's days; watermarked with `mark`."""
    from mofan.inspection.rectify import due_dates

    round_, team, org = target.round, target.team, target.org
    fed_back = round_.stage_dates.get(Stage.FEEDBACK)
    fed_back_on = date.fromisoformat(fed_back) if fed_back else None
    findings = list(target.findings.order_by("number"))
    document = word.official_document()
    word.watermark(document, mark)
    word.title(document, f"{round_.org.name}{team.name}关于巡察{org.name}的反馈意见")
    stationed = round_.stage_dates.get(Stage.STATIONED)
    word.paragraph(
        document,
        f"根据{round_.org.name}统一部署，{team.name}"
        + (f"于{cn(date.fromisoformat(stationed))}起" if stationed else "")
        + f"对{org.name}开展了{round_.get_kind_display()}。现将巡察发现的主要问题反馈如下。",
    )
    numerals = "一二三四五六七八九十"
    by_category: dict[str, list] = {}
    for finding in findings:
        by_category.setdefault(finding.category, []).append(finding)
    order = [c for c in FindingCategory.values if c in by_category]
    for i, category in enumerate(order):
        label = FindingCategory(category).label
        word.heading(document, f"{numerals[i] if i < 10 else i + 1}、{label}方面的问题")
        for n, finding in enumerate(by_category[category], start=1):
            word.paragraph(document, f"{n}. {finding.title}。{finding.facts}")
    if fed_back_on is not None:
        plan_due, report_due = due_dates(fed_back_on)
        word.heading(
            document, f"{numerals[len(order)] if len(order) < 10 else len(order) + 1}、整改要求"
        )
        word.paragraph(
            document,
            f"{org.name}要切实扛起巡察整改主体责任，对反馈的{len(findings)}个问题逐项制定整改措施，"
            f"明确责任人和整改时限，于{cn(plan_due)}前将整改方案、于{cn(report_due)}前将整改情况报告"
            f"报送{round_.org.name}。",
        )
    word.paragraph(
        document, f"{round_.org.name}{team.name}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False
    )
    if fed_back_on is not None:
        word.paragraph(document, cn(fed_back_on), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    return word.save_temporary(document, "feedback-")


def disclosure(disclosure, mark: str) -> str:
    """A published (or draft) 整改进展公开 as a Word document, watermarked."""
    target = disclosure.target
    document = word.official_document()
    word.watermark(document, mark)
    state = "" if disclosure.state == "published" else "（待审核稿）"
    word.title(document, f"{target.org.name}关于{target.round.title}整改进展情况的通报{state}")
    for line in disclosure.text.splitlines():
        word.paragraph(document, line)
    return word.save_temporary(document, "disclosure-")
