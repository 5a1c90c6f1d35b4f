from rest_framework import serializers

from mofan.access.scoping import Action
from mofan.access.views_base import ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField
from mofan.ledger.choices import Evaluation
from mofan.ledger.models import (
    Attachment,
    Extension,
    Handover,
    Item,
    ItemEvent,
    Ledger,
    ProgressReport,
)
from mofan.ledger.states import TRANSITIONS
from mofan.orgs.models import Person, Unit


class LedgerSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Ledger
        fields = ["id", "name", "kind", "year", "unit", "description", "archived"]


class ItemSerializer(serializers.ModelSerializer):
    lead_unit = ScopedSlugRelatedField(
        model=Unit, scope_action=Action.CHOOSE, slug_field="code", required=False, allow_null=True
    )
    co_units = ScopedSlugRelatedField(
        model=Unit,
        scope_action=Action.CHOOSE,
        slug_field="code",
        many=True,
        required=False,
    )
    owners = ScopedPrimaryKeyRelatedField(
        model=Person,
        scope_action=Action.VIEW,
        narrow=lambda people: people.filter(user__isnull=False),
        many=True,
        required=False,
    )
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    light = serializers.CharField(read_only=True)
    report_late = serializers.BooleanField(read_only=True)
    ledger = ScopedPrimaryKeyRelatedField(model=Ledger, scope_action=Action.SUPERVISE)
    # A parent the user does not supervise answers like a missing one.
    parent = ScopedPrimaryKeyRelatedField(
        model=Item, scope_action=Action.SUPERVISE, required=False, allow_null=True
    )
    version = serializers.IntegerField(required=False)
    evaluation = serializers.ChoiceField(
        choices=Evaluation.choices, allow_blank=True, read_only=True, help_text="销号前为空"
    )

    class Meta:
        model = Item
        fields = [
            "id",
            "ledger",
            "parent",
            "number",
            "source",
            "content",
            "lead_unit",
            "co_units",
            "owners",
            "deadline",
            "deadline_note",
            "ongoing",
            "report_cycle",
            "tags",
            "state",
            "assigned_on",
            "closed_at",
            "evaluation",
            "evaluation_comment",
            "returned_at",
            "return_reason",
            "original_deadline",
            "supervisor",
            "has_children",
            "light",
            "report_late",
            "version",
            "updated_at",
        ]
        read_only_fields = [
            "number",
            "state",
            "assigned_on",
            "closed_at",
            "evaluation",
            "evaluation_comment",
            "returned_at",
            "return_reason",
            "original_deadline",
            "supervisor",
            "has_children",
            "updated_at",
        ]

    def to_representation(self, item):
        """An item read by ItemQuerySet.for_api() is written out here field by field, from the
        lists it carries: DRF's generic path (a field object per value, 28 per item) cost some
        5 ms of CPU for a page of 50. The output is the generic path's, key for key (tested)."""
        if getattr(item, "api_co_units", None) is None:
            return super().to_representation(item)
        when = self.fields["closed_at"].to_representation  # the API's time zone and format
        day = _iso_day
        return {
            "id": item.pk,
            "ledger": item.ledger_id,
            "parent": item.parent_id,
            "number": item.number,
            "source": item.source_id,
            "content": item.content,
            "lead_unit": item.lead_unit.code if item.lead_unit_id else None,
            "co_units": item.api_co_units,
            "owners": item.api_owners,
            "deadline": day(item.deadline),
            "deadline_note": item.deadline_note,
            "ongoing": item.ongoing,
            "report_cycle": item.report_cycle,
            "tags": item.api_tags,
            "state": item.state,
            "assigned_on": day(item.assigned_on),
            "closed_at": when(item.closed_at),
            "evaluation": item.evaluation,
            "evaluation_comment": item.evaluation_comment,
            "returned_at": when(item.returned_at),
            "return_reason": item.return_reason,
            "original_deadline": day(item.original_deadline),
            "supervisor": item.supervisor_id,
            "has_children": item.has_children,
            "light": item.light,
            "report_late": bool(item.report_late),
            "version": item.version,
            "updated_at": when(item.updated_at),
        }


# The columns the API writes of a listed item, from its fields: not the lists read beside the
# item or the annotations, and of the lead unit its code. A list read so is only written out
# (an item read with some columns and then changed would save those alone).
LISTED_COLUMNS = tuple(
    "lead_unit__code" if name == "lead_unit" else name
    for name in ItemSerializer.Meta.fields
    if name not in {"co_units", "owners", "tags", "light", "report_late"}
)


def _iso_day(value):
    return value.isoformat() if value is not None else None


class ExtensionSerializer(serializers.ModelSerializer):
    requested_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = Extension
        fields = [
            "id", "current_deadline", "requested_deadline", "reason", "requested_by",
            "requested_at", "state", "decided_by", "decided_at", "decision_comment",
        ]  # fmt: skip
        read_only_fields = [
            "current_deadline", "requested_by", "requested_at", "state", "decided_by",
            "decided_at", "decision_comment",
        ]  # fmt: skip


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class OwnersSerializer(serializers.Serializer):
    owners = ScopedPrimaryKeyRelatedField(
        model=Person,
        scope_action=Action.VIEW,
        narrow=lambda people: people.filter(user__isnull=False),
        many=True,
        allow_empty=False,
        help_text="责任人（人员ID）：牵头单位（含下级）有账号的人员",
    )


