"""The documents 考核评价 generates from the records, for the pages and the API alike: each made
on the day from what the system holds, its export audited, and sent as an attachment (the
temporary file is unlinked once open). The callers have checked who may have it."""

from django.utils import timezone

from mofan.assessment import datasheet
from mofan.assessment.models import AnnualReport, Award, CheckEntry, Debriefer
from mofan.audit import services as audit
from mofan.core import word
from mofan.orgs.models import PartyOrg


def debrief_sheet(user, debriefer: Debriefer):
    """The 述职数据表 of one who reports, in Word."""
    path = datasheet.debrief_sheet(debriefer, upto=timezone.localdate())
    audit.record(user, "assessment.debrief.sheet_exported", debriefer.debrief,
                 payload={"debriefer": debriefer.pk})  # fmt: skip
    return word.download(path, f"{debriefer.org.name}述职数据表.docx")


def annual_appendix(user, report: AnnualReport):
    """The data appendix of an annual report on 党建, in Word."""
    path = datasheet.annual_appendix(report.org, report.year, upto=timezone.localdate())
    audit.record(user, "assessment.annual.appendix_exported", report)
    return word.download(path, f"{report.org.name}{report.year}年度党建工作报告数据附件.docx")


def award_decision(user, award: Award):
    """The 命名决定 of a published 创建 evaluation, in Word."""
    from mofan.assessment import award_doc

    path = award_doc.docx(award)
    audit.record(user, "assessment.award.decision_exported", award)
    return word.download(path, f"关于命名{award.year}年度{award.get_kind_display()}的决定.docx")


def check_sheet(user, entry: CheckEntry, org: PartyOrg):
    """The data sheet an inspection asks of one organisation it is aimed at, in Excel."""
    from mofan.assessment import registry

    path, rows = registry.data_sheet(entry, org, timezone.localdate())
    audit.record(user, "assessment.check.sheet_exported", entry,
                 payload={"org": org.pk, "rows": rows})  # fmt: skip
    return word.download(path, f"{org.name}{entry.year}年数据表.xlsx")
