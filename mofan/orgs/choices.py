"""Fixed vocabularies of the organisation domain, with the Chinese labels users see."""

from django.db import models


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", "党委"
    LEADING_GROUP = "leading_group", "党组"
    ORGAN_COMMITTEE = "organ_committee", "机关党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    GROUP = "group", "党小组"


# A party record sits in a 党支部 or one of its 党小组: a committee, a general branch or a
# leading group keeps no members of its own, so no transfer is addressed to one.
MEMBER_ORG_KINDS = frozenset({OrgKind.BRANCH, OrgKind.GROUP})


class UnitKind(models.TextChoices):
    ORGAN = "organ", "单位"
    DEPARTMENT = "department", "部门"
    DIVISION = "division", "处室"


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class MembershipKind(models.TextChoices):
    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


class MembershipStatus(models.TextChoices):
    NORMAL = "normal", "正常"
    TRANSFERRED_OUT = "transferred_out", "已转出"
    LOST_CONTACT = "lost_contact", "失联"
    STOPPED = "stopped", "停止党籍"
    REMOVED = "removed", "已出党"


class PositionTitle(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    ORGANISATION_MEMBER = "organisation_member", "组织委员"
    PUBLICITY_MEMBER = "publicity_member", "宣传委员"
    DISCIPLINE_MEMBER = "discipline_member", "纪检委员"


class Education(models.TextChoices):
    DOCTORATE = "doctorate", "研究生（博士）"
    MASTER = "master", "研究生（硕士）"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY = "secondary", "中专"
    HIGH_SCHOOL = "high_school", "高中及以下"


class TransferDirection(models.TextChoices):
    IN = "in", "转入"
    OUT = "out", "转出"


class HistoryKind(models.TextChoices):
    FOUNDED = "founded", "成立"
    RENAMED = "renamed", "更名"
    MOVED = "moved", "调整隶属关系"
    MERGED = "merged", "合并"
    DISSOLVED = "dissolved", "撤销"
    UPDATED = "updated", "修改信息"


ETHNICITIES = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 "
    "哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 "
    "达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 "
    "俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()
ETHNICITY_CHOICES = [(name, name) for name in ETHNICITIES]

# Which kinds of organisation may sit under which (None: at the root).
ALLOWED_PARENT_KINDS: dict[str, set[str | None]] = {
    OrgKind.COMMITTEE: {None, OrgKind.COMMITTEE, OrgKind.LEADING_GROUP},
    OrgKind.LEADING_GROUP: {None, OrgKind.COMMITTEE},
    OrgKind.ORGAN_COMMITTEE: {None, OrgKind.COMMITTEE, OrgKind.LEADING_GROUP},
    OrgKind.GENERAL_BRANCH: {OrgKind.COMMITTEE, OrgKind.ORGAN_COMMITTEE},
    OrgKind.BRANCH: {OrgKind.COMMITTEE, OrgKind.ORGAN_COMMITTEE, OrgKind.GENERAL_BRANCH},
    OrgKind.GROUP: {OrgKind.BRANCH},
}

TERM_YEARS = {
    OrgKind.COMMITTEE: 5,
    OrgKind.ORGAN_COMMITTEE: 5,
    OrgKind.GENERAL_BRANCH: 3,
    OrgKind.BRANCH: 3,
}
