"""Pages of one item: create, detail with its steps, edit, accountability, files."""

import functools
import io
import uuid
from datetime import date

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action
from mofan.access.views_base import ScopedMixin
from mofan.core.errors import InvalidInput, StaleEdit, UserFacingError
from mofan.core.files import stored_file_response
from mofan.ledger import cascade, periods, services, states, workdays
from mofan.ledger.choices import ItemState
from mofan.ledger.forms import (
    AccountabilityForm,
    AttachmentForm,
    CommentForm,
    ExtensionDecisionForm,
    ExtensionForm,
    HandoverForm,
    ItemForm,
    OwnersForm,
    PasteForm,
    ReportForm,
    SubItemFormSet,
    TransitionForm,
)
from mofan.ledger.models import Attachment, Item
from mofan.ledger.querysets import OPEN_STATES
from mofan.ledger.views.base import (
    LIGHT_RULE,
    ItemMixin,
    SupervisedLedgerMixin,
    comments_by_report,
    ledger_form_page,
)


class ItemCreateView(SupervisedLedgerMixin, View):
    def _render(self, request, ledger, form, parent, status=200):
        title = f"新增 {parent.number} 的子事项" if parent else "新增督办事项"
        return ledger_form_page(request, ledger, form, title, status=status)

    def _parent(self, request, ledger):
        parent_id = request.GET.get("parent")
        if not parent_id:
            return None
        parent = ledger.items.filter(pk=parent_id).first() if parent_id.isdecimal() else None
        if parent is None:
            raise Http404("未找到该记录。")
        return parent

    def _finding(self, request, ledger):
        finding_id = request.GET.get("finding")
        if not finding_id:
            return None
        finding = ledger.findings.filter(pk=finding_id).first() if finding_id.isdecimal() else None
        if finding is None:
            raise Http404("未找到该记录。")
        return finding

    def get(self, request, pk):
        ledger = self.get_scoped_object(pk)
        initial = {"source": request.GET.get("source"), "report_cycle": "monthly"}
        return self._render(
            request,
            ledger,
            ItemForm(ledger=ledger, user=request.user, initial=initial),
            self._parent(request, ledger),
        )

    def post(self, request, pk):
        ledger = self.get_scoped_object(pk)
        parent = self._parent(request, ledger)
        form = ItemForm(request.POST, ledger=ledger, user=request.user)
        if not form.is_valid():
            return self._render(request, ledger, form, parent, status=400)
        try:
            finding = self._finding(request, ledger)
            add = (
                functools.partial(services.add_measure, finding)
                if finding
                else functools.partial(services.add_item, ledger)
            )
            item = add(
                actor=request.user,
                parent=parent,
                co_units=form.cleaned_data["co_units"],
                owners=form.cleaned_data["owners"],
                tags=form.tag_names(),
                report_dates=form.cleaned_data.get("report_date_list", []),
                **form.item_fields(),
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, ledger, form, parent, status=error.status_code)
        messages.success(request, f"已新增督办事项 {item.number}。")
        return redirect("ledger:item", pk=item.pk)


def _has_upstream(item) -> bool:
    try:
        return item.received_from is not None
    except Item.received_from.RelatedObjectDoesNotExist:
        return False


def _light_from_children(item, light: str, children: list, today, own_late: bool) -> str:
    """The sub-items whose deadlines (or missed reports) make the parent red or yellow (rolled
    up), named; "" when the parent's own deadline or report says as much (or it is green)."""
    limits = {"red": today, "yellow": workdays.add_workdays(today, 3)}
    if light not in limits:
        return ""

    def beyond(day) -> bool:
        return day is not None and (day < today if light == "red" else day <= limits["yellow"])

    if beyond(item.deadline):
        return ""
    named = [
        c.number
        for c in children
        if c.state in OPEN_STATES and (beyond(c.deadline) or beyond(c.rollup_deadline))
    ]
    if named:
        return f"子事项 {'、'.join(named)} {'已超期' if light == 'red' else '临近时限'}"
    if light == "yellow" and not own_late:
        named = [
            c.number
            for c in children
            if c.state in OPEN_STATES and (c.report_late or c.rollup_late)
        ]
        if named:
            return f"子事项 {'、'.join(named)} 未按期报送进展"
    return ""


