"""Pages of the supervised-task ledger. Thin: parse input, read through the scoping layer, call a
service, render. An item a user may not see is a 404; a step they may not take is a 403."""

import functools
import uuid
from datetime import date

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mofan.access.roles import Role
from mofan.access.scoping import scope_for
from mofan.audit import services as audit
from mofan.core.errors import StaleEdit, UserFacingError
from mofan.core.views_base import ScopedMixin, import_errors_response, paginate
from mofan.ledger import exports, imports, periods, services, states, workdays
from mofan.ledger.choices import ItemState
from mofan.ledger.filters import filter_items
from mofan.ledger.forms import (
    AccountabilityForm,
    AttachmentForm,
    CommentForm,
    FindingForm,
    FollowUpResultForm,
    FollowUpScheduleForm,
    ItemFilterForm,
    ItemForm,
    LedgerForm,
    ReportForm,
    SourceForm,
    TransitionForm,
)
from mofan.ledger.models import Attachment, Finding, Item, Ledger, Source
from mofan.ledger.querysets import light_parts

LIGHT_RULE = "绿灯：按计划推进；黄灯：距完成时限不足 3 个工作日，或上一报送期未报送进展；红灯：已超过完成时限尚未销号。"


def _table(queryset):
    return queryset.select_related("lead_unit", "ledger").prefetch_related(
        Prefetch("owners", to_attr="owner_list"), Prefetch("co_units", to_attr="co_unit_list")
    )


class LedgerListView(ScopedMixin, View):
    model = Ledger

    def _render(self, request, form, status=200):
        ledgers = (
            self.scoped_queryset()
            .select_related("unit")
            .annotate(
                item_count=Count("items", distinct=True),
                open_count=Count(
                    "items",
                    filter=~Q(items__state__in=[ItemState.DRAFT, ItemState.CLOSED]),
                    distinct=True,
                ),
            )
        )
        context = {
            "ledgers": ledgers,
            "form": form,
            "can_create": scope_for(request.user).has_role(Role.SUPERVISOR),
            "breadcrumbs": [{"label": "督办台账", "url": ""}],
        }
        return render(request, "ledger/ledger_list.html", context, status=status)

    def get(self, request):
        return self._render(
            request, LedgerForm(initial={"year": timezone.localdate().year, "kind": "general"})
        )

    def post(self, request):
        if not scope_for(request.user).has_role(Role.SUPERVISOR):
            messages.error(request, "只有督办员可以新建台账。")
            return self._render(request, LedgerForm(), status=403)
        form = LedgerForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = form.cleaned_data
        try:
            ledger = services.create_ledger(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                year=data["year"],
                unit=data["unit"],
                description=data["description"],
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, form, status=error.status_code)
        messages.success(request, f"已新建台账“{ledger.name}”。")
        return redirect("ledger:detail", pk=ledger.pk)


class LedgerDetailView(ScopedMixin, View):
    """The item table of one ledger: the user's visible items, filtered, sorted, paginated."""

    model = Ledger

    def get(self, request, pk):
        ledger = self.get_scoped_object(pk, queryset=self.scoped_queryset().select_related("unit"))
        form = ItemFilterForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        items = (
            Item.objects.restrict(request.user)
            .filter(ledger=ledger)
            .with_light(timezone.localdate())
        )
        page = paginate(request, _table(filter_items(items, data)))
        context = {
            "ledger": ledger,
            "filter": form,
            "page": page,
            "sources": ledger.sources.all(),
            "findings": ledger.findings.annotate(
                measure_count=Count("measures"),
                closed_count=Count("measures", filter=Q(measures__state=ItemState.CLOSED)),
            )
            if ledger.kind == "rectification"
            else None,
            "is_supervisor": services.is_ledger_supervisor(request.user, ledger),
            "light_rule": LIGHT_RULE,
            "breadcrumbs": [
                {"label": "督办台账", "url": reverse("ledger:list")},
                {"label": ledger.name, "url": ""},
            ],
        }
        return render(request, "ledger/ledger_detail.html", context)