class SubItemSerializer(serializers.Serializer):
    """One sub-item of a 层层分解: units by code and people by id, within the subtree of the
    units where the caller is the leader or the 督办联络员."""

    content = serializers.CharField(max_length=2000)
    lead_unit = ScopedSlugRelatedField(
        model=Unit, scope_action=Action.DECOMPOSE, slug_field="code", help_text="牵头单位编码"
    )
    co_units = ScopedSlugRelatedField(
        model=Unit, scope_action=Action.DECOMPOSE, slug_field="code", many=True, required=False
    )
    owners = ScopedPrimaryKeyRelatedField(
        model=Person,
        scope_action=Action.DECOMPOSE,
        narrow=lambda people: people.filter(user__isnull=False),
        many=True,
        required=False,
        help_text="责任人（人员ID）：本单位（含下级）有账号的人员",
    )
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class DecomposeItemSerializer(serializers.Serializer):
    parts = SubItemSerializer(many=True, allow_empty=False, max_length=50)
    assign = serializers.BooleanField(default=False, help_text="分解后立即交办")


class HandoverSerializer(serializers.ModelSerializer):
    to_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    item_number = serializers.CharField(source="item.number", read_only=True)
    item_content = serializers.CharField(source="item.content", read_only=True)
    ledger_name = serializers.CharField(source="item.ledger.name", read_only=True)

    class Meta:
        model = Handover
        fields = [
            "id", "item", "item_number", "item_content", "ledger_name", "to_unit", "note",
            "state", "reason", "received", "created_at", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


class HandOverSerializer(serializers.Serializer):
    to_unit = ScopedSlugRelatedField(
        model=Unit, scope_action=Action.CHOOSE, slug_field="code", help_text="下级单位编码"
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class TakeOverSerializer(serializers.Serializer):
    ledger = ScopedPrimaryKeyRelatedField(
        model=Ledger,
        scope_action=Action.SUPERVISE,
        help_text="纳入的台账（您督办的、属于接收单位的台账ID）",
    )


class ReturnHandoverSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(TRANSITIONS))
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    evaluation = serializers.ChoiceField(
        choices=Evaluation.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="销号（close_out）时必填：落实效果评估",
    )
    evaluation_comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReportSerializer(serializers.ModelSerializer):
    reported_by = serializers.StringRelatedField()
    make_up = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text="补报上一报送期（该期未报送时）"
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id", "period", "made_up", "make_up", "text", "percent", "submission_key",
            "reported_by", "reported_at",
        ]  # fmt: skip
        read_only_fields = ["period", "made_up", "reported_by", "reported_at"]
        extra_kwargs = {
            "submission_key": {"validators": []},
            "percent": {"min_value": 0, "max_value": 100},
        }


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = ItemEvent
        fields = ["id", "kind", "from_state", "to_state", "actor", "comment", "at"]


class AttachmentSerializer(serializers.ModelSerializer):
    file = serializers.FileField(write_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "is_evidence", "uploaded_at", "file"]
        read_only_fields = ["name", "size", "uploaded_at"]


class DecomposeRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        required=False, help_text="文件（.docx .pdf .txt .html .ofd .doc .wps）"
    )
    text = serializers.CharField(required=False, allow_blank=True, help_text="或：文件正文")
    date = serializers.DateField(
        required=False, help_text="文件日期；不填则从文件中识别。用于换算“年内”“5年内”等时限"
    )
    ledger = serializers.IntegerField(
        required=False, help_text="台账 ID（须为其督办人）：单位名称按单位库匹配为全称"
    )


class DecomposedHeadingSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="编号，如“一、”“（一）”")
    level = serializers.IntegerField()
    title = serializers.CharField()
    path = serializers.CharField(help_text="各级编号以“/”连接，如“二/（一）”")
    children = serializers.ListField(child=serializers.DictField(), help_text="下级标题，结构相同")


class DecomposedItemSerializer(serializers.Serializer):
    path = serializers.CharField()
    text = serializers.CharField(help_text="原文中的一段（不含编号和括注的单位、时限）")
    kind = serializers.ChoiceField(choices=["task", "rule"])
    lead_units = serializers.ListField(child=serializers.CharField())
    co_units = serializers.ListField(child=serializers.CharField())
    owners = serializers.ListField(child=serializers.CharField())
    deadline = serializers.DateField(allow_null=True)
    deadline_text = serializers.CharField(allow_null=True)
    recurrence = serializers.CharField(allow_null=True)
    confidence = serializers.FloatField()
    reason = serializers.CharField()


class DecompositionResultSerializer(serializers.Serializer):
    title = serializers.CharField(allow_null=True)
    date = serializers.DateField(allow_null=True)
    outline = DecomposedHeadingSerializer(many=True)
    items = DecomposedItemSerializer(many=True)
