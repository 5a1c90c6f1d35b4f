"""Leaders' discipline talks (谈话提醒, 廉政谈话) and 述责述廉 reports, kept by the organisation's
discipline officers; without HTTP."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, text_input
from mofan.discipline.choices import TalkKind
from mofan.discipline.models import DutyReport, Talk
from mofan.discipline.services import is_officer


@transaction.atomic
def record_talk(org, *, actor, kind, person, talker, held_on, record) -> Talk:
    if not is_officer(actor, org.pk):
        raise InvalidInput("只有本组织的纪检干部可以登记谈话记录。")
    if kind not in TalkKind.values:
        raise InvalidInput("请选择谈话类型。")
    if person.pk == talker.pk:
        raise InvalidInput("谈话人和谈话对象不能是同一人。")
    if not isinstance(held_on, date) or held_on > timezone.localdate():
        raise InvalidInput("请填写谈话日期（不晚于今天）。")
    talk = Talk.objects.create(
        org=org, kind=kind, person=person, talker=talker, held_on=held_on, created_by=actor,
        record=text_input(record, "谈话内容", required=True, longest=20000, shortest=5),
    )  # fmt: skip
    audit.record(actor, "discipline.talk.recorded", talk, payload={"kind": kind})
    return talk


@transaction.atomic
def record_duty_report(org, *, actor, person, year, text) -> DutyReport:
    if not is_officer(actor, org.pk):
        raise InvalidInput("只有本组织的纪检干部可以登记述责述廉报告。")
    if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year:
        raise InvalidInput("述责述廉年度须为2000年至今年。")
    text = text_input(text, "述责述廉报告", required=True, longest=50000, shortest=20)
    try:
        with transaction.atomic():
            report = DutyReport.objects.create(org=org, person=person, year=year, text=text,
                                               created_by=actor)  # fmt: skip
    except IntegrityError as exc:
        raise InvalidInput(f"{person.name}{year}年度的述责述廉报告已经登记。") from exc
    audit.record(actor, "discipline.duty_report.recorded", report, payload={"year": year})
    return report