class ItemDetailView(ItemMixin, View):
    """One item: its facts, its whole timeline, reports and files, and the steps the user may take."""

    def _refused(self, request, item, what: str, **forms):
        """A form on the page that did not pass: the page again with the form's errors beside
        its fields, and a line at the top that says where to look (on a phone the form may be
        screens below)."""
        messages.error(request, f"“{what}”未提交：请按该栏中标红的提示修改后再提交。")
        context = self.context(request, item, **forms)
        return render(request, "ledger/item_detail.html", context, status=400)

    def get(self, request, pk):
        return render(request, "ledger/item_detail.html", self.context(request, self.get_item(pk)))

    def context(self, request, item, **extra) -> dict:
        user = request.user
        is_supervisor = services.is_supervisor(user, item)
        is_owner = services.is_owner(user, item)
        light = (
            Item.objects.restrict(user, Action.VIEW)
            .filter(pk=item.pk)
            .with_light(timezone.localdate())
            .values_list("light", "report_late")
            .get()
        )
        steps = states.available(item.state, is_supervisor=is_supervisor, is_owner=is_owner)
        can_report = is_owner and item.state in (
            ItemState.ASSIGNED,
            ItemState.ACCEPTED,
            ItemState.IN_PROGRESS,
        )
        today = timezone.localdate()
        pending = item.extensions.filter(state="pending").select_related("requested_by").first()
        missed = periods.missed(item, today) if is_owner else None
        attachments = list(item.attachments.select_related("uploaded_by"))
        left = workdays.workdays_between(today, item.deadline) if item.deadline else None
        handover = item.handovers.select_related("to_unit", "received__ledger").first()
        # 层层分解: the sub-items with their own (rolled-up) lights, whoever supervises them.
        children = list(
            Item.objects.restrict(user, Action.VIEW)
            .filter(parent=item)
            .with_light(today)
            .with_last_percent()  # how far each part is, by its owner's last report
            .select_related("lead_unit", "supervisor")
            .prefetch_related("owners")
            .order_by("sort_key")
        )
        return {
            "item": item,
            "light": light[0],
            "report_late": light[1],
            "light_rule": LIGHT_RULE,
            "workdays_left": left,
            "overdue_workdays": -left if left is not None and left < 0 else 0,
            "owners": item.owners.select_related("unit"),
            "co_units": item.co_units.all(),
            "children": children,
            # Why a parent shows a sub-item's light, in words: "子事项 1.1 已超期".
            "light_from_children": _light_from_children(
                item, light[0], children, today, own_late=light[1]
            ),
            "children_closed": sum(c.state == ItemState.CLOSED for c in children),
            # the parts' progress in one figure: a part closed out counts as done
            "children_percent": round(
                sum(100 if c.state == ItemState.CLOSED else c.last_percent or 0 for c in children)
                / len(children)
            )
            if children
            else None,
            "may_split": services.may_decompose(user, item),
            # 交下级单位台账: the live hand-over (or the last one), and the form while none is live.
            "handover": handover,
            "handover_form": extra.get("handover_form")
            or (
                HandoverForm(item=item, user=user)
                if is_supervisor
                and item.state in (ItemState.DRAFT, *services.OPEN_FOR_OWNERS)
                and (handover is None or handover.state == "returned")
                else None
            ),
            "upstream": getattr(item, "received_from", None) if _has_upstream(item) else None,
            "is_ledger_supervisor": is_supervisor and item.supervisor_id is None,
            "milestones": item.milestones.all(),
            "events": item.events.select_related("actor", "report"),
            "reports": item.reports.select_related("reported_by"),
            "report_comments": comments_by_report(item),
            "attachments": attachments,
            "evidence": [a for a in attachments if a.is_evidence]
            if ItemState.DONE.value in {s.target for s in steps}
            else [],
            "steps": steps,
            "transition_form": extra.get("transition_form") or TransitionForm(),
            "report_form": extra.get("report_form")
            or (
                ReportForm(
                    initial={"submission_key": uuid.uuid4().hex},
                    missed_label=periods.label(missed) if missed else "",
                )
                if can_report
                else None
            ),
            "current_period": periods.label(periods.period_for(item, today)),
            "comment_form": CommentForm(initial={"kind": "comment"}) if is_supervisor else None,
            "attachment_form": AttachmentForm()
            if (is_owner or is_supervisor) and item.state != ItemState.CLOSED
            else None,
            "is_supervisor": is_supervisor,
            "is_owner": is_owner,
            "pending_extension": pending,
            "extension_form": extra.get("extension_form")
            or (
                ExtensionForm(initial={"deadline": item.deadline})
                if is_owner
                and not pending
                and item.deadline
                and item.state in services.OPEN_FOR_OWNERS
                else None
            ),
            # The lead unit's 督办联络员 names (or changes) who handles it while it is open.
            "owners_form": extra.get("owners_form")
            or (
                OwnersForm(
                    item=item, user=user, initial={"owners": [p.pk for p in item.owners.all()]}
                )
                if item.state in services.OPEN_FOR_OWNERS
                and item.lead_unit_id
                and services.may_receive(user, item)
                else None
            ),
            "can_confirm_milestones": (is_owner or is_supervisor)
            and item.state != ItemState.CLOSED,
            "accountabilities": item.accountabilities.all()
            if services.may_see_accountability(user, item)
            else None,
            "accountability_form": AccountabilityForm() if is_supervisor else None,
            "breadcrumbs": [
                {"label": "督办台账", "url": reverse("ledger:list")},
                {"label": item.ledger.name, "url": reverse("ledger:detail", args=[item.ledger_id])},
                {"label": f"事项 {item.number}", "url": ""},
            ],
        }


