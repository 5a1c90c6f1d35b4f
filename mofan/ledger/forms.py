import re

from django import forms
from django.utils import timezone

from mofan.access.scoping import Action
from mofan.core.forms import StyledFormMixin
from mofan.ledger import workdays
from mofan.ledger.choices import (
    AccountabilityKind,
    CandidateKind,
    Evaluation,
    FollowUpOutcome,
    LedgerKind,
    ReportCycle,
    SourceKind,
)
from mofan.ledger.models import Source
from mofan.orgs.pickers import MultiplePickerField, PickerField


class LedgerForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="台账名称", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=LedgerKind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    unit = PickerField(kind="units", label="督办单位")
    description = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].bind(user)


class SourceForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Source
        fields = ["kind", "title", "reference", "issuer", "issued_on", "summary"]
        widgets = {"issued_on": forms.DateInput, "summary": forms.Textarea(attrs={"rows": 3})}


class ItemForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    content = forms.CharField(label="任务内容", widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ModelChoiceField(
        label="任务来源", queryset=Source.objects.none(), required=False, empty_label="（无）"
    )
    lead_unit = PickerField(kind="units", label="牵头单位", required=False)
    co_units = MultiplePickerField(kind="units", label="配合单位", required=False)
    owners = MultiplePickerField(
        kind="people",
        label="责任人",
        required=False,
        help_text="本台账督办单位内有账号的人员，可输入姓名或拼音首字母查找。",
    )
    deadline = forms.DateField(label="完成时限", required=False, widget=forms.DateInput)
    workdays = forms.IntegerField(
        label="或：自起算日起若干个工作日",
        min_value=1,
        max_value=500,
        required=False,
        help_text="按国家法定节假日和调休安排计算；填写后忽略上面的日期。",
    )
    workdays_from = forms.DateField(label="起算日", required=False, widget=forms.DateInput)
    ongoing = forms.BooleanField(label="长期坚持（不设完成时限）", required=False)
    report_cycle = forms.ChoiceField(
        label="报送周期", choices=ReportCycle.choices, initial=ReportCycle.MONTHLY
    )
    report_dates = forms.CharField(
        label="报送日期",
        required=False,
        help_text="报送周期为“指定日期”时填写，多个以逗号分隔，如：2026-03-31，6月30日前，三季度末。",
    )
    tags = forms.CharField(label="标签", required=False, help_text="多个标签以逗号或空格分隔。")

    def __init__(self, *args, ledger, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.ledger, self.user = ledger, user
        self.fields["source"].queryset = ledger.sources.all()
        self.fields["lead_unit"].bind(user)
        self.fields["co_units"].bind(user)
        # Owners must be able to log in: people with an account, within the ledger's unit, among
        # those the supervisor may see.
        self.fields["owners"].bind(user, within=ledger.unit, account=True)

    def clean_report_dates(self):
        from mofan.docparse import deadlines

        parts = [
            p for p in self.cleaned_data["report_dates"].replace("，", ",").split(",") if p.strip()
        ]
        dates = []
        for part in parts:
            try:
                parsed = deadlines.parse(part, year=self.ledger.year)
            except ValueError as exc:
                raise forms.ValidationError(f"无法识别的报送日期“{part.strip()}”。") from exc
            if parsed.on is None:
                raise forms.ValidationError(f"“{part.strip()}”不是具体日期。")
            dates.append(parsed.on)
        self.cleaned_data["report_date_list"] = dates
        return self.cleaned_data["report_dates"]

    def clean(self):
        data = super().clean()
        if data.get("report_cycle") == ReportCycle.DATES and not data.get("report_date_list"):
            self.add_error("report_dates", "报送周期为“指定日期”时，须填写报送日期。")
        if data.get("workdays"):
            start = data.get("workdays_from") or timezone.localdate()
            data["deadline"] = workdays.add_workdays(start, data["workdays"])
            data["deadline_note"] = (
                f"自{start.year}年{start.month}月{start.day}日起{data['workdays']}个工作日"
            )
            if workdays.is_estimate(data["deadline"]):
                data["deadline_note"] += "（该年度节假日安排未发布，暂按周末计算）"
        else:
            data["deadline_note"] = ""
        if data.get("ongoing") and data.get("deadline"):
            self.add_error("ongoing", "“长期坚持”的事项不设完成时限，请清空完成时限或取消勾选。")
        return data

    def item_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "content": data["content"],
            "source": data["source"],
            "lead_unit": data.get("lead_unit"),
            "deadline": data.get("deadline"),
            "deadline_note": data.get("deadline_note", ""),
            "ongoing": data["ongoing"],
            "report_cycle": data["report_cycle"],
        }

    def tag_names(self) -> list[str]:
        return [
            t for t in self.cleaned_data["tags"].replace("，", ",").replace(",", " ").split() if t
        ]

    @staticmethod
    def initial_for(item) -> dict:
        return {
            "version": item.version,
            "content": item.content,
            "source": item.source_id,
            "lead_unit": item.lead_unit_id,
            "co_units": [u.pk for u in item.co_units.all()],
            "owners": list(item.owners.all()),
            "deadline": item.deadline,
            "ongoing": item.ongoing,
            "report_cycle": item.report_cycle,
            "tags": " ".join(t.name for t in item.tags.all()),
            "report_dates": "，".join(
                d.isoformat() for d in item.report_dates.values_list("due_on", flat=True)
            ),
        }


class TransitionForm(StyledFormMixin, forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evaluation = forms.ChoiceField(
        label="落实效果评估", choices=[("", "—"), *Evaluation.choices], required=False
    )
    evaluation_comment = forms.CharField(
        label="评估意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OwnersForm(StyledFormMixin, forms.Form):
    """Who handles an item handed to a unit: people with an account in the lead unit."""

    owners = MultiplePickerField(kind="people", label="责任人")

    def __init__(self, *args, item, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owners"].bind(user, within=item.lead_unit, account=True)


class SubItemForm(StyledFormMixin, forms.Form):
    """One row of a 层层分解: units and people of the subtree the user splits work in."""

    content = forms.CharField(
        label="任务内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    lead_unit = PickerField(kind="units", label="牵头单位")
    owners = MultiplePickerField(kind="people", label="责任人", required=False)
    deadline = forms.DateField(label="完成时限", widget=forms.DateInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].bind(user, action=Action.DECOMPOSE)
        self.fields["owners"].bind(user, action=Action.DECOMPOSE, account=True)


SubItemFormSet = forms.formset_factory(
    SubItemForm, extra=0, min_num=1, validate_min=True, max_num=50, validate_max=True
)


class HandoverForm(StyledFormMixin, forms.Form):
    """交下级单位台账: a unit below the ledger's own, whose 督办员 签收 it into their ledger."""

    to_unit = PickerField(kind="units", label="交给下级单位")
    note = forms.CharField(label="交办说明", max_length=500, required=False)

    def __init__(self, *args, item, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].bind(user, within=item.ledger.unit)


class PasteForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label="粘贴分工文字",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="如“一是由干部处于11月20日前……；二是人才处年底前……”，系统按句拆成子事项并识别单位和时限，请核对后再保存。",
    )
    document = forms.FileField(
        label="或上传分工文件",
        required=False,
        help_text="Word、PDF、WPS、OFD 或文本文件，如本司的落实方案；不超过 2 万字。",
    )

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("document"):
            raise forms.ValidationError("请粘贴分工文字，或上传分工文件。")
        return data


class ExtensionForm(StyledFormMixin, forms.Form):
    deadline = forms.DateField(label="申请延至", widget=forms.DateInput)
    reason = forms.CharField(
        label="延期理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtensionDecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "批准"), ("refuse", "不予批准")])
    comment = forms.CharField(label="审批意见", max_length=1000, required=False)


class ReportForm(StyledFormMixin, forms.Form):
    submission_key = forms.CharField(widget=forms.HiddenInput)
    # Offered only when the period just ended has no report (see periods.missed).
    make_up = forms.BooleanField(label="补报上一报送期", required=False)
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}))
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    file = forms.FileField(label="附件", required=False)

    def __init__(self, *args, missed_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if missed_label:
            self.fields["make_up"].label = f"补报上一报送期（{missed_label}，未按期报送）"
            self.fields[
                "make_up"
            ].help_text = "勾选后本次报送计入上一报送期并标注“补报”；不勾选则计入本期。"
        else:
            del self.fields["make_up"]


class CommentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=[("comment", "督办意见"), ("urge", "催办")], widget=forms.HiddenInput
    )
    text = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label="文件")
    is_evidence = forms.BooleanField(label="作为佐证材料", required=False)


class ItemFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label="关键词", required=False)
    unit = forms.CharField(label="单位编码", required=False)
    owner = forms.CharField(label="责任人", required=False)
    light = forms.ChoiceField(
        label="红黄绿灯",
        required=False,
        choices=[("", "全部"), ("red", "红灯"), ("yellow", "黄灯"), ("green", "绿灯")],
    )
    state = forms.ChoiceField(label="状态", required=False)
    deadline_after = forms.DateField(label="时限起", required=False, widget=forms.DateInput)
    deadline_before = forms.DateField(label="时限止", required=False, widget=forms.DateInput)
    source = forms.IntegerField(required=False, widget=forms.HiddenInput)
    tag = forms.CharField(label="标签", required=False)
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[("", "按序号"), ("deadline", "按时限"), ("-updated", "最近更新")],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from mofan.ledger.choices import ItemState

        self.fields["state"].choices = [("", "全部"), *ItemState.choices]
        if user is not None:
            # On the pages the unit is chosen by name; the API keeps taking its code.
            picker = PickerField(kind="units", label="单位", required=False).bind(user)
            picker.widget.attrs["class"] = "form-select"
            self.fields["unit"] = picker


