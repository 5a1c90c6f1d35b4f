"""The 进驻公告 of a team at a target, in Word with the 公文 layout: who inspects whom from when,
what the team receives, and how to reach it (its phone and mailbox) — from the round's records."""

from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH

from mofan.core import word
from mofan.inspection.choices import Stage
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