class ItemActionView(ItemDetailView):
    """POST endpoints of the item page: a transition, a report, a comment or urge, an attachment.
    The page itself is ItemDetailView's: a GET here answers 405, not the page under another URL."""

    http_method_names = ["post", "options"]

    def post(self, request, pk, what):
        item = self.get_item(pk)
        try:
            if what == "transition":
                form = TransitionForm(request.POST)
                if not form.is_valid():
                    raise UserFacingError("提交的内容有误。")
                step = states.TRANSITIONS.get(form.cleaned_data["action"])
                services.transition(
                    item,
                    form.cleaned_data["action"],
                    actor=request.user,
                    comment=form.cleaned_data["comment"],
                    evaluation=form.cleaned_data["evaluation"],
                    evaluation_comment=form.cleaned_data["evaluation_comment"],
                )
                messages.success(request, f"已{step.label}。")
            elif what == "report":
                missed = periods.missed(item, timezone.localdate())
                form = ReportForm(
                    request.POST,
                    request.FILES,
                    missed_label=periods.label(missed) if missed else "",
                )
                if not form.is_valid():
                    return self._refused(request, item, "报送进展", report_form=form)
                if form.cleaned_data["file"]:  # a refused file refuses the report with it
                    services.check_attachment(form.cleaned_data["file"])
                report, created = services.submit_report(
                    item,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    percent=form.cleaned_data["percent"],
                    submission_key=form.cleaned_data["submission_key"],
                    make_up=form.cleaned_data.get("make_up", False),
                )
                if created and form.cleaned_data["file"]:
                    services.attach(
                        item, actor=request.user, upload=form.cleaned_data["file"], report=report
                    )
                messages.success(
                    request, "进展已报送。" if created else "该进展已报送过，未重复保存。"
                )
            elif what == "comment":
                form = CommentForm(request.POST)
                if not form.is_valid() or not services.is_supervisor(request.user, item):
                    raise services.NotAllowed("只有督办人可以填写督办意见或催办。")
                report_id = request.POST.get("report", "")
                report = (
                    item.reports.filter(pk=report_id).first() if report_id.isdecimal() else None
                )
                services.comment(
                    item,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    kind=form.cleaned_data["kind"],
                    report=report,
                )
                messages.success(
                    request, "已催办。" if form.cleaned_data["kind"] == "urge" else "意见已记录。"
                )
            elif what == "handover":
                form = HandoverForm(request.POST, item=item, user=request.user)
                if not form.is_valid():
                    return self._refused(request, item, "交下级单位台账", handover_form=form)
                services.hand_over(
                    item,
                    actor=request.user,
                    to_unit=form.cleaned_data["to_unit"],
                    note=form.cleaned_data["note"],
                )
                messages.success(
                    request, f"已交{form.cleaned_data['to_unit'].name}台账，待对方签收。"
                )
            elif what == "owners":
                form = OwnersForm(request.POST, item=item, user=request.user)
                if not form.is_valid():
                    return self._refused(request, item, "指定责任人", owners_form=form)
                services.name_owners(item, actor=request.user, owners=form.cleaned_data["owners"])
                messages.success(request, "已指定责任人，并已通知本人签收。")
            elif what == "extension":
                form = ExtensionForm(request.POST)
                if not form.is_valid():
                    return self._refused(request, item, "申请延期", extension_form=form)
                services.request_extension(
                    item,
                    actor=request.user,
                    deadline=form.cleaned_data["deadline"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, "延期申请已提交，请等待督办人审批。")
            elif what == "extension_decision":
                form = ExtensionDecisionForm(request.POST)
                if not form.is_valid():
                    raise UserFacingError("请选择批准或不予批准。")
                approve = form.cleaned_data["decision"] == "approve"
                services.decide_extension(
                    item, actor=request.user, approve=approve, comment=form.cleaned_data["comment"]
                )
                messages.success(request, "已批准延期。" if approve else "已不予批准延期。")
            elif what == "milestone":
                title, due_on = request.POST.get("title", ""), request.POST.get("due_on", "")
                try:
                    due = date.fromisoformat(due_on)
                except ValueError as exc:
                    raise UserFacingError("请填写有效的节点日期。") from exc
                services.add_milestone(item, actor=request.user, title=title, due_on=due)
                messages.success(request, "节点已设置。")
            elif what == "milestone_done":
                milestone = item.milestones.filter(pk=request.POST.get("milestone") or 0).first()
                if milestone is None:
                    raise Http404("未找到该记录。")
                services.complete_milestone(
                    milestone, actor=request.user, done_on=timezone.localdate()
                )
                messages.success(request, "节点已确认完成。")
            elif what == "attachment":
                form = AttachmentForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise UserFacingError("请选择要上传的文件。")
                if not (
                    services.is_owner(request.user, item)
                    or services.is_supervisor(request.user, item)
                ):
                    raise services.NotAllowed("只有责任人或督办人可以上传附件。")
                services.attach(
                    item,
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    is_evidence=form.cleaned_data["is_evidence"],
                )
                messages.success(request, "附件已上传。")
            else:
                raise Http404("未找到该记录。")
        except UserFacingError as error:
            messages.error(request, error.message)
            item.refresh_from_db()
            return render(
                request,
                "ledger/item_detail.html",
                self.context(request, item),
                status=error.status_code,
            )
        return redirect("ledger:item", pk=item.pk)


class ItemEditView(ItemMixin, View):
    def _render(self, request, item, form, status=200, note=""):
        # Breadcrumbs run through the item; cancel returns to it.
        return ledger_form_page(
            request,
            item.ledger,
            form,
            f"修改事项 {item.number}",
            status=status,
            note=note,
            cancel_url=reverse("ledger:item", args=[item.pk]),
        )

    def get(self, request, pk):
        item = self.get_item(pk, Action.SUPERVISE)
        return self._render(
            request,
            item,
            ItemForm(ledger=item.ledger, user=request.user, initial=ItemForm.initial_for(item)),
        )

    def post(self, request, pk):
        item = self.get_item(pk, Action.SUPERVISE)
        form = ItemForm(request.POST, ledger=item.ledger, user=request.user)
        if not form.is_valid():
            return self._render(request, item, form, status=400)
        try:
            services.update_item(
                item,
                actor=request.user,
                version=form.cleaned_data["version"] or 0,
                co_units=form.cleaned_data["co_units"],
                owners=form.cleaned_data["owners"],
                tags=form.tag_names(),
                report_dates=form.cleaned_data.get("report_date_list", []),
                **form.item_fields(),
            )
        except StaleEdit as error:
            item.refresh_from_db()
            fresh = ItemForm(
                ledger=item.ledger, user=request.user, initial=ItemForm.initial_for(item)
            )
            return self._render(
                request,
                item,
                fresh,
                status=409,
                note=f"{error.message}下方已是最新内容，您刚才的修改未保存。",
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, item, form, status=error.status_code)
        messages.success(request, "事项已保存。")
        return redirect("ledger:item", pk=item.pk)


class AttachmentView(ScopedMixin, View):
    """Files are served only through here, to those who may see their item (or source's ledger)."""

    model = Attachment

    def get(self, request, pk):
        attachment = Attachment.objects.restrict(request.user, Action.VIEW).filter(pk=pk).first()
        if attachment is None:
            raise Http404("未找到该记录。")
        return stored_file_response(request, attachment.file, filename=attachment.name)


class AccountabilityView(ItemMixin, View):
    def post(self, request, pk):
        item = self.get_item(pk)
        form = AccountabilityForm(request.POST)
        try:
            if not form.is_valid():
                raise UserFacingError("请完整填写问责方式、对象、事由和决定日期。")
            services.add_accountability(item, actor=request.user, **form.cleaned_data)
        except UserFacingError as error:
            messages.error(request, error.message)
            return redirect("ledger:item", pk=item.pk)
        messages.success(request, "问责已登记。")
        return redirect("ledger:item", pk=item.pk)


class ItemSplitView(ItemMixin, View):
    """层层分解: the lead unit's leader (or 督办联络员) splits the item among the units and people
    of their subtree — row by row, or from a pasted paragraph — and hands the parts out."""

    def get_item_to_split(self, pk) -> Item:
        item = self.get_item(pk, Action.DECOMPOSE)  # 404 for items one may not split
        if not services.may_decompose(self.request.user, item):
            raise Http404("未找到该记录。")
        return item

    def _render(
        self, request, item, formset, paste_form=None, status=200, note="", sheet_errors=()
    ):
        return render(
            request,
            "ledger/item_split.html",
            {
                "item": item,
                "formset": formset,
                "paste_form": paste_form or PasteForm(),
                "note": note,
                "sheet_errors": sheet_errors,
                # what was split off before: a second split adds to it
                "existing": Item.objects.restrict(request.user, Action.VIEW)
                .filter(parent=item)
                .select_related("lead_unit")
                .order_by("sort_key"),
                "breadcrumbs": [
                    {"label": "督办台账", "url": reverse("ledger:list")},
                    {"label": f"事项 {item.number}", "url": reverse("ledger:item", args=[item.pk])},
                    {"label": "分解给下级", "url": ""},
                ],
            },
            status=status,
        )

    def _formset(self, request, item, parts=None, data=None):
        initial = [
            {
                "content": part.content,
                "lead_unit": part.lead_unit.pk if part.lead_unit else None,
                "owners": [person.pk for person in part.owners],
                "deadline": part.deadline,
            }
            for part in parts or []
        ] or [{"deadline": item.deadline}]
        return SubItemFormSet(
            data, initial=None if data else initial, form_kwargs={"user": request.user}
        )

    def get(self, request, pk):
        item = self.get_item_to_split(pk)
        return self._render(request, item, self._formset(request, item))

    def _from_sheet(self, request, item):
        """The rows of an uploaded sheet as the parts to check, or every bad cell named."""
        upload = request.FILES.get("sheet")
        try:
            if upload is None:
                raise InvalidInput("请选择要读入的 Excel 文件。")
            read = cascade.parts_from_sheet(item, actor=request.user, upload=upload)
        except UserFacingError as error:
            messages.error(request, error.message)
            return self._render(request, item, self._formset(request, item), status=400)
        if read.errors:
            return self._render(
                request,
                item,
                self._formset(request, item),
                status=400,
                sheet_errors=read.errors,
            )
        note = f"从 Excel 读入 {len(read.parts)} 项子事项，请核对后保存。"
        if read.ignored:
            note += f"表中的“{'”“'.join(read.ignored)}”栏未读入：子事项只取任务内容、牵头单位、责任人和完成时限。"
        return self._render(request, item, self._formset(request, item, read.parts), note=note)

    def post(self, request, pk):
        item = self.get_item_to_split(pk)
        if "from_sheet" in request.POST:
            return self._from_sheet(request, item)
        if "paste" in request.POST:
            paste_form = PasteForm(request.POST, request.FILES)
            if not paste_form.is_valid():
                return self._render(
                    request, item, self._formset(request, item), paste_form, status=400
                )
            text, limit = paste_form.cleaned_data["text"], cascade.MAX_TEXT
            upload = paste_form.cleaned_data["document"]
            if upload is not None:
                try:
                    if upload.size > cascade.MAX_DOCUMENT_BYTES:
                        raise InvalidInput("文件超过 20 MB，请只上传与本事项有关的部分。")
                    text = cascade.document_text(upload.read(), upload.name)
                except UserFacingError as error:
                    paste_form.add_error("document", error.message)
                    return self._render(
                        request, item, self._formset(request, item), paste_form, status=400
                    )
                limit = cascade.MAX_DOCUMENT_TEXT
            parts = cascade.proposals(item, actor=request.user, text=text, limit=limit)
            if not parts:
                paste_form.add_error(
                    "document" if upload is not None else "text",
                    "没有从中识别出子事项，请逐项填写。",
                )
                return self._render(
                    request, item, self._formset(request, item), paste_form, status=400
                )
            return self._render(
                request,
                item,
                self._formset(request, item, parts),
                paste_form,
                note=f"从文字中识别出 {len(parts)} 项子事项，请核对单位、责任人和时限后保存。",
            )
        formset = self._formset(request, item, data=request.POST)
        if not formset.is_valid():
            return self._render(request, item, formset, status=400)
        parts = [
            services.SubItem(
                content=form.cleaned_data["content"],
                lead_unit=form.cleaned_data["lead_unit"],
                owners=list(form.cleaned_data["owners"]),
                deadline=form.cleaned_data["deadline"],
            )
            for form in formset
            if form.cleaned_data
        ]
        assign = request.POST.get("assign") == "1"
        try:
            children = services.decompose(item, actor=request.user, parts=parts, assign=assign)
        except UserFacingError as error:
            formset_errors = formset.non_form_errors()
            formset._non_form_errors = formset.error_class([*formset_errors, error.message])
            return self._render(request, item, formset, status=error.status_code)
        messages.success(
            request,
            f"已分解为 {len(children)} 项子事项（{'、'.join(c.number for c in children)}）"
            + ("并交办。" if assign else "，尚未交办。"),
        )
        return redirect("ledger:item", pk=item.pk)


class ItemSplitTemplateView(ItemSplitView):
    """The sheet to fill in for a 层层分解, with the units the user may split work among."""

    def get(self, request, pk):
        item = self.get_item_to_split(pk)
        return FileResponse(
            io.BytesIO(cascade.sheet_template(item, actor=request.user)),
            as_attachment=True,
            filename=f"事项{item.number}分解表.xlsx",
        )

    def post(self, request, pk):
        raise Http404("未找到该记录。")
