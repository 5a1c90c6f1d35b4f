"""Ledgers (台账), their sources, items with sub-items, milestones, progress reports and timeline."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from mofan.access.scoping import Action, seen_through
from mofan.ledger.choices import (
    AccountabilityKind,
    CandidateKind,
    CandidateStatus,
    DecompositionState,
    Evaluation,
    EventKind,
    ExtensionState,
    FindingState,
    FollowUpOutcome,
    HandoverState,
    ItemState,
    LedgerKind,
    ReportCycle,
    SourceKind,
)
from mofan.ledger.querysets import (
    AttachmentQuerySet,
    DecompositionQuerySet,
    HandoverQuerySet,
    ItemQuerySet,
    LedgerQuerySet,
)


class Ledger(models.Model):
    name = models.CharField("台账名称", max_length=200)
    kind = models.CharField(
        "类型", max_length=20, choices=LedgerKind.choices, default=LedgerKind.GENERAL
    )
    year = models.PositiveIntegerField("年度")
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="督办单位", on_delete=models.PROTECT, related_name="ledgers"
    )
    description = models.TextField("说明", blank=True)
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="督办人", related_name="supervised_ledgers"
    )
    archived = models.BooleanField("已归档", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The supervisor board's figures kept for this ledger (BoardCell, ledger/board.py): counted
    # at `figures_at` for the day `figures_on`; an item changed after `figures_since` (a little
    # before `figures_at`, for transactions that committed late) makes them due again.
    figures_at = models.DateTimeField(null=True, blank=True, editable=False)
    figures_since = models.DateTimeField(null=True, blank=True, editable=False)
    figures_on = models.DateField(null=True, blank=True, editable=False)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = "台账"
        verbose_name_plural = "台账"
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    """What the items of a ledger come from: a directive, a document, a meeting, inspection feedback."""

    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField("来源类型", max_length=20, choices=SourceKind.choices)
    title = models.CharField("标题", max_length=300)
    reference = models.CharField("文号", max_length=100, blank=True)
    issuer = models.CharField("发文/批示单位或领导", max_length=100, blank=True)
    issued_on = models.DateField("日期", null=True, blank=True)
    summary = models.TextField("内容摘要", blank=True)
    # The document's text as read when it was decomposed, paragraphs one a line; the items made
    # from it point into it (Item.source_start/source_end), so it is never edited afterwards.
    text = models.TextField("来源文本", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = seen_through("ledger", "ledger.Ledger", Action.VIEW, Action.SUPERVISE).as_manager()

    class Meta:
        verbose_name = "任务来源"
        verbose_name_plural = "任务来源"
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()


class Finding(models.Model):
    """A problem found by an inspection (巡视巡察), rectified through one or more measures (items)."""

    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="findings")
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    number = models.PositiveIntegerField("问题序号")
    description = models.TextField("问题")
    cause = models.TextField("原因分析", blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=FindingState.choices, default=FindingState.OPEN
    )
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = seen_through("ledger", "ledger.Ledger", Action.VIEW, Action.SUPERVISE).as_manager()

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题清单"
        ordering = ["ledger", "number"]
        constraints = [
            models.UniqueConstraint(fields=["ledger", "number"], name="finding_number_unique")
        ]

    def __str__(self) -> str:
        return f"问题{self.number}：{self.description[:30]}"


class FollowUpCheck(models.Model):
    """回头看: scheduled after a finding is closed out; may find the problem back and reopen it."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="follow_ups")
    scheduled_on = models.DateField("计划日期")
    done_on = models.DateField("检查日期", null=True, blank=True)
    outcome = models.CharField("结论", max_length=20, choices=FollowUpOutcome.choices, blank=True)
    notes = models.TextField("检查情况", blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["scheduled_on", "id"]

    def __str__(self) -> str:
        return f"回头看 {self.scheduled_on}"


class Tag(models.Model):
    name = models.CharField("标签", max_length=30, unique=True)

    def __str__(self) -> str:
        return self.name


_STATE_LABELS = dict(ItemState.choices)


class Item(models.Model):
    """One line of a ledger (督办事项). Sub-items hang below their parent and number 1.1, 1.2, …"""

    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="items")
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name="所属问题",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    number = models.CharField("序号", max_length=30)
    sort_key = models.CharField(max_length=60, db_index=True)  # zero-padded number, for ordering
    content = models.TextField("任务内容")
    lead_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name="牵头单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_items",
    )
    co_units = models.ManyToManyField(
        "orgs.Unit", verbose_name="配合单位", blank=True, related_name="co_items"
    )
    owners = models.ManyToManyField(
        "orgs.Person", verbose_name="责任人", blank=True, related_name="owned_items"
    )
    deadline = models.DateField("完成时限", null=True, blank=True)
    deadline_note = models.CharField("时限说明", max_length=100, blank=True)
    ongoing = models.BooleanField("长期坚持", default=False)
    report_cycle = models.CharField(
        "报送周期", max_length=20, choices=ReportCycle.choices, default=ReportCycle.MONTHLY
    )
    tags = models.ManyToManyField(Tag, verbose_name="标签", blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=ItemState.choices, default=ItemState.DRAFT, db_index=True
    )
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    evaluation = models.CharField(
        "落实效果评估", max_length=20, choices=Evaluation.choices, blank=True
    )
    evaluation_comment = models.TextField("评估意见", blank=True)
    # The last 退回 while the owner works on it again (cleared by the next 申请办结): the item
    # says it was returned, and why, until then. The timeline keeps every return.
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    # The deadline as first set, once an extension moved it (延期): the item shows both.
    original_deadline = models.DateField("原定时限", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True, default="", db_default="")
    version = models.PositiveIntegerField(default=1)
    # 层层分解: who split the parent among the units below and supervises this sub-item (the
    # lead unit's leader or 督办联络员); empty: the ledger's supervisors supervise it. The
    # ledger's supervisors see such sub-items read-only.
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分解督办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decomposed_items",
    )
    # Set once an item gets a sub-item: the roll-up of the lights looks below these items only.
    has_children = models.BooleanField(default=False, db_default=False, editable=False)
    # The earliest deadline among the open items below it — sub-items at any depth, the item a
    # lower organisation took over — kept by the services (refresh_rollups): the light compares
    # it like its own deadline, without looking below every item.
    rollup_deadline = models.DateField(null=True, blank=True, editable=False)
    # Whether an open item below it has missed a report (sub-items at any depth, the item a
    # lower organisation took over): kept by every report and change below (refresh_rollups) and
    # by the daily job once a reporting period ends (refresh_late_rollups); the light reads it
    # like its own missed report.
    rollup_late = models.BooleanField(default=False, db_default=False, editable=False)
    # The agenda item of a meeting the item came from (学习传达督促落实: the meeting's decision
    # becomes work), shown on both sides.
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name="来源议题",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ledger_items",
    )
    # Where in its source's text the item was decomposed from (paragraph number, character span).
    source_paragraph = models.PositiveIntegerField("来源段落", null=True, blank=True)
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["ledger", "sort_key"]
        indexes = [
            models.Index(fields=["ledger", "sort_key"], name="item_ledger_order"),
            models.Index(fields=["state", "deadline"], name="item_state_deadline"),
            models.Index(fields=["lead_unit", "state"], name="item_lead_state"),
            # Search hits, most recently changed first (dashboard/search.py); the ledgers changed
            # since their board figures were counted (ledger/board.py).
            models.Index(fields=["-updated_at", "-id"], name="item_recent"),
            models.Index(
                fields=["rollup_deadline"],
                condition=Q(rollup_deadline__isnull=False),
                name="item_rollup_deadline",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ledger", "number"], name="item_number_unique_in_ledger"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.content[:30]}"

    @property
    def is_returned(self) -> bool:
        return self.state == ItemState.IN_PROGRESS and self.returned_at is not None

    @property
    def state_label(self) -> str:
        """The state as people read it: a returned item says so, not just 办理中. (A dict of the
        labels, not get_state_display(), which builds one per call: an item table asks 50 times.)"""
        if self.is_returned:
            return "已退回，重新办理"
        return _STATE_LABELS.get(self.state, self.state)


class BoardCell(models.Model):
    """The supervisor board's figures of one ledger's items led by one unit (督办看板), kept by
    ledger/board.py so that the board of a thousand ledgers adds up rows instead of counting a
    million items. The definitions are those of the lights and of the 督查通报."""

    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="board_cells")
    lead_unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    open = models.PositiveIntegerField(default=0)  # 在办
    red = models.PositiveIntegerField(default=0)
    yellow = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)  # 未按期报送
    assigned = models.PositiveIntegerField(default=0)  # 交办 (not drafts)
    closed = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)
    due = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["ledger", "lead_unit"], name="board_cell_ledger")]

    def __str__(self) -> str:
        return f"{self.ledger_id}/{self.lead_unit_id}"


