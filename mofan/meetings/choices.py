"""Vocabularies of organisational life (组织生活), with the Chinese labels users see."""

from django.db import models


class MeetingKind(models.TextChoices):
    BRANCH_ASSEMBLY = "branch_assembly", "支部党员大会"
    BRANCH_COMMITTEE = "branch_committee", "支部委员会会议"
    GROUP_MEETING = "group_meeting", "党小组会"
    PARTY_LECTURE = "party_lecture", "党课"
    THEME_DAY = "theme_day", "主题党日"
    ORG_LIFE_MEETING = "org_life_meeting", "组织生活会"
    MEMBER_APPRAISAL = "member_appraisal", "民主评议党员"
    HEART_TO_HEART = "heart_to_heart", "谈心谈话"
    ORGAN_ASSEMBLY = "organ_assembly", "机关党员干部大会"
    DEMOCRATIC_LIFE_MEETING = "democratic_life_meeting", "民主生活会"
    COMMITTEE_MEETING = "committee_meeting", "党委（党组）会议"
    CENTRAL_GROUP_STUDY = "central_group_study", "理论学习中心组学习"


# Meetings of a leading group whose minutes only its members (and those granted) may read.
LEADING_GROUP_KINDS = frozenset(
    {
        MeetingKind.COMMITTEE_MEETING,
        MeetingKind.DEMOCRATIC_LIFE_MEETING,
        MeetingKind.CENTRAL_GROUP_STUDY,
    }
)
# Kinds whose time counts as concentrated study (党员教育管理工作条例 art. 20).
STUDY_KINDS = frozenset(
    {
        MeetingKind.BRANCH_ASSEMBLY,
        MeetingKind.GROUP_MEETING,
        MeetingKind.PARTY_LECTURE,
        MeetingKind.THEME_DAY,
        MeetingKind.CENTRAL_GROUP_STUDY,
        MeetingKind.ORGAN_ASSEMBLY,
    }
)


class Period(models.TextChoices):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    YEAR = "year", "每年"


class MeetingState(models.TextChoices):
    PLANNED = "planned", "已计划"
    HELD = "held", "已召开"
    CANCELLED = "cancelled", "已取消"


class AttendanceRole(models.TextChoices):
    MEMBER = "member", "应到党员"
    GUEST = "guest", "列席"
    OBSERVER = "observer", "巡听旁听"


class AttendanceStatus(models.TextChoices):
    EXPECTED = "expected", "未签到"
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class SignInMethod(models.TextChoices):
    QR = "qr", "扫码签到"
    ROSTER = "roster", "记录人勾选"


class Rating(models.TextChoices):
    GOOD = "good", "好"
    FAIRLY_GOOD = "fairly_good", "较好"
    AVERAGE = "average", "一般"
    POOR = "poor", "差"
