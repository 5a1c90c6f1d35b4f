"""The REST API: one router for every app's viewsets."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from mofan.assessment.api.views import (
    AnnualReportViewSet,
    AwardViewSet,
    BallotViewSet,
    CandidateViewSet,
    CheckCapViewSet,
    CheckEntryViewSet,
    DebriefReportViewSet,
    DebriefViewSet,
    DutyListViewSet,
    SchemeViewSet,
    ScoreViewSet,
    TargetViewSet,
)
from mofan.assessment.api.views import RoundViewSet as AssessmentRoundViewSet
from mofan.console.api import AuditEventViewSet
from mofan.discipline.api.views import CheckViewSet as DisciplineCheckViewSet
from mofan.discipline.api.views import DutyReportViewSet as DisciplineDutyReportViewSet
from mofan.discipline.api.views import LeadViewSet as DisciplineLeadViewSet
from mofan.discipline.api.views import PersonalReportViewSet as DisciplinePersonalReportViewSet
from mofan.discipline.api.views import ReportRoundViewSet as DisciplineReportRoundViewSet
from mofan.discipline.api.views import TalkViewSet as DisciplineTalkViewSet
from mofan.dues.api.views import BaseViewSet, PaymentViewSet, StatementView
from mofan.dues.api.views import RuleViewSet as DuesRuleViewSet
from mofan.inspection.api.views import FindingViewSet as InspectionFindingViewSet
from mofan.inspection.api.views import InterviewViewSet as InspectionInterviewViewSet
from mofan.inspection.api.views import LetterViewSet as InspectionLetterViewSet
from mofan.inspection.api.views import PlanViewSet as InspectionPlanViewSet
from mofan.inspection.api.views import RectificationViewSet as InspectionRectificationViewSet
from mofan.inspection.api.views import RoundViewSet as InspectionRoundViewSet
from mofan.inspection.api.views import TargetViewSet as InspectionTargetViewSet
from mofan.ledger.api.views import DecomposeView, HandoverViewSet, ItemViewSet, LedgerViewSet
from mofan.meetings.api.views import ComplianceView, MeetingViewSet, PlanViewSet, RuleViewSet
from mofan.members.api.views import StandingChangeViewSet, TransferViewSet
from mofan.orgs.api.views import MembershipViewSet, PartyOrgViewSet, PersonViewSet, UnitViewSet
from mofan.recruitment.api.views import ApplicantViewSet

# No `.json` suffixes: `?format=` does the same, and the suffix routes reached actions that take none.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("party-orgs", PartyOrgViewSet, basename="partyorg")
router.register("units", UnitViewSet, basename="unit")
router.register("people", PersonViewSet, basename="person")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("audit-events", AuditEventViewSet, basename="auditevent")
router.register("ledgers", LedgerViewSet, basename="ledger")
router.register("ledger-items", ItemViewSet, basename="ledgeritem")
router.register("handovers", HandoverViewSet, basename="handover")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("meeting-plans", PlanViewSet, basename="meetingplan")
router.register("meeting-rules", RuleViewSet, basename="meetingrule")
router.register("dues-payments", PaymentViewSet, basename="duespayment")
router.register("dues-bases", BaseViewSet, basename="duesbase")
router.register("dues-rules", DuesRuleViewSet, basename="duesrule")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("standing-changes", StandingChangeViewSet, basename="standingchange")
router.register("applicants", ApplicantViewSet, basename="applicant")
router.register("inspection-plans", InspectionPlanViewSet, basename="inspectionplan")
router.register("inspection-rounds", InspectionRoundViewSet, basename="inspectionround")
router.register("inspection-targets", InspectionTargetViewSet, basename="inspectiontarget")
router.register("inspection-findings", InspectionFindingViewSet, basename="inspectionfinding")
router.register("inspection-interviews", InspectionInterviewViewSet, basename="inspectioninterview")
router.register("inspection-letters", InspectionLetterViewSet, basename="inspectionletter")
router.register("discipline-leads", DisciplineLeadViewSet, basename="disciplinelead")
router.register("discipline-talks", DisciplineTalkViewSet, basename="disciplinetalk")
router.register(
    "discipline-duty-reports", DisciplineDutyReportViewSet, basename="disciplinedutyreport"
)
router.register(
    "discipline-report-rounds", DisciplineReportRoundViewSet, basename="disciplinereportround"
)
router.register("discipline-reports", DisciplinePersonalReportViewSet, basename="disciplinereport")
router.register("discipline-checks", DisciplineCheckViewSet, basename="disciplinecheck")
router.register(
    "inspection-rectifications", InspectionRectificationViewSet, basename="inspectionrectification"
)
router.register("assessment-schemes", SchemeViewSet, basename="assessmentscheme")
router.register("assessment-rounds", AssessmentRoundViewSet, basename="assessmentround")
router.register("assessment-targets", TargetViewSet, basename="assessmenttarget")
router.register("assessment-scores", ScoreViewSet, basename="assessmentscore")
router.register("duty-lists", DutyListViewSet, basename="dutylist")
router.register("debriefs", DebriefViewSet, basename="debrief")
router.register("debrief-reports", DebriefReportViewSet, basename="debriefreport")
router.register("annual-reports", AnnualReportViewSet, basename="annualreport")
router.register("awards", AwardViewSet, basename="award")
router.register("award-candidates", CandidateViewSet, basename="awardcandidate")
router.register("debrief-ballots", BallotViewSet, basename="debriefballot")
router.register("check-entries", CheckEntryViewSet, basename="checkentry")
router.register("check-caps", CheckCapViewSet, basename="checkcap")
urlpatterns = [
    *router.urls,
    path("decompose/", DecomposeView.as_view(), name="decompose"),
    path("meeting-compliance/", ComplianceView.as_view(), name="meeting-compliance"),
    path("dues-statement/", StatementView.as_view(), name="dues-statement"),
]
