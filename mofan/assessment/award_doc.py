"""The 命名决定 of a published 创建 evaluation, in Word with 公文 layout (core/word.py): what was
evaluated and on what basis, and the approved list with each one's assessment total and grade —
from the records, never typed."""

from mofan.assessment.choices import AwardKind, Decision
from mofan.assessment.models import Award
from mofan.assessment.rules import figure
from mofan.core import word
from mofan.members.rules import cn


def docx(award: Award) -> str:
    """Writes the decision to a temporary file and returns its path (the caller streams and
    removes it)."""
    approved = list(
        award.candidates.filter(decision=Decision.APPROVED)
        .select_related("org", "target").order_by("position")
    )  # fmt: skip
    title = AwardKind(award.kind).label
    document = word.official_document()
    word.title(document, f"{award.org.name}关于命名{award.year}年度{title}的决定")
    word.paragraph(document, "各党组织：", indent=False)
    word.paragraph(
        document,
        f"按照{award.round.title}结果，{award.org.name}开展了{award.title}。经各党组织申报、"
        f"{award.org.name}评审，决定命名{'、'.join(c.org.name for c in approved)}"
        f"等{len(approved)}个党组织为{award.year}年度{title}。",
    )
    if award.basis:
        word.heading(document, "一、评选依据")
        word.paragraph(document, award.basis)
    word.heading(document, "二、命名名单" if award.basis else "一、命名名单")
    word.table(document, ["序号", "党组织", "考核总分", "考核等次", "评审意见"], [
        [str(n), c.org.name, figure(c.target.total), c.target.get_grade_display(), c.decision_note]
        for n, c in enumerate(approved, start=1)
    ])  # fmt: skip
    word.paragraph(
        document,
        "希望受到命名的党组织珍惜荣誉、发挥示范带动作用；各党组织要以先进为榜样，推动模范机关建设"
        "取得新成效。",
    )
    word.paragraph(document, award.org.name, indent=False, align=_right())
    word.paragraph(document, cn(award.published_at.date()), indent=False, align=_right())
    return word.save_temporary(document, "mofan-award-")


def _right():
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return WD_ALIGN_PARAGRAPH.RIGHT
