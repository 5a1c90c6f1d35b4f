"""党委（党组）报告年度党建工作 (the first of the 三项制度): a 党委（党组） writes its year's report —
text, a file, or both — with the data appendix generated from the records (datasheet.py), and
sends it to the organisation directly above, which reads it and accepts it or returns it for
revision with its comments. Every step is audited; a report sent up is not changed until it is
returned."""

from django.db import transaction
from django.utils import timezone

from mofan.access.scoping import Action
from mofan.assessment.choices import LEADING_KINDS, ReportState
from mofan.assessment.models import AnnualReport
from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit, check_version, text_input
from mofan.orgs.models import PartyOrg

EDITABLE = (ReportState.DRAFT, ReportState.RETURNED)


def reporting_orgs(user):
    """The organisations whose annual report `user` may draft: a 党委、党组 or 机关党委 they
    administer that has an organisation above it to report to."""
    return PartyOrg.objects.restrict(user, Action.CHANGE).filter(
        kind__in=LEADING_KINDS, dissolved_on__isnull=True, depth__gt=1
    )


def has_reports(user) -> bool:
    """Whether the annual reports concern `user` at all (a branch secretary's do not)."""
    return (
        reporting_orgs(user).exists() or AnnualReport.objects.restrict(user, Action.VIEW).exists()
    )


def _locked(report: AnnualReport, version=None) -> AnnualReport:
    check_version(version)
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if version is not None and str(version) != str(locked.version):
        raise StaleEdit()
    return locked


def _bump(report: AnnualReport, fields: list[str]) -> None:
    report.version += 1
    report.save(update_fields=[*fields, "version"])


@transaction.atomic
def start_report(org: PartyOrg, *, actor, year) -> AnnualReport:
    today = timezone.localdate()
    if org.kind not in LEADING_KINDS:
        raise InvalidInput("年度党建工作报告由党委、党组或机关党委报告。")
    if not isinstance(year, int) or not today.year - 1 <= year <= today.year:
        raise InvalidInput(f"只能起草{today.year - 1}或{today.year}年度的报告。")
    above = PartyOrg.objects.get_parent(org)
    if above is None:
        raise InvalidInput("本组织没有上级组织，无需报送年度党建工作报告。")
    if AnnualReport.objects.filter(org=org, year=year).exists():
        raise InvalidInput(f"{org.name}{year}年度的报告已经起草。")
    report = AnnualReport.objects.create(
        org=org, to_org=above, year=year, title=f"{org.name}关于{year}年度党建工作情况的报告"
    )
    audit.record(actor, "assessment.annual.started", report,
                 payload={"org": org.pk, "year": year, "to": above.pk})  # fmt: skip
    return report


@transaction.atomic
def save_report(report: AnnualReport, *, actor, version, title, text, upload=None) -> AnnualReport:
    from mofan.core.uploads import keep_upload

    locked = _locked(report, version)
    if locked.state not in EDITABLE:
        raise InvalidInput("报告已报送，退回修改前不能再修改。")
    before = {"title": locked.title, "characters": len(locked.text), "file": locked.file_name}
    locked.title = text_input(title, "标题", required=True, longest=200)
    locked.text = text_input(text, "报告正文", required=False, longest=50000)
    if upload is not None:
        keep_upload(locked, upload)
    _bump(locked, ["title", "text", "file", "file_name"])
    audit.record(actor, "assessment.annual.saved", locked, changes={"before": before, "after": {
        "title": locked.title, "characters": len(locked.text), "file": locked.file_name,
    }})  # fmt: skip
    return locked


@transaction.atomic
def send_report(report: AnnualReport, *, actor, version) -> AnnualReport:
    locked = _locked(report, version)
    if locked.state not in EDITABLE:
        raise InvalidInput("报告已经报送。")
    if not locked.text.strip() and not locked.file:
        raise InvalidInput("请先填写报告正文或上传报告文件。")
    locked.state = ReportState.SUBMITTED
    locked.submitted_at, locked.submitted_by = timezone.now(), actor
    _bump(locked, ["state", "submitted_at", "submitted_by"])
    audit.record(actor, "assessment.annual.sent", locked, payload={"to": locked.to_org_id})
    from mofan.assessment import notices

    notices.annual_report_moved(locked)
    return locked


@transaction.atomic
def save_and_send(report: AnnualReport, *, actor, version, title, text, upload=None):
    """Keep what was typed and send it, as one step: refused, neither happens."""
    saved = save_report(report, actor=actor, version=version, title=title, text=text,
                        upload=upload)  # fmt: skip
    return send_report(saved, actor=actor, version=saved.version)


@transaction.atomic
def review_report(report: AnnualReport, *, actor, version, accept: bool, review) -> AnnualReport:
    """The organisation above accepts the report, or returns it for revision (with comments)."""
    locked = _locked(report, version)
    if locked.state != ReportState.SUBMITTED:
        raise InvalidInput("只能审阅已报送的报告。")
    comments = text_input(review, "审阅意见", required=False, longest=2000)
    if not accept and not comments:
        raise InvalidInput("退回修改须写明审阅意见。")
    locked.state = ReportState.ACCEPTED if accept else ReportState.RETURNED
    locked.review, locked.reviewed_at, locked.reviewed_by = comments, timezone.now(), actor
    _bump(locked, ["state", "review", "reviewed_at", "reviewed_by"])
    audit.record(actor, "assessment.annual.reviewed", locked,
                 payload={"accepted": accept, "review": comments})  # fmt: skip
    from mofan.assessment import notices

    notices.annual_report_moved(locked)
    return locked
