"""Party organisations, administrative units, people, party members and positions."""

from django.db import models
from django.db.models import Q
from treebeard.mp_tree import MP_Node

from mofan.access.crypto import EncryptedCharField
from mofan.core.masking import mask
from mofan.orgs import names
from mofan.orgs.choices import (
    ETHNICITY_CHOICES,
    Education,
    Gender,
    HistoryKind,
    MembershipKind,
    MembershipStatus,
    OrgKind,
    PositionTitle,
    TransferDirection,
    UnitKind,
)
from mofan.orgs.querysets import (
    MembershipQuerySet,
    PartyOrgQuerySet,
    PersonQuerySet,
    PositionQuerySet,
    TreeManager,
    UnitQuerySet,
)


class TreeEntity(MP_Node):
    """Common shape of both trees. Materialised paths make every subtree one indexed prefix query."""

    steplen = 4
    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("全称", max_length=200)
    short_name = models.CharField("简称", max_length=60, blank=True)
    order = models.PositiveIntegerField("排序", default=0)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Pinyin initials of the full name, the short name and any aliases ("bgt tb"), so that a
    # picker finds 办公厅 by "bgt" as a person is found by "zs".
    search_keys = models.CharField(max_length=400, editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_search_keys()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_keys"}
        super().save(*args, **kwargs)

    def fill_search_keys(self) -> None:
        self.search_keys = names.search_keys(
            self.name, self.short_name, getattr(self, "aliases", "")
        )

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None


class PartyOrg(TreeEntity):
    kind = models.CharField("类别", max_length=20, choices=OrgKind.choices)
    has_committee = models.BooleanField("设委员会", default=False)
    term_started_on = models.DateField("本届任期开始", null=True, blank=True)
    # The unit (单位, 部门) the organisation is set up in: the work its units lead in the ledgers
    # — directives carried out, findings rectified — counts for it in an assessment.
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="所在单位", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="party_orgs",
    )  # fmt: skip

    objects = TreeManager.from_queryset(PartyOrgQuerySet)()

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        indexes = [
            # LIKE 'prefix%' uses this index on PostgreSQL whatever the database collation.
            models.Index(
                fields=["path"], name="partyorg_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["kind"], name="partyorg_kind"),
        ]


class Unit(TreeEntity):
    kind = models.CharField(
        "类别", max_length=20, choices=UnitKind.choices, default=UnitKind.DEPARTMENT
    )
    # Other names documents use for the unit ("厅办", "党办"): matched when a document is decomposed.
    aliases = models.CharField(
        "别名",
        max_length=300,
        blank=True,
        help_text="文件中对本单位的其他写法，多个以顿号或逗号分隔。",
    )

    objects = TreeManager.from_queryset(UnitQuerySet)()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        indexes = [
            models.Index(
                fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]


class OrgHistory(models.Model):
    """One change in the life of an organisation or unit: founded, renamed, moved, merged, dissolved."""

    party_org = models.ForeignKey(
        PartyOrg, null=True, blank=True, on_delete=models.CASCADE, related_name="history"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="history"
    )
    kind = models.CharField("变更", max_length=20, choices=HistoryKind.choices)
    happened_on = models.DateField("日期")
    before = models.JSONField("变更前", default=dict, blank=True)
    after = models.JSONField("变更后", default=dict, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    actor_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_org__isnull=False, unit__isnull=True)
                | Q(party_org__isnull=True, unit__isnull=False),
                name="orghistory_exactly_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"

    FIELD_LABELS = {
        "name": "全称",
        "short_name": "简称",
        "aliases": "别名",
        "code": "编码",
        "order": "排序",
        "kind": "类别",
        "founded_on": "成立日期",
        "dissolved_on": "撤销日期",
        "has_committee": "设委员会",
        "term_started_on": "本届任期开始",
    }

    @property
    def summary(self) -> str:
        """What happened, in a sentence a person reads."""
        before, after = self.before or {}, self.after or {}
        if self.kind == HistoryKind.FOUNDED:
            return f"成立：{after.get('name', '')}"
        if self.kind == HistoryKind.MOVED:
            return f"隶属关系由“{before.get('parent_name') or '无'}”调整为“{after.get('parent_name', '')}”"
        if self.kind == HistoryKind.MERGED:
            if "merged_into" in after:
                return f"并入编码为 {after['merged_into']} 的组织"
            return f"编码为 {after.get('absorbed', '')} 的组织并入本组织，转入 {after.get('members', 0)} 人"
        if self.kind == HistoryKind.DISSOLVED:
            return "撤销"
        changes = [
            f"{self.FIELD_LABELS.get(k, k)}由“{before.get(k) if before.get(k) not in (None, '') else '空'}”改为“{v}”"
            for k, v in after.items()
        ]
        return "；".join(changes)


class Person(models.Model):
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=10, choices=ETHNICITY_CHOICES, default="汉族")
    birth_date = models.DateField("出生日期")
    id_number = EncryptedCharField("公民身份号码")
    id_number_hash = models.CharField(max_length=64, unique=True)
    phone = EncryptedCharField("手机号码", blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    education = models.CharField("学历", max_length=20, choices=Education.choices, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="people"
    )
    job_title = models.CharField("职务", max_length=60, blank=True)
    rank = models.CharField("职级", max_length=30, blank=True)
    # Up to six letters per character of a 50-character name.
    name_pinyin = models.CharField(max_length=300, editable=False)
    name_initials = models.CharField(max_length=50, editable=False)
    name_stroke_key = models.CharField(max_length=255, db_index=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()
    # The keyed hash kept beside each encrypted field, for exact search (see access/keys.py).
    KEYED_HASHES = {"id_number": "id_number_hash", "phone": "phone_hash"}

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        indexes = [
            models.Index(fields=["name"], name="person_name"),
            # Prefix search ("zs" finds 张三) through LIKE 'zs%', indexed whatever the collation.
            models.Index(
                fields=["name_pinyin"],
                name="person_pinyin_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["name_initials"],
                name="person_initials_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def fill_name_keys(self) -> None:
        self.name_pinyin = names.pinyin(self.name)
        self.name_initials = names.initials(self.name)
        self.name_stroke_key = names.stroke_key(self.name)

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask(self.phone, 3, 4)


class UnitChange(models.Model):
    """A person moved from one unit to another (工作单位变动), kept for the rules that look back:
    an inspection team member stands aside from a unit they left less than N years ago (回避)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="unit_changes")
    left = models.ForeignKey(
        Unit, verbose_name="原单位", on_delete=models.PROTECT, related_name="+"
    )
    joined = models.ForeignKey(
        Unit, verbose_name="新单位", on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField("变动日期")

    class Meta:
        verbose_name = "工作单位变动"
        verbose_name_plural = "工作单位变动"
        ordering = ["person", "on", "id"]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.left_id}→{self.joined_id}@{self.on}"


class Membership(models.Model):
    person = models.OneToOneField(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="membership"
    )
    org = models.ForeignKey(
        PartyOrg, verbose_name="所在党组织", on_delete=models.PROTECT, related_name="memberships"
    )
    kind = models.CharField("党员类别", max_length=20, choices=MembershipKind.choices)
    joined_on = models.DateField("入党日期")
    confirmed_on = models.DateField("转正日期", null=True, blank=True)
    status = models.CharField(
        "党籍状态", max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.NORMAL
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        indexes = [
            models.Index(fields=["org", "status", "kind"], name="membership_org_status"),
            models.Index(fields=["joined_on"], name="membership_joined"),
            # The few not in good standing (失联, 停止党籍, 已转出 …): found without a scan.
            models.Index(
                fields=["status"],
                condition=~models.Q(status=MembershipStatus.NORMAL),
                name="membership_not_normal",
            ),
        ]

    def __str__(self) -> str:
        return self.person.name


class MembershipTransfer(models.Model):
    """A transfer of a party record (组织关系转接) into or out of an organisation."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="transfers")
    direction = models.CharField("方向", max_length=3, choices=TransferDirection.choices)
    happened_on = models.DateField("日期")
    from_org = models.ForeignKey(
        PartyOrg, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        PartyOrg, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    other_org_name = models.CharField("外单位党组织", max_length=200, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.happened_on}"


class Position(models.Model):
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="positions"
    )
    org = models.ForeignKey(
        PartyOrg, verbose_name="党组织", on_delete=models.CASCADE, related_name="positions"
    )
    title = models.CharField("职务", max_length=30, choices=PositionTitle.choices)
    started_on = models.DateField("任职日期")
    ended_on = models.DateField("离任日期", null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = "党内职务"
        verbose_name_plural = "党内职务"
        ordering = ["org", "title", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="position_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.org.display_name}{self.get_title_display()} {self.person.name}"
