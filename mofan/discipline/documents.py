"""A lead's 问题线索处置情况表 in Word, watermarked with the reader and the time: its facts, each
collective review with who took part, each step, the result and the follow-up visits."""

from django.db.models import Prefetch

from mofan.core import word
from mofan.discipline.models import Lead
from mofan.members.rules import cn
from mofan.orgs.models import Person


def reviews(lead: Lead):
    """A lead's collective reviews with their participants in the order the people were entered
    in the system: an M2M has no order of its own, and PostgreSQL returns the joined rows in
    whatever order its plan gives."""
    people = Prefetch("participants", queryset=Person.objects.order_by("pk"))
    return lead.reviews.prefetch_related(people)


def lead_record(lead: Lead, mark: str) -> str:
    """The path of a temporary .docx (the caller streams and removes it)."""
    document = word.official_document()
    word.watermark(document, mark)
    word.title(document, f"问题线索处置情况表（{lead.code}）")
    rows = [
        ["受理组织", lead.org.name], ["线索来源", lead.get_source_display()],
        ["受理日期", cn(lead.received_on)],
        ["被反映人", f"{lead.subject_name}{('，' + lead.subject_post) if lead.subject_post else ''}"],
        ["反映的主要问题", lead.allegation], ["当前状态", lead.get_state_display()],
    ]  # fmt: skip
    if lead.measure:
        rows.append(
            [
                "办理结果",
                f"{lead.get_form_display() or ''} {lead.get_measure_display()}：{lead.result}".strip(),
            ]
        )
    word.table(document, ["项目", "内容"], rows)
    word.heading(document, "集体排查")
    for review in reviews(lead):
        people = "、".join(p.name for p in review.participants.all())
        word.paragraph(document, f"{cn(review.held_on)}，参加人员：{people}。处置方式：{review.get_disposition_display()}"
                                 f"{('（' + review.get_talk_way_display() + '）') if review.talk_way else ''}。{review.reason}")  # fmt: skip
    word.heading(document, "办理过程")
    for step in lead.steps.all():
        word.paragraph(
            document,
            f"{cn(step.on)} {step.get_kind_display()}{('：' + step.text) if step.text else ''}",
        )
    for visit in lead.revisits.all():
        done = f"{cn(visit.done_on)}已回访：{visit.record}" if visit.done_on else "尚未回访"
        word.paragraph(document, f"回访（计划{cn(visit.due_on)}）：{done}")
    return word.save_temporary(document, "lead-")
