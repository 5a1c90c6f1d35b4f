"""Pages of 党费: one's own dues, an organisation's month (record payments there), a member's
dues kept by the collector (bases, waivers, corrections), the brackets, the Excel statement."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action, person_of
from mofan.access.views_base import ScopedMixin
from mofan.core.errors import UserFacingError
from mofan.dues import calc, exports, imports, services, statements
from mofan.dues.calc import cn_month
from mofan.dues.forms import BaseForm, PaymentForm, TakeBackForm, WaiverForm, parse_month
from mofan.dues.models import DuesBase, DuesPayment, DuesRule, DuesWaiver
from mofan.orgs.models import Membership, PartyOrg


def _years(today, first_year: int | None = None) -> list[int]:
    start = min(first_year or today.year, today.year)
    return list(range(today.year, max(start, today.year - 10) - 1, -1))


def _year(request, today) -> int:
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if today.year - 10 <= year <= today.year + 1 else today.year


class MineView(LoginRequiredMixin, View):
    """My dues: the base and monthly amount, this year's months, what I owe; and the
    organisations whose dues I keep."""

    def get(self, request):
        today = timezone.localdate()
        year = _year(request, today)
        person_id = person_of(request.user)
        membership = (
            Membership.objects.restrict(request.user, Action.VIEW)
            .filter(person_id=person_id)
            .select_related("person", "org")
            .first()
            if person_id
            else None
        )
        context = {
            "year": year,
            "years": _years(today, membership.joined_on.year if membership else None),
            "membership": membership,
            "record": statements.member_year(membership.person, year, today=today)
            if membership
            else None,
            "keeping": PartyOrg.objects.roots(request.user, Action.DUES).order_by("path")[:50],
            "lapse_months": calc.LAPSE_MONTHS,
            "breadcrumbs": [{"label": "我的党费", "url": ""}],
        }
        return render(request, "dues/mine.html", context)


class RulesView(LoginRequiredMixin, View):
    def get(self, request):
        rules = DuesRule.objects.restrict(request.user, Action.VIEW)
        context = {
            "rules": rules,
            "breadcrumbs": [
                {"label": "我的党费", "url": reverse("dues:mine")},
                {"label": "交纳标准", "url": ""},
            ],
        }
        return render(request, "dues/rules.html", context)


class OrgMixin(ScopedMixin):
    model = PartyOrg
    action = Action.DUES

    def month(self, request, today):
        """The month asked for: up to two months ahead (paid ahead by the quarter); anything
        else shows this month, saying so."""
        text = request.GET.get("month") or request.POST.get("month_shown")
        month = parse_month(text)
        this_month = calc.month_of(today)
        if month is None or month > calc.add_months(this_month, services.AHEAD_MONTHS):
            if text:
                messages.warning(request, f"月份“{text[:20]}”无效，已显示本月。")
            return this_month
        return month


class OrgMonthView(OrgMixin, View):
    """An organisation's month: each member's base, due, payment and arrears; record a payment.
    An organisation whose members sit in the branches below it shows each branch's month."""

    def _render(self, request, org, month, today, *, failed=None, status=200):
        statement = statements.org_month(org, month, today=today)
        below = statements.org_month_totals(org, month, today=today) if not statement.rows else []
        last = calc.add_months(calc.month_of(today), services.AHEAD_MONTHS)
        context = {
            "org": org,
            "statement": statement,
            "below": below,
            "month": month,
            "previous": calc.add_months(month, -1),
            "following": calc.add_months(month, 1) if month < last else None,
            "last_month": last,
            "today": today,
            "failed": failed or {},
            "methods": PaymentForm.base_fields["method"].choices,
            "lapse_months": calc.LAPSE_MONTHS,
            "breadcrumbs": [
                {"label": "我的党费", "url": reverse("dues:mine")},
                {"label": f"{org.display_name} 党费收缴", "url": ""},
            ],
        }
        return render(request, "dues/org.html", context, status=status)

    def get(self, request, pk):
        org = self.get_scoped_object(pk)
        today = timezone.localdate()
        return self._render(request, org, self.month(request, today), today)

    def post(self, request, pk):
        org = self.get_scoped_object(pk)
        today = timezone.localdate()
        form = PaymentForm(request.POST)
        person_id = request.POST.get("person", "")
        membership = (
            _kept_member(request.user, person_id, org=org) if person_id.isdecimal() else None
        )
        if membership is None:
            raise Http404("未找到该记录。")
        # The row that failed keeps what was typed, and the message names whose row it was.
        failed = {
            "person": membership.person_id,
            **{k: request.POST.get(k, "") for k in ("amount", "paid_on", "method")},
        }
        month = self.month(request, today)
        if not form.is_valid():
            messages.error(request, f"{membership.person.name}的交纳未登记：" + _errors(form))
            return self._render(request, org, month, today, failed=failed, status=400)
        data = form.cleaned_data
        try:
            payment = services.record_payment(
                membership.person,
                actor=request.user,
                month=data["month"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                method=data["method"],
                note=data["note"],
                today=today,
            )
        except UserFacingError as error:
            messages.error(request, f"{membership.person.name}的交纳未登记：{error.message}")
            return self._render(request, org, month, today, failed=failed, status=error.status_code)
        messages.success(
            request,
            f"已登记{membership.person.name}{cn_month(payment.month)}党费 {payment.amount} 元。",
        )
        return redirect(f"{reverse('dues:org', args=[org.pk])}?month={payment.month:%Y-%m}")


class OrgExportView(OrgMixin, View):
    def get(self, request, pk, year, month):
        org = self.get_scoped_object(pk)
        chosen = parse_month(f"{year}-{month}")
        if chosen is None:
            raise Http404("未找到该记录。")
        statement = statements.org_month(org, chosen, today=timezone.localdate())
        path = exports.statement_xlsx(statement)
        name = f"{org.display_name}{cn_month(chosen)}党费收缴情况.xlsx"
        return FileResponse(open(path, "rb"), as_attachment=True, filename=name)  # noqa: SIM115


class OrgYearExportView(OrgMixin, View):
    """The yearly summary of the organisation and those below it, as Excel."""

    def get(self, request, pk, year):
        org = self.get_scoped_object(pk)
        today = timezone.localdate()
        if not today.year - 10 <= year <= today.year:
            raise Http404("未找到该记录。")
        rows = statements.org_year(org, year, today=today)
        path = exports.summary_xlsx(org, year, rows)
        name = f"{org.display_name}{year}年度党费收缴情况汇总.xlsx"
        return FileResponse(open(path, "rb"), as_attachment=True, filename=name)  # noqa: SIM115


def _kept_member(user, person_id, *, org=None) -> Membership:
    """The membership of a person whose dues the user keeps (404 like a missing one otherwise)."""
    found = Membership.objects.restrict(user, Action.DUES).filter(person_id=person_id)
    if org is not None:
        found = found.filter(org=org)
    membership = found.select_related("person", "org").first()
    if membership is None:
        raise Http404("未找到该记录。")
    return membership


def _base_initial(base, today) -> dict:
    """The base form filled from one base, with its version and month (saving that month
    corrects it, and a change made meanwhile by someone else is refused), or blank for this
    January."""
    if base is None:
        return {"starts_on": f"{today:%Y}-01", "category": "salaried"}
    return {
        "starts_on": f"{base.starts_on:%Y-%m}",
        "category": base.category,
        "monthly_income": base.monthly_income,
        "note": base.note,
        "version": base.version,
        "version_month": f"{base.starts_on:%Y-%m}",
    }


def _errors(form) -> str:
    """A form's errors in one line, each already naming its field."""
    return (
        "；".join(message.rstrip("。") for errors in form.errors.values() for message in errors)
        + "。"
    )


class MemberView(LoginRequiredMixin, View):
    """One member's dues, as the collector keeps them: months, bases, waivers; record or correct
    a base, record a waiver; take back a wrong payment, waiver or base."""

    def _render(self, request, membership, *, forms=None, status=200):
        today = timezone.localdate()
        year = _year(request, today)
        person = membership.person
        forms = forms or {}
        bases = DuesBase.objects.restrict(request.user, Action.DUES).filter(person=person)
        editing = request.GET.get("edit", "")
        base = (
            bases.filter(pk=editing).first()
            if editing.isdecimal()
            else bases.filter(starts_on__lte=calc.month_of(today)).order_by("-starts_on").first()
        )
        context = {
            "membership": membership,
            "person": person,
            "year": year,
            "years": _years(today, membership.joined_on.year),
            "record": statements.member_year(person, year, today=today),
            "bases": bases.order_by("-starts_on"),
            "editing": base if editing.isdecimal() else None,
            "waivers": DuesWaiver.objects.restrict(request.user, Action.DUES)
            .filter(person=person)
            .order_by("-first_month"),
            "payments": _payments_by_month(
                DuesPayment.objects.restrict(request.user, Action.DUES).filter(
                    person=person, month__year=year
                )
            ),
            "base_form": forms.get("base") or BaseForm(initial=_base_initial(base, today)),
            "waiver_form": forms.get("waiver") or WaiverForm(),
            "lapse_months": calc.LAPSE_MONTHS,
            "breadcrumbs": [
                {"label": "我的党费", "url": reverse("dues:mine")},
                {
                    "label": f"{membership.org.display_name} 党费收缴",
                    "url": reverse("dues:org", args=[membership.org_id]),
                },
                {"label": person.name, "url": ""},
            ],
        }
        return render(request, "dues/member.html", context, status=status)

    def get(self, request, pk):
        return self._render(request, _kept_member(request.user, pk))

    def post(self, request, pk):
        membership = _kept_member(request.user, pk)
        person, action = membership.person, request.POST.get("action")
        forms_by_action = {
            "base": BaseForm,
            "waiver": WaiverForm,
            "cancel": TakeBackForm,
            "cancel_waiver": TakeBackForm,
            "remove_base": TakeBackForm,
        }
        if action not in forms_by_action:
            raise Http404("未找到该记录。")
        form = forms_by_action[action](request.POST)
        if not form.is_valid():
            messages.error(request, "未保存：" + _errors(form))
            return self._render(request, membership, forms={action: form}, status=400)
        data = form.cleaned_data
        try:
            if action == "base":
                services.record_base(
                    person, actor=request.user, starts_on=data["starts_on"],
                    category=data["category"], monthly_income=data["monthly_income"],
                    note=data["note"], version=form.version_for(data["starts_on"]),
                )  # fmt: skip
                messages.success(request, f"已保存{cn_month(data['starts_on'])}起的党费计算基数。")
            elif action == "waiver":
                services.record_waiver(
                    person, actor=request.user, kind=data["kind"],
                    first_month=data["first_month"], last_month=data["last_month"],
                    reason=data["reason"], approved_on=data["approved_on"],
                    reduced_amount=data["reduced_amount"],
                )  # fmt: skip
                messages.success(request, "已登记。")
            else:
                model, take_back, done = {
                    "cancel": (DuesPayment, services.cancel_payment, "已撤销该笔交纳记录。"),
                    "cancel_waiver": (DuesWaiver, services.cancel_waiver, "已撤销该项减免或缓交。"),
                    "remove_base": (DuesBase, services.remove_base, "已删除该条计算基数。"),
                }[action]
                found = (
                    model.objects.restrict(request.user, Action.DUES)
                    .filter(pk=data["target"], person=person)
                    .first()
                )
                if found is None:
                    raise Http404("未找到该记录。")
                take_back(found, actor=request.user, reason=data["reason"])
                messages.success(request, done)
        except UserFacingError as error:
            messages.error(request, error.message)
            keep = {action: form} if action in ("base", "waiver") else {}
            return self._render(request, membership, forms=keep, status=error.status_code)
        return redirect(reverse("dues:member", args=[person.pk]))


def _payments_by_month(payments) -> dict:
    by_month: dict = {}
    for payment in payments.order_by("paid_on", "pk"):
        by_month.setdefault(payment.month, []).append(payment)
    return by_month


class ImportView(OrgMixin, View):
    """Import a year's bases for the organisation's members from Excel (all rows or none)."""

    def _render(self, request, org, *, result=None, error="", status=200):
        today = timezone.localdate()
        context = {
            "org": org,
            "result": result,
            "error": error,
            "years": [today.year + 1, today.year, today.year - 1],
            "year": today.year,
            "breadcrumbs": [
                {"label": "我的党费", "url": reverse("dues:mine")},
                {
                    "label": f"{org.display_name} 党费收缴",
                    "url": reverse("dues:org", args=[org.pk]),
                },
                {"label": "导入", "url": ""},
            ],
        }
        return render(request, "dues/import.html", context, status=status)

    def get(self, request, pk):
        org = self.get_scoped_object(pk)
        if request.GET.get("template"):
            year = _year(request, timezone.localdate())
            memberships = (
                Membership.objects.restrict(request.user, Action.DUES)
                .in_subtree(org)
                .in_good_standing()
                .select_related("person")
                .order_by("person__name_stroke_key", "pk")
            )
            path = imports.template(org, list(memberships), year)
            name = f"{org.display_name}{year}年度党费计算基数.xlsx"
            return FileResponse(open(path, "rb"), as_attachment=True, filename=name)  # noqa: SIM115
        return self._render(request, org)

    def post(self, request, pk):
        org = self.get_scoped_object(pk)
        upload = request.FILES.get("file")
        today = timezone.localdate()
        payments = request.POST.get("kind") == "payments"
        try:
            year = int(request.POST.get("year", today.year))
        except ValueError:
            year = 0
        if not today.year - 1 <= year <= today.year + 1:
            return self._render(request, org, error="请选择年度。", status=400)
        if upload is None:
            return self._render(request, org, error="请选择要导入的 Excel 文件。", status=400)
        try:
            if payments:
                result = imports.import_payments(upload, actor=request.user, org=org, today=today)
            else:
                result = imports.import_bases(upload, actor=request.user, org=org, year=year)
        except UserFacingError as error:
            return self._render(request, org, error=error.message, status=error.status_code)
        if result.errors:
            return self._render(request, org, result=result, status=400)
        if payments:
            messages.success(request, f"已导入 {result.recorded} 条党费交纳记录。")
        else:
            same = f"，{result.unchanged} 名与已有基数相同、未作改动" if result.unchanged else ""
            messages.success(
                request, f"已导入 {result.recorded} 名党员的{year}年度党费计算基数{same}。"
            )
        return redirect(reverse("dues:org", args=[org.pk]))
