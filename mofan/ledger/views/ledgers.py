"""Pages of a ledger: list, item table, export, sources, import, bulk actions, findings."""

from django.contrib import messages
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mofan.access.roles import Role
from mofan.access.scoping import Action, has_role
from mofan.access.views_base import ScopedMixin
from mofan.audit import services as audit
from mofan.core.errors import UserFacingError
from mofan.core.views_base import import_errors_response, paginate
from mofan.ledger import exports, imports, services
from mofan.ledger.choices import ItemState
from mofan.ledger.filters import filter_items
from mofan.ledger.forms import (
    FindingForm,
    FollowUpResultForm,
    FollowUpScheduleForm,
    ItemFilterForm,
    LedgerForm,
    SourceForm,
)
from mofan.ledger.models import Finding, Item, Ledger, Source
from mofan.ledger.views.base import (
    LIGHT_RULE,
    SupervisedLedgerMixin,
    item_rows,
    item_table,
    ledger_form_page,
)


class LedgerListView(ScopedMixin, View):
    model = Ledger

    def _render(self, request, form, status=200):
        # The figures count what this user may see of each ledger, not the whole ledger.
        visible = Item.objects.restrict(request.user, Action.VIEW).filter(ledger=OuterRef("pk"))

        def count(items):
            return Coalesce(
                Subquery(items.order_by().values("ledger").annotate(n=Count("pk")).values("n")), 0
            )

        ledgers = (
            self.scoped_queryset()
            .select_related("unit")
            .annotate(
                item_count=count(visible),
                open_count=count(visible.exclude(state__in=[ItemState.DRAFT, ItemState.CLOSED])),
            )
        )
        context = {
            "ledgers": ledgers,
            "form": form,
            "can_create": has_role(request.user, Role.SUPERVISOR),
            "breadcrumbs": [{"label": "督办台账", "url": ""}],
        }
        return render(request, "ledger/ledger_list.html", context, status=status)

    def get(self, request):
        return self._render(
            request,
            LedgerForm(
                user=request.user, initial={"year": timezone.localdate().year, "kind": "general"}
            ),
        )

    def post(self, request):
        if not has_role(request.user, Role.SUPERVISOR):
            messages.error(request, "只有督办员可以新建台账。")
            return self._render(request, LedgerForm(user=request.user), status=403)
        form = LedgerForm(request.POST, user=request.user)
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

    def get_ledger(self, pk) -> Ledger:
        """The ledger, read with whether the user supervises it. Its supervisors are looked for
        first: a ledger one may view for one of its items needs the items' whole visibility
        condition, some 4 ms of CPU to build and compile, which the ledger's own supervisors (the
        most frequent readers of the page) are spared; anyone else pays one small query more."""

        def ledgers(action: Action):
            return (
                self.scoped_queryset(action)
                .select_related("unit")
                .with_supervision(self.request.user)
            )

        supervised = ledgers(Action.SUPERVISE).filter(pk=pk).first()
        return supervised or self.get_scoped_object(pk, queryset=ledgers(Action.VIEW))

    def get(self, request, pk):
        ledger = self.get_ledger(pk)
        form = ItemFilterForm(request.GET or None, user=request.user)
        data = form.cleaned_data if form.is_valid() else {}
        items = Item.objects.restrict(request.user, Action.VIEW, ledger=ledger).with_light(
            timezone.localdate()
        )
        # All of one ledger: the rows need not carry it (the template shows none of it).
        page = paginate(
            request, item_rows(filter_items(items, data), with_ledger=False, people=True)
        )
        context = {
            "ledger": ledger,
            "filter": form,
            "page": page,
            # The filter's choices: not the sources' text, which is whole documents.
            "sources": ledger.sources.only("pk", "ledger_id", "reference", "title", "issued_on"),
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
        form = ItemFilterForm(request.GET or None, user=request.user)
        data = form.cleaned_data if form.is_valid() else {}
        items = filter_items(
            Item.objects.restrict(request.user, Action.VIEW)
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


class SourceCreateView(SupervisedLedgerMixin, View):
    def _render(self, request, ledger, form, status=200):
        return ledger_form_page(request, ledger, form, "新增任务来源", status=status)

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
        imports.remove_upload(request.user, token)
        messages.success(request, f"已导入 {result.created} 项督办事项（草稿），请核对后交办。")
        return redirect("ledger:detail", pk=ledger.pk)

    @staticmethod
    def _mapping(request, sheet) -> dict[str, int]:
        mapping = {}
        for name in imports.FIELDS:
            value = request.POST.get(f"map_{name}", "")
            if value.isdecimal() and int(value) < len(sheet.headers):
                mapping[name] = int(value)
        return mapping


class LedgerImportErrorsView(SupervisedLedgerMixin, View):
    def get(self, request, pk, name):
        self.get_scoped_object(pk)
        return import_errors_response(request, name)


class FindingCreateView(SupervisedLedgerMixin, View):
    def _render(self, request, ledger, form, status=200):
        return ledger_form_page(request, ledger, form, "登记问题", status=status)

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
            Finding.objects.restrict(self.request.user, Action.VIEW)
            .filter(pk=pk)
            .select_related("ledger")
            .first()
        )
        if finding is None:
            raise Http404("未找到该记录。")
        return finding

    def _render(self, request, finding, status=200, **forms):
        is_supervisor = services.is_ledger_supervisor(request.user, finding.ledger)
        measures = item_table(
            Item.objects.restrict(request.user, Action.VIEW)
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


class BulkActionView(SupervisedLedgerMixin, View):
    """Assign or urge the items ticked in a ledger's table, each through the usual service."""

    def post(self, request, pk):
        ledger = self.get_scoped_object(pk)
        ids = [int(i) for i in request.POST.getlist("items") if i.isdecimal()]
        action = request.POST.get("action")
        text = request.POST.get("text", "").strip()
        items = (
            Item.objects.restrict(request.user, Action.SUPERVISE)
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
        # Ticked sub-items split off by a unit below (层层分解): seen here, supervised there.
        followed = list(
            Item.objects.restrict(request.user, Action.VIEW)
            .filter(ledger=ledger, pk__in=ids)
            .exclude(pk__in=[item.pk for item in items])
            .order_by("sort_key")
            .values_list("number", flat=True)
        )
        if followed:
            messages.warning(
                request,
                f"{'、'.join(followed)} 由分解该事项的单位督办，您只能查看，未{label}。",
            )
        return redirect("ledger:detail", pk=ledger.pk)


class SourceView(ScopedMixin, View):
    """A source and what it was decomposed into; supervisors keep its documents here."""

    model = Source

    def get_source(self, pk):
        source = (
            Source.objects.restrict(self.request.user, Action.VIEW)
            .filter(pk=pk)
            .select_related("ledger")
            .first()
        )
        if source is None:
            raise Http404("未找到该记录。")
        return source

    def get(self, request, pk, status=200):
        source = self.get_source(pk)
        items = (
            Item.objects.restrict(request.user, Action.VIEW)
            .filter(source=source)
            .with_light(timezone.localdate())
        )
        linked = None
        wanted = request.GET.get("item", "")
        if wanted.isdecimal():
            linked = items.filter(pk=int(wanted), source_start__isnull=False).first()
        context = {
            "source": source,
            "paragraphs": source_paragraphs(source.text, linked),
            "linked": linked,
            "items": item_table(items).order_by("sort_key"),
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


def source_paragraphs(text: str, linked: Item | None) -> list[dict]:
    """A source's text as paragraphs, the span an item was decomposed from marked in it."""
    if not text:
        return []
    span = (linked.source_start, linked.source_end) if linked else (-1, -1)
    paragraphs, offset = [], 0
    for number, paragraph in enumerate(text.split("\n")):
        end = offset + len(paragraph)
        a, b = max(span[0], offset), min(span[1], end)
        if a < b:
            runs = [
                {"text": text[offset:a]},
                {"text": text[a:b], "mark": True},
                {"text": text[b:end]},
            ]
        else:
            runs = [{"text": paragraph}]
        paragraphs.append({"number": number, "runs": runs, "linked": a < b})
        offset = end + 1
    return paragraphs