class Milestone(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=200)
    due_on = models.DateField("计划日期")
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ReportDate(models.Model):
    """For items reporting "on given dates": each date by which a progress report is due."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="report_dates")
    due_on = models.DateField("报送日期")

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["item", "due_on"], name="report_date_unique")
        ]

    def __str__(self) -> str:
        return self.due_on.isoformat()


class ProgressReport(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(
        "报送期", max_length=10, db_index=True
    )  # 2026-W48, 2026-11, 2026-Q4, or a date
    text = models.TextField("进展情况")
    percent = models.PositiveSmallIntegerField("完成进度（%）")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    # 补报: made for the period before the current one, after it had ended.
    made_up = models.BooleanField("补报", default=False, db_default=False)
    # The same submission twice (double click, network retry) is stored once: unique per
    # reporter and item, so nobody's key reaches another's report.
    submission_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["item", "period"], name="report_item_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="report_percent_at_most_100"
            ),
            models.UniqueConstraint(
                fields=["item", "reported_by", "submission_key"], name="report_submission_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.number} {self.period}"

    @property
    def period_label(self) -> str:
        from mofan.ledger.periods import label

        return label(self.period) + ("（补报）" if self.made_up else "")


class Handover(models.Model):
    """An item handed to a lower organisation's own ledger (a 机关 to its 直属单位): the lower
    organisation's 督办员 签收 it into one of their ledgers, where it lives on as an item linked
    to this one both ways, or 退回 it with a reason."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="handovers")
    to_unit = models.ForeignKey(
        "orgs.Unit", verbose_name="接收单位", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("交办说明", blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=HandoverState.choices, default=HandoverState.PENDING
    )
    reason = models.TextField("退回理由", blank=True)
    received = models.OneToOneField(
        Item,
        verbose_name="本单位台账中的事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="received_from",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = "交下级单位台账"
        verbose_name_plural = "交下级单位台账"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state__in=["pending", "accepted"]),
                name="handover_one_live_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.to_unit_id} {self.state}"


class Extension(models.Model):
    """An owner's request for a later deadline (延期申请) and the supervisor's decision. At most
    one is pending per item; approved, it moves the item's deadline, which the light and the
    assessment then use; the item keeps its first deadline beside it."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="extensions")
    current_deadline = models.DateField("申请时的时限")
    requested_deadline = models.DateField("申请延至")
    reason = models.TextField("延期理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        "状态", max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField("审批意见", blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(state="pending"),
                name="extension_one_pending_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.number} 延至 {self.requested_deadline}"


class ItemEvent(models.Model):
    """The item's timeline: every transition, edit, report, comment and urge, in order."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_state = models.CharField(max_length=20, choices=ItemState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=ItemState.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(blank=True)
    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


def attachment_path(instance, filename: str) -> str:
    # Stored under MEDIA_ROOT (var/media), outside the web root; served only through a scoped view.
    if instance.source_id:
        return f"ledger/{instance.source.ledger_id}/sources/{instance.source_id}/{filename}"
    return f"ledger/{instance.item.ledger_id}/{instance.item_id}/{filename}"


class Attachment(models.Model):
    """A file of an item (progress material, evidence) or of a source (the document itself)."""

    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField()
    is_evidence = models.BooleanField("佐证材料", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False, source__isnull=True)
                | Q(item__isnull=True, source__isnull=False),
                name="attachment_belongs_to_item_or_source",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Accountability(models.Model):
    """问责 attached to an item: seen only by the ledger's supervisors and discipline officers of the unit."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="accountabilities")
    kind = models.CharField("问责方式", max_length=30, choices=AccountabilityKind.choices)
    subject = models.CharField("问责对象", max_length=200)
    reason = models.TextField("问责事由")
    decided_on = models.DateField("决定日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "问责"
        verbose_name_plural = "问责"
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject}"


def decomposition_path(instance, filename: str) -> str:
    return f"ledger/{instance.ledger_id}/decompositions/{filename}"


class Decomposition(models.Model):
    """A document being decomposed into items of a ledger (任务分解): the text as read, its outline,
    and the candidate items a supervisor reviews before they become items in one step."""

    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="decompositions")
    # Set when the decomposition started from an existing source, or once it is committed.
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="decompositions"
    )
    state = models.CharField(
        "状态", max_length=20, choices=DecompositionState.choices, default=DecompositionState.OPEN
    )
    title = models.CharField("标题", max_length=300, blank=True)
    reference = models.CharField("文号", max_length=100, blank=True)
    issued_on = models.DateField("文件日期", null=True, blank=True)
    text = models.TextField("文本")
    outline = models.JSONField("提纲", default=list)
    file = models.FileField(upload_to=decomposition_path, max_length=300, blank=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    file_format = models.CharField(max_length=10)  # docx, pdf, txt, html, ofd, doc, pasted
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    # From here the daily clean-up counts the retention of the uploaded file.
    discarded_at = models.DateTimeField(null=True, blank=True)

    objects = DecompositionQuerySet.as_manager()

    class Meta:
        verbose_name = "任务分解"
        verbose_name_plural = "任务分解"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title or self.file_name or "粘贴的文本"

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n")


class Candidate(models.Model):
    """One item the parser found (or a person made by merging or splitting), under review."""

    decomposition = models.ForeignKey(
        Decomposition, on_delete=models.CASCADE, related_name="candidates"
    )
    position = models.PositiveIntegerField()  # order on the review screen
    path = models.CharField("位置", max_length=200, blank=True)
    text = models.TextField("任务内容")
    start = models.PositiveIntegerField()  # span in the decomposition's text
    end = models.PositiveIntegerField()
    paragraph = models.PositiveIntegerField()
    kind = models.CharField(
        "类别", max_length=10, choices=CandidateKind.choices, default=CandidateKind.TASK
    )
    status = models.CharField(
        "审核", max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PENDING
    )
    lead_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name="牵头单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    co_units = models.ManyToManyField(
        "orgs.Unit", verbose_name="配合单位", blank=True, related_name="+"
    )
    # What the document wrote, kept when no unit of the tree matched it.
    unit_text = models.CharField("文件所列单位", max_length=300, blank=True)
    owners_text = models.CharField("文件所列责任人", max_length=200, blank=True)
    # The people of the lead unit who hold the role the document names ("分管领导"), proposed for
    # the reviewer to confirm; `owners_said` is what they were matched by, cleared once a person
    # has chosen the owners.
    owners = models.ManyToManyField(
        "orgs.Person", verbose_name="责任人", blank=True, related_name="+"
    )
    owners_said = models.CharField("匹配依据", max_length=100, blank=True)
    deadline = models.DateField("完成时限", null=True, blank=True)
    deadline_text = models.CharField("时限原文", max_length=100, blank=True)
    ongoing = models.BooleanField("长期坚持", default=False)
    recurrence = models.CharField("周期", max_length=30, blank=True)
    confidence = models.FloatField("置信度", default=0.0)
    reason = models.CharField("依据", max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)
    item = models.OneToOneField(
        Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidate"
    )

    class Meta:
        ordering = ["decomposition", "position"]
        indexes = [models.Index(fields=["decomposition", "position"], name="candidate_order")]

    def __str__(self) -> str:
        return self.text[:30]

    kind_choices = CandidateKind.choices

    @property
    def review_actions(self) -> list[tuple[str, str, str]]:
        """The review buttons the candidate offers in its state: (status, label, button style)."""
        accept = (CandidateStatus.ACCEPTED, "接受", "btn-success")
        reject = (CandidateStatus.REJECTED, "排除", "btn-outline-danger")
        back = (CandidateStatus.PENDING, "撤回审核", "btn-outline-secondary")
        return {
            CandidateStatus.PENDING: [accept, reject],
            CandidateStatus.ACCEPTED: [reject, back],
            CandidateStatus.REJECTED: [accept, back],
        }[self.status]