class LedgerExportView(ScopedMixin, View):
    """The item table as filtered on the page, as an Excel 台账 or a Word table."""

    model = Ledger

    def get(self, request, pk, fmt):
        ledger = self.get_scoped_object(pk)
        form = ItemFilterForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        items = filter_items(
            Item.objects.restrict(request.user)
            .filter(ledger=ledger)
            .with_light(timezone.localdate()),
            data,
        )
        if fmt == "xlsx":
            path, count = exports.xlsx(ledger.name, items)
            filename = f"{ledger.name}.xlsx"
        elif fmt == "docx":
            count = items.count()
            if count > exports.WORD_ROW_LIMIT:
                messages.error(
                    request,
                    f"Word 格式一次最多导出 {exports.WORD_ROW_LIMIT} 项，请缩小查询范围或导出 Excel。",
                )
                return redirect(
                    reverse("ledger:detail", args=[ledger.pk]) + "?" + request.GET.urlencode()
                )
            path = exports.docx(ledger.name, items)
            filename = f"{ledger.name}.docx"
        else:
            raise Http404("未找到该记录。")
        audit.record(
            request.user,
            "ledger.ledger.exported",
            ledger,
            payload={"format": fmt, "rows": count, "filters": request.GET.dict()},
        )
        return FileResponse(open(path, "rb"), as_attachment=True, filename=filename)  # noqa: SIM115


class SupervisedLedgerMixin(ScopedMixin):
    """Views that change a ledger's contents: only its supervisors get in (others: 404)."""

    model = Ledger
    action = "supervise"


class SourceCreateView(SupervisedLedgerMixin, View):
    def _render(self, request, ledger, form, status=200):
        crumbs = [
            {"label": "督办台账", "url": reverse("ledger:list")},
            {"label": ledger.name, "url": reverse("ledger:detail", args=[ledger.pk])},
            {"label": "新增任务来源", "url": ""},
        ]
        return render(
            request,
            "ledger/form.html",
            {
                "form": form,
                "title": "新增任务来源",
                "breadcrumbs": crumbs,
                "cancel_url": reverse("ledger:detail", args=[ledger.pk]),
            },
            status=status,
        )

    def get(self, request, pk):
        return self._render(request, self.get_scoped_object(pk), SourceForm())

    def post(self, request, pk):
        ledger = self.get_scoped_object(pk)
        form = SourceForm(request.POST)
        if not form.is_valid():
            return self._render(request, ledger, form, status=400)
        source = services.add_source(ledger, actor=request.user, **form.cleaned_data)
        messages.success(
            request, f"已新增任务来源“{source.title}”，可上传来源材料并分解为督办事项。"
        )
        return redirect("ledger:source", pk=source.pk)


class ItemCreateView(SupervisedLedgerMixin, View):
    def _render(self, request, ledger, form, parent, status=200):
        crumbs = [
            {"label": "督办台账", "url": reverse("ledger:list")},
            {"label": ledger.name, "url": reverse("ledger:detail", args=[ledger.pk])},
            {"label": "新增督办事项", "url": ""},
        ]
        title = f"新增 {parent.number} 的子事项" if parent else "新增督办事项"
        return render(
            request,
            "ledger/form.html",
            {
                "form": form,
                "title": title,
                "breadcrumbs": crumbs,
                "cancel_url": reverse("ledger:detail", args=[ledger.pk]),
            },
            status=status,
        )

    def _parent(self, request, ledger):
        parent_id = request.GET.get("parent")
        if not parent_id:
            return None
        parent = ledger.items.filter(pk=parent_id).first() if parent_id.isdigit() else None
        if parent is None:
            raise Http404("未找到该记录。")
        return parent

    def _finding(self, request, ledger):
        finding_id = request.GET.get("finding")
        if not finding_id:
            return None
        finding = ledger.findings.filter(pk=finding_id).first() if finding_id.isdigit() else None
        if finding is None:
            raise Http404("未找到该记录。")
        return finding

    def get(self, request, pk):
        ledger = self.get_scoped_object(pk)
        initial = {"source": request.GET.get("source"), "report_cycle": "monthly"}
        return self._render(
            request, ledger, ItemForm(ledger=ledger, initial=initial), self._parent(request, ledger)
        )

    def post(self, request, pk):
        ledger = self.get_scoped_object(pk)
        parent = self._parent(request, ledger)
        form = ItemForm(request.POST, ledger=ledger)
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