class FindingForm(StyledFormMixin, forms.Form):
    description = forms.CharField(label="问题", widget=forms.Textarea(attrs={"rows": 3}))
    cause = forms.CharField(
        label="原因分析", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.ModelChoiceField(
        label="来源（巡视/巡察反馈）",
        queryset=Source.objects.none(),
        required=False,
        empty_label="（无）",
    )

    def __init__(self, *args, ledger, **kwargs):
        super().__init__(*args, **kwargs)
        self.ledger = ledger
        self.fields["source"].queryset = ledger.sources.all()


class FollowUpScheduleForm(StyledFormMixin, forms.Form):
    scheduled_on = forms.DateField(label="回头看计划日期", widget=forms.DateInput)


class FollowUpResultForm(StyledFormMixin, forms.Form):
    check_id = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label="检查日期", widget=forms.DateInput)
    outcome = forms.ChoiceField(label="结论", choices=FollowUpOutcome.choices)
    notes = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 2}))


class AccountabilityForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="问责方式", choices=AccountabilityKind.choices)
    subject = forms.CharField(label="问责对象", max_length=200)
    reason = forms.CharField(label="问责事由", widget=forms.Textarea(attrs={"rows": 2}))
    decided_on = forms.DateField(label="决定日期", widget=forms.DateInput)


class DecomposeForm(StyledFormMixin, forms.Form):
    """Upload a document or paste its text; the date anchors 年内, 5年内 and the like."""

    file = forms.FileField(
        label="文件",
        required=False,
        help_text="支持 .docx、.pdf（须有文字层）、.txt、.html、.ofd、.doc、.wps，不超过 20 MB。",
    )
    pasted = forms.CharField(
        label="或粘贴文件正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "把文件全文粘贴在这里"}),
    )
    issued_on = forms.DateField(
        label="文件日期",
        required=False,
        widget=forms.DateInput,
        help_text="不填则从文件中识别；用于换算“年内”“三季度末”“5年内”等时限。",
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("pasted") or "").strip():
            raise forms.ValidationError("请上传文件或粘贴文件正文。")
        if data.get("file") and (data.get("pasted") or "").strip():
            raise forms.ValidationError("上传文件和粘贴正文只能选一种。")
        return data


class CandidateForm(StyledFormMixin, forms.Form):
    """A person's correction of one candidate item; units are named as the unit tree has them."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label="任务内容", widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label="类别", choices=CandidateKind.choices)
    lead_unit = forms.CharField(
        label="牵头单位", required=False, widget=forms.TextInput(attrs={"list": "unit-options"})
    )
    co_units = forms.CharField(
        label="配合单位", required=False, help_text="多个单位以顿号或逗号分隔。"
    )
    deadline = forms.DateField(label="完成时限", required=False, widget=forms.DateInput)
    deadline_text = forms.CharField(label="时限说明", max_length=100, required=False)
    ongoing = forms.BooleanField(label="长期坚持", required=False)
    owners = MultiplePickerField(kind="people", label="责任人", required=False)

    def __init__(self, *args, tree, user, ledger, **kwargs):
        super().__init__(*args, **kwargs)
        self.tree = tree
        self.fields["owners"].bind(user, within=ledger.unit, account=True)

    def _unit(self, value: str):
        unit = self.tree.resolve(value)
        if unit is None:
            raise forms.ValidationError(f"单位“{value.strip()}”不在单位库中，请从列表中选择。")
        return unit

    def clean_lead_unit(self):
        value = self.cleaned_data["lead_unit"]
        self.cleaned_data["lead_unit_obj"] = self._unit(value) if value.strip() else None
        return value

    def clean_co_units(self):
        names = [n for n in re.split(r"[、，,；;]+", self.cleaned_data["co_units"]) if n.strip()]
        self.cleaned_data["co_unit_objs"] = [self._unit(name) for name in names]
        return self.cleaned_data["co_units"]

    def clean(self):
        data = super().clean()
        if data.get("ongoing") and data.get("deadline"):
            raise forms.ValidationError("“长期坚持”的事项不设完成时限，二者只能选一。")
        return data


class SplitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    parts = forms.CharField(widget=forms.Textarea)


class CommitForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="来源类型", choices=SourceKind.choices, initial=SourceKind.DOCUMENT
    )
    title = forms.CharField(label="来源标题", max_length=300)
    reference = forms.CharField(label="文号", max_length=100, required=False)
    issued_on = forms.DateField(label="日期", required=False, widget=forms.DateInput)
    levels = forms.TypedChoiceField(
        label="生成方式",
        coerce=int,
        initial=0,
        required=False,
        empty_value=0,
        choices=[
            (0, "逐条生成：每个条目一项督办事项"),
            (1, "按文件层级：一级标题（一、二、……）生成督办事项，其下条目为子事项"),
            (2, "按文件层级：一、二级标题逐级生成督办事项，其下条目为子事项"),
        ],
        widget=forms.RadioSelect,
    )