class ItemMixin(ScopedMixin):
    model = Item

    def get_item(self, pk, action: str = "view") -> Item:
        return self.get_scoped_object(
            pk,
            queryset=Item.objects.restrict(self.request.user, action).select_related(
                "ledger", "lead_unit", "source"
            ),
        )


class ItemDetailView(ItemMixin, View):
    """One item: its facts, its whole timeline, reports and files, and the steps the user may take."""

    def get(self, request, pk):
        return render(request, "ledger/item_detail.html", self.context(request, self.get_item(pk)))

    def context(self, request, item, **extra) -> dict:
        user = request.user
        is_supervisor = services.is_supervisor(user, item)
        is_owner = services.is_owner(user, item)
        light = (
            Item.objects.filter(pk=item.pk)
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
        left = workdays.workdays_between(today, item.deadline) if item.deadline else None
        return {
            "item": item,
            "light": light[0],
            "report_late": light[1],
            "light_rule": LIGHT_RULE,
            "workdays_left": left,
            "overdue_workdays": -left if left is not None and left < 0 else 0,
            "owners": item.owners.select_related("unit"),
            "co_units": item.co_units.all(),
            "children": item.children.all(),
            "milestones": item.milestones.all(),
            "events": item.events.select_related("actor", "report"),
            "reports": item.reports.select_related("reported_by"),
            "report_comments": _comments_by_report(item),
            "attachments": item.attachments.select_related("uploaded_by"),
            "steps": steps,
            "transition_form": extra.get("transition_form") or TransitionForm(),
            "report_form": extra.get("report_form")
            or (ReportForm(initial={"submission_key": uuid.uuid4().hex}) if can_report else None),
            "current_period": periods.label(periods.period_for(item, today)),
            "comment_form": CommentForm(initial={"kind": "comment"}) if is_supervisor else None,
            "attachment_form": AttachmentForm()
            if (is_owner or is_supervisor) and item.state != ItemState.CLOSED
            else None,
            "is_supervisor": is_supervisor,
            "is_owner": is_owner,
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


def _comments_by_report(item) -> dict[int, list]:
    comments: dict[int, list] = {}
    for event in item.events.filter(kind="comment", report__isnull=False).select_related("actor"):
        comments.setdefault(event.report_id, []).append(event)
    return comments


class ItemActionView(ItemDetailView):
    """POST endpoints of the item page: a transition, a report, a comment or urge, an attachment."""

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
                form = ReportForm(request.POST, request.FILES)
                if not form.is_valid():
                    context = self.context(request, item, report_form=form)
                    return render(request, "ledger/item_detail.html", context, status=400)
                report, created = services.submit_report(
                    item,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    percent=form.cleaned_data["percent"],
                    submission_key=form.cleaned_data["submission_key"],
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
                report = item.reports.filter(pk=report_id).first() if report_id.isdigit() else None
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
        crumbs = [
            {"label": "督办台账", "url": reverse("ledger:list")},
            {"label": item.ledger.name, "url": reverse("ledger:detail", args=[item.ledger_id])},
            {"label": f"事项 {item.number}", "url": reverse("ledger:item", args=[item.pk])},
            {"label": "修改", "url": ""},
        ]
        return render(
            request,
            "ledger/form.html",
            {
                "form": form,
                "title": f"修改事项 {item.number}",
                "note": note,
                "breadcrumbs": crumbs,
                "cancel_url": reverse("ledger:item", args=[item.pk]),
            },
            status=status,
        )

    def get(self, request, pk):
        item = self.get_item(pk, "supervise")
        return self._render(
            request, item, ItemForm(ledger=item.ledger, initial=ItemForm.initial_for(item))
        )

    def post(self, request, pk):
        item = self.get_item(pk, "supervise")
        form = ItemForm(request.POST, ledger=item.ledger)
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
            fresh = ItemForm(ledger=item.ledger, initial=ItemForm.initial_for(item))
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


class MyTasksView(ScopedMixin, View):
    """The owner's own items, most urgent first; made for a phone."""

    model = Item

    def get(self, request):
        items = Item.objects.restrict(request.user, "handle").exclude(
            state__in=[ItemState.DRAFT, ItemState.CLOSED]
        )
        items = _table(items.with_light(timezone.localdate())).order_by("deadline", "sort_key")
        context = {
            "page": paginate(request, items),
            "light_rule": LIGHT_RULE,
            "breadcrumbs": [{"label": "我的任务", "url": ""}],
        }
        return render(request, "ledger/my_tasks.html", context)


class AttachmentView(ScopedMixin, View):
    """Files are served only through here, to those who may see their item (or source's ledger)."""

    model = Attachment

    def get(self, request, pk):
        visible = Q(item__in=Item.objects.restrict(request.user)) | Q(
            source__ledger__in=Ledger.objects.restrict(request.user)
        )
        attachment = Attachment.objects.filter(visible, pk=pk).first()
        if attachment is None:
            raise Http404("未找到该记录。")
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.name
        )


class LedgerImportView(SupervisedLedgerMixin, View):
    """Import an Excel ledger in two steps: upload and check the column mapping, then import."""

    def _render(self, request, ledger, context=None, status=200):
        crumbs = [
            {"label": "督办台账", "url": reverse("ledger:list")},
            {"label": ledger.name, "url": reverse("ledger:detail", args=[ledger.pk])},
            {"label": "导入 Excel 台账", "url": ""},
        ]
        context = {
            "ledger": ledger,
            "fields": imports.FIELDS,
            "breadcrumbs": crumbs,
            **(context or {}),
        }
        return render(request, "ledger/import.html", context, status=status)

    def get(self, request, pk):
        ledger = self.get_scoped_object(pk)
        if request.GET.get("template") == "1":
            return FileResponse(
                open(imports.template_path(), "rb"),
                as_attachment=True,
                filename="台账导入模板.xlsx",
            )  # noqa: SIM115
        return self._render(request, ledger)

    def post(self, request, pk):
        ledger = self.get_scoped_object(pk)
        try:
            if "file" in request.FILES:
                token = imports.save_upload(request.user, request.FILES["file"])
                sheet = imports.read(imports.upload_path(request.user, token))
                return self._render(
                    request, ledger, {"token": token, "sheet": sheet, "preview": sheet.rows[:8]}
                )
            token = request.POST.get("token", "")
            sheet = imports.read(imports.upload_path(request.user, token))
            sheet.mapping = self._mapping(request, sheet)
            result = imports.run(ledger, sheet, actor=request.user)
        except UserFacingError as error:
            return self._render(
                request, ledger, {"form_error": error.message}, status=error.status_code
            )
        if result.errors:
            context = {
                "token": token,
                "sheet": sheet,
                "preview": sheet.rows[:8],
                "errors": result.errors[:500],
                "error_count": len(result.errors),
                "error_file": result.error_workbook.name,
            }
            return self._render(request, ledger, context, status=400)
        messages.success(request, f"已导入 {result.created} 项督办事项（草稿），请核对后交办。")
        return redirect("ledger:detail", pk=ledger.pk)

    @staticmethod
    def _mapping(request, sheet) -> dict[str, int]:
        mapping = {}
        for name in imports.FIELDS:
            value = request.POST.get(f"map_{name}", "")
            if value.isdigit() and int(value) < len(sheet.headers):
                mapping[name] = int(value)
        return mapping


class LedgerImportErrorsView(SupervisedLedgerMixin, View):
    def get(self, request, pk, name):
        self.get_scoped_object(pk)
        return import_errors_response(request, name)


class FindingCreateView(SupervisedLedgerMixin, View):
    def _render(self, request, ledger, form, status=200):
        crumbs = [
            {"label": "督办台账", "url": reverse("ledger:list")},
            {"label": ledger.name, "url": reverse("ledger:detail", args=[ledger.pk])},
            {"label": "登记问题", "url": ""},
        ]
        return render(
            request,
            "ledger/form.html",
            {
                "form": form,
                "title": "登记问题",
                "breadcrumbs": crumbs,
                "cancel_url": reverse("ledger:detail", args=[ledger.pk]),
            },
            status=status,
        )

    def get(self, request, pk):
        ledger = self.get_scoped_object(pk)
        return self._render(request, ledger, FindingForm(ledger=ledger))

    def post(self, request, pk):
        ledger = self.get_scoped_object(pk)
        form = FindingForm(request.POST, ledger=ledger)
        if not form.is_valid():
            return self._render(request, ledger, form, status=400)
        try:
            finding = services.add_finding(ledger, actor=request.user, **form.cleaned_data)
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, ledger, form, status=error.status_code)
        messages.success(request, f"已登记问题 {finding.number}，请逐项制定整改措施。")
        return redirect("ledger:finding", pk=finding.pk)


class FindingView(ScopedMixin, View):
    """One finding: its measures (as far as the user may see them) and its follow-up checks."""

    model = Finding

    def get_finding(self, pk):
        finding = (
            Finding.objects.filter(pk=pk, ledger__in=Ledger.objects.restrict(self.request.user))
            .select_related("ledger")
            .first()
        )
        if finding is None:
            raise Http404("未找到该记录。")
        return finding

    def _render(self, request, finding, status=200, **forms):
        is_supervisor = services.is_ledger_supervisor(request.user, finding.ledger)
        measures = _table(
            Item.objects.restrict(request.user)
            .filter(finding=finding)
            .with_light(timezone.localdate())
        )
        context = {
            "finding": finding,
            "measures": measures,
            "follow_ups": finding.follow_ups.select_related("checked_by"),
            "is_supervisor": is_supervisor,
            "schedule_form": forms.get("schedule_form") or FollowUpScheduleForm(),
            "result_form": forms.get("result_form") or FollowUpResultForm(),
            "light_rule": LIGHT_RULE,
            "breadcrumbs": [
                {"label": "督办台账", "url": reverse("ledger:list")},
                {
                    "label": finding.ledger.name,
                    "url": reverse("ledger:detail", args=[finding.ledger_id]),
                },
                {"label": f"问题 {finding.number}", "url": ""},
            ],
        }
        return render(request, "ledger/finding.html", context, status=status)

    def get(self, request, pk):
        return self._render(request, self.get_finding(pk))

    def post(self, request, pk):
        finding = self.get_finding(pk)
        try:
            if request.POST.get("what") == "schedule":
                form = FollowUpScheduleForm(request.POST)
                if not form.is_valid():
                    return self._render(request, finding, status=400, schedule_form=form)
                services.schedule_follow_up(
                    finding, actor=request.user, on=form.cleaned_data["scheduled_on"]
                )
                messages.success(request, "已安排回头看。")
            else:
                form = FollowUpResultForm(request.POST)
                if not form.is_valid():
                    return self._render(request, finding, status=400, result_form=form)
                check = finding.follow_ups.filter(pk=form.cleaned_data["check_id"]).first()
                if check is None:
                    raise Http404("未找到该记录。")
                data = form.cleaned_data
                services.record_follow_up(
                    check,
                    actor=request.user,
                    done_on=data["done_on"],
                    outcome=data["outcome"],
                    notes=data["notes"],
                )
                messages.success(request, "回头看结论已登记。")
        except UserFacingError as error:
            messages.error(request, error.message)
            return self._render(request, finding, status=error.status_code)
        return redirect("ledger:finding", pk=finding.pk)


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


class BoardView(ScopedMixin, View):
    """The supervisor's board: per lead unit, open items, red and yellow lights and late reports
    across the ledgers they supervise, worst first."""

    model = Item

    def get(self, request):
        items = Item.objects.restrict(request.user, "supervise").filter(
            state__in=services.OPEN_STATES
        )
        parts = light_parts(timezone.localdate())
        live_not_red = ~parts["none"] & ~parts["red"]
        by_unit: dict = {}
        # Three grouped queries rather than one: the report check then runs as an anti-join
        # over the open items instead of a subquery per item inside the counts.
        for row in items.values("lead_unit__code", "lead_unit__name").annotate(
            open=Count("pk"),
            red=Count("pk", filter=~parts["none"] & parts["red"]),
            yellow=Count("pk", filter=live_not_red & parts["soon"]),
        ):
            by_unit[row["lead_unit__code"]] = {**row, "late": 0}
        for code, late in (
            items.filter(parts["late"]).values_list("lead_unit__code").annotate(n=Count("pk"))
        ):
            by_unit[code]["late"] = late
        extra = items.filter(live_not_red & ~parts["soon"] & parts["late"])
        for code, more in extra.values_list("lead_unit__code").annotate(n=Count("pk")):
            by_unit[code]["yellow"] += more
        rows = sorted(
            by_unit.values(),
            key=lambda r: (-r["red"], -r["late"], -r["yellow"], r["lead_unit__name"] or ""),
        )
        context = {
            "rows": rows,
            "light_rule": LIGHT_RULE,
            "breadcrumbs": [{"label": "督办看板", "url": ""}],
        }
        return render(request, "ledger/board.html", context)


class AllItemsView(ScopedMixin, View):
    """Every item the user may see, across ledgers, with the same filters as a ledger's table."""

    model = Item

    def get(self, request):
        form = ItemFilterForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        items = filter_items(
            Item.objects.restrict(request.user).with_light(timezone.localdate()), data
        )
        context = {
            "filter": form,
            "page": paginate(request, _table(items)),
            "light_rule": LIGHT_RULE,
            "show_ledger": True,
            "breadcrumbs": [{"label": "督办事项", "url": ""}],
        }
        return render(request, "ledger/all_items.html", context)


class BulkActionView(SupervisedLedgerMixin, View):
    """Assign or urge the items ticked in a ledger's table, each through the usual service."""

    def post(self, request, pk):
        ledger = self.get_scoped_object(pk)
        ids = [int(i) for i in request.POST.getlist("items") if i.isdigit()]
        action = request.POST.get("action")
        text = request.POST.get("text", "").strip()
        items = (
            Item.objects.restrict(request.user, "supervise")
            .filter(ledger=ledger, pk__in=ids)
            .order_by("sort_key")
        )
        if not ids or action not in ("assign", "urge"):
            messages.error(request, "请勾选事项并选择操作。")
            return redirect("ledger:detail", pk=ledger.pk)
        if action == "urge" and not text:
            messages.error(request, "催办须填写催办意见。")
            return redirect("ledger:detail", pk=ledger.pk)
        done, failed = [], []
        for item in items:
            try:
                if action == "assign":
                    services.transition(item, "assign", actor=request.user)
                else:
                    services.comment(item, actor=request.user, text=text, kind="urge")
                done.append(item.number)
            except UserFacingError as error:
                failed.append(f"{item.number}：{error.message}")
        label = "交办" if action == "assign" else "催办"
        if done:
            messages.success(request, f"已{label} {len(done)} 项：{'、'.join(done)}。")
        for line in failed:
            messages.error(request, line)
        return redirect("ledger:detail", pk=ledger.pk)


class SourceView(ScopedMixin, View):
    """A source and what it was decomposed into; supervisors keep its documents here."""

    model = Source

    def get_source(self, pk):
        visible = Ledger.objects.restrict(self.request.user)
        source = Source.objects.filter(pk=pk, ledger__in=visible).select_related("ledger").first()
        if source is None:
            raise Http404("未找到该记录。")
        return source

    def get(self, request, pk, status=200):
        source = self.get_source(pk)
        items = (
            Item.objects.restrict(request.user)
            .filter(source=source)
            .with_light(timezone.localdate())
        )
        context = {
            "source": source,
            "items": _table(items).order_by("sort_key"),
            "attachments": source.attachments.all(),
            "is_supervisor": services.is_ledger_supervisor(request.user, source.ledger),
            "light_rule": LIGHT_RULE,
            "breadcrumbs": [
                {"label": "督办台账", "url": reverse("ledger:list")},
                {
                    "label": source.ledger.name,
                    "url": reverse("ledger:detail", args=[source.ledger_id]),
                },
                {"label": "任务来源", "url": ""},
            ],
        }
        return render(request, "ledger/source.html", context, status=status)

    def post(self, request, pk):
        source = self.get_source(pk)
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise UserFacingError("请选择要上传的文件。")
            services.attach_to_source(source, actor=request.user, upload=upload)
        except UserFacingError as error:
            messages.error(request, error.message)
            return self.get(request, pk, status=error.status_code)
        messages.success(request, "来源材料已上传。")
        return redirect("ledger:source", pk=source.pk)
