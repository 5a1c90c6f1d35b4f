"""Pages of 组织关系转接 and of a member's standing. Views are thin: reads go through the scoping
layer, changes through `services`; anything outside the user's scope is a 404."""

from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action, can_anywhere, person_of
from mofan.access.views_base import ScopedMixin
from mofan.audit import services as audit
from mofan.core.errors import StaleEdit, UserFacingError
from mofan.core.views_base import paginate
from mofan.members import forms, letters, rules, services
from mofan.members.choices import StandingKind, TransferKind, TransferState
from mofan.members.models import StandingChange, Transfer
from mofan.orgs.choices import MembershipStatus
from mofan.orgs.models import Membership, PartyOrg
from mofan.orgs.views.base import ServiceFormView

SHOWN = 50  # rows of each list on the transfers page
HOME = {"label": "组织关系", "url": reverse_lazy("members:home")}


def _keeps(user, org: PartyOrg | None) -> bool:
    return (
        org is not None
        and PartyOrg.objects.restrict(user, Action.TRANSFER).filter(pk=org.pk).exists()
    )


def standing_rows(user, memberships, today, limit: int = SHOWN):
    """Members out of contact or stopped (the first `limit` by name), each with since when and
    what the rules allow next."""
    last = (
        StandingChange.objects.restrict(user, Action.TRANSFER)
        .filter(person_id=OuterRef("person_id"))
        .order_by("-effective_on", "-pk")
    )
    rows = []
    for m in (
        memberships.filter(status__in=[MembershipStatus.LOST_CONTACT, MembershipStatus.STOPPED])
        .annotate(
            lost_since=Subquery(last.filter(kind=StandingKind.LOST).values("effective_on")[:1]),
            stopped_on=Subquery(last.filter(kind=StandingKind.STOPPED).values("effective_on")[:1]),
        )
        .select_related("person", "org")
        .order_by("person__name_stroke_key", "pk")[:limit]
    ):
        if m.status == MembershipStatus.LOST_CONTACT:
            since = m.lost_since
            due = rules.may_stop_from(since) if since else None
            step = "停止党籍" if due and due <= today else "继续查找联系"
        else:
            since = m.stopped_on
            due = rules.may_remove_from(since) if since else None
            step = "按自行脱党除名" if due and due <= today else "继续查找联系，可恢复党籍"
        rows.append({"membership": m, "since": since, "due": due, "step": step,
                     "overdue": bool(due and due <= today)})  # fmt: skip
    return rows


class HomeView(ScopedMixin, View):
    """The transfers of the organisations one keeps: letters waiting to be accepted here,
    letters of ours waiting elsewhere, the ones settled; and the members out of contact."""

    model = Transfer

    def get(self, request):
        user, today = request.user, timezone.localdate()
        keeper = can_anywhere(user, Action.TRANSFER)
        org = None
        if request.GET.get("org", "").isdecimal():
            org = (
                PartyOrg.objects.restrict(user, Action.TRANSFER)
                .filter(pk=int(request.GET["org"]))
                .first()
            )
            if org is None:
                raise Http404("未找到该记录。")
        kept = Transfer.objects.restrict(user, Action.TRANSFER).select_related(
            "person", "from_org", "to_org"
        )
        incoming = kept.pending().addressed_to_user(user)
        outgoing = kept.pending().sent_by_user(user)
        settled = kept.exclude(state=TransferState.PENDING)
        members = Membership.objects.restrict(user, Action.TRANSFER)
        if org is not None:
            incoming, outgoing = incoming.touching(org), outgoing.touching(org)
            settled = settled.touching(org)
            members = members.in_subtree(org)
        mine = (
            Transfer.objects.restrict(user, Action.VIEW)
            .filter(person_id=person_of(user))
            .select_related("from_org", "to_org")
            .order_by("-issued_on", "-pk")[:10]
            if person_of(user)
            else []
        )
        context = {
            "keeper": keeper,
            "org": org,
            "orgs": PartyOrg.objects.roots(user, Action.TRANSFER) if keeper else [],
            # The most urgent first (the nearest end of validity); a committee's whole tree may hold
            # hundreds: the count says so and the organisation filter shows the rest.
            "incoming": list(incoming.order_by("valid_until", "pk")[:SHOWN]) if keeper else [],
            "incoming_count": incoming.count() if keeper else 0,
            "outgoing": list(outgoing.order_by("valid_until", "pk")[:SHOWN]) if keeper else [],
            "outgoing_count": outgoing.count() if keeper else 0,
            "shown": SHOWN,
            "page": paginate(request, settled.order_by("-decided_on", "-pk"), per_page=30)
            if keeper
            else None,
            "standing": standing_rows(user, members, today) if keeper else [],
            "standing_count": members.filter(
                status__in=[MembershipStatus.LOST_CONTACT, MembershipStatus.STOPPED]
            ).count()
            if keeper
            else 0,
            "mine": mine,
            "today": today,
            "lost_rule": f"{rules.LOST_SOURCE}：{rules.LOST_RULE}；{rules.STOPPED_RULE}。"
            f"{rules.MEETING_RULE}。",
            "breadcrumbs": [{"label": "组织关系", "url": ""}],
        }
        return render(request, "members/home.html", context)


class TransferView(ScopedMixin, View):
    """One transfer: the letter, where it stands, and what the user may do with it."""

    model = Transfer

    def context(self, transfer, **forms_):
        user = self.request.user
        pending = transfer.state == TransferState.PENDING
        receives = pending and _keeps(user, transfer.to_org)
        sends = pending and _keeps(user, transfer.from_org)
        today = timezone.localdate()
        return {
            "transfer": transfer,
            "prints": transfer.kind != TransferKind.IN
            and (_keeps(user, transfer.from_org) or _keeps(user, transfer.to_org)),
            "receives": receives,
            "sends": sends,
            "expired": bool(pending and transfer.valid_until and transfer.valid_until < today),
            "accept_form": forms_.get("accept")
            or forms.AcceptForm(initial={"version": transfer.version, "accepted_on": today}),
            "return_form": forms_.get("return")
            or forms.ReasonForm(initial={"version": transfer.version}, prefix="return"),
            "withdraw_form": forms_.get("withdraw")
            or forms.ReasonForm(initial={"version": transfer.version}, prefix="withdraw"),
            "breadcrumbs": [HOME, {"label": str(transfer), "url": ""}],
        }

    def load(self, pk):
        return self.get_scoped_object(
            pk,
            queryset=self.scoped_queryset().select_related("person", "from_org", "to_org"),
        )

    def get(self, request, pk):
        transfer = self.load(pk)
        return render(request, "members/transfer.html", self.context(transfer))


class LetterView(TransferView):
    """The letter of introduction as Word, for the keepers at either end. It carries the full ID
    number: each download is audited like any view of it."""

    def get(self, request, pk):
        transfer = self.load(pk)
        if transfer.kind == TransferKind.IN or not (
            _keeps(request.user, transfer.from_org) or _keeps(request.user, transfer.to_org)
        ):
            raise Http404("未找到该记录。")
        path = letters.letter(transfer, today=timezone.localdate())
        audit.record(
            request.user,
            "members.transfer.letter",
            transfer,
            payload={"letter": transfer.letter_number, "person": transfer.person_id},
        )
        name = f"{transfer.person.name}党员组织关系介绍信.docx"
        return FileResponse(open(path, "rb"), as_attachment=True, filename=name)  # noqa: SIM115


class TransferActionView(TransferView):
    """接收, 退回 (the receiving side) and 撤回 (the sending side) of a pending letter."""

    http_method_names = ["post"]

    def post(self, request, pk, action):
        transfer = self.load(pk)
        side = transfer.to_org if action in ("accept", "return") else transfer.from_org
        if action not in ("accept", "return", "withdraw") or not _keeps(request.user, side):
            raise Http404("未找到该记录。")
        form = (
            forms.AcceptForm(request.POST)
            if action == "accept"
            else forms.ReasonForm(request.POST, prefix=action)
        )
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "accept":
                    services.accept_transfer(
                        transfer, actor=request.user, accepted_on=data["accepted_on"],
                        version=data["version"],
                    )  # fmt: skip
                    done = f"已接收{transfer.person.name}的组织关系。"
                elif action == "return":
                    services.return_transfer(
                        transfer, actor=request.user, reason=data["reason"], version=data["version"]
                    )
                    done = "介绍信已退回转出党组织。"
                else:
                    services.withdraw_transfer(
                        transfer, actor=request.user, reason=data["reason"], version=data["version"]
                    )
                    done = "介绍信已撤回。"
            except StaleEdit as error:
                form.add_error(None, error.message)
                status = error.status_code
                transfer = self.load(pk)
            except UserFacingError as error:
                form.add_error(None, error.message)
                status = error.status_code
            else:
                messages.success(request, done)
                return redirect(reverse("members:transfer", args=[transfer.pk]))
        return render(
            request,
            "members/transfer.html",
            self.context(transfer, **{action: form}),
            status=status,
        )


class MemberFormView(ServiceFormView):
    """A form about one member, addressed by the person like every page about a member, for
    those who keep the member's record (Action.TRANSFER)."""

    model = Membership
    action = Action.TRANSFER

    def get_object(self, pk):
        membership = (
            self.scoped_queryset().filter(person_id=pk).select_related("person", "org").first()
        )
        if membership is None:
            raise Http404("未找到该记录。")
        return membership

    def success_url(self, membership):
        return reverse("orgs:person_detail", args=[membership.person_id])


class IssueView(MemberFormView):
    title = "开具组织关系介绍信"

    def make_form(self, membership, data=None):
        return forms.IssueForm(
            data, user=self.request.user, initial={"issued_on": timezone.localdate()}
        )

    def perform(self, membership, form):
        data = form.cleaned_data
        transfer = services.issue_transfer(
            membership,
            actor=self.request.user,
            issued_on=data["issued_on"],
            reason=data["reason"],
            to_org=data["to_org"],
            other_org_name=data["other_org_name"],
            letter_number=data["letter_number"],
            valid_days=data["valid_days"],
            note=data["note"],
        )
        self.transfer = transfer
        if transfer.state == TransferState.PENDING:
            return f"介绍信{transfer.letter_number}已开具，等待{transfer.to_org.name}接收。"
        return f"{membership.person.name}的组织关系已转出本系统。"

    def post(self, request, pk):
        response = super().post(request, pk)
        if response.status_code == 302 and getattr(self, "transfer", None):
            return redirect(reverse("members:transfer", args=[self.transfer.pk]))
        return response


class StandingView(MemberFormView):
    """认定失联, 恢复联系, 停止党籍, 恢复党籍, 除名 — each by its rule, with its meeting."""

    TITLES = dict(StandingKind.choices)
    PERFORM = {
        StandingKind.LOST: services.mark_lost,
        StandingKind.FOUND: services.mark_found,
        StandingKind.STOPPED: services.stop_membership,
        StandingKind.RESTORED: services.restore_membership,
        StandingKind.REMOVED: services.remove_membership,
    }

    def dispatch(self, request, *args, **kwargs):
        if kwargs.get("kind") not in self.PERFORM:
            raise Http404("未找到该记录。")
        self.kind = kwargs["kind"]
        self.title = self.TITLES[self.kind]
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk, kind):
        return super().get(request, pk)

    def post(self, request, pk, kind):
        return super().post(request, pk)

    def make_form(self, membership, data=None):
        return forms.StandingForm(
            data,
            kind=self.kind,
            branch=services.branch_of(membership.org),
            user=self.request.user,
            initial={"on": timezone.localdate()},
        )

    def perform(self, membership, form):
        data, user = form.cleaned_data, self.request.user
        if self.kind == StandingKind.LOST:
            services.mark_lost(membership, actor=user, since=data["on"], note=data["note"])
        elif self.kind == StandingKind.FOUND:
            services.mark_found(membership, actor=user, on=data["on"], note=data["note"])
        else:
            self.PERFORM[self.kind](
                membership, actor=user, decided_on=data["on"], note=data["note"], **form.decision()
            )
        return f"已登记：{self.title}。"


class ReceiveView(ScopedMixin, View):
    """A member arriving from a party organisation outside the system, with their letter."""

    model = PartyOrg
    action = Action.TRANSFER

    def _render(self, request, form, status=200):
        return render(
            request,
            "form_page.html",
            {
                "form": form,
                "title": "从系统外转入",
                "note": "",
                "cancel_url": reverse("members:home"),
                "breadcrumbs": [HOME, {"label": "从系统外转入", "url": ""}],
            },
            status=status,
        )

    def get(self, request):
        if not can_anywhere(request.user, Action.TRANSFER):
            raise Http404("未找到该记录。")
        return self._render(
            request,
            forms.ReceiveForm(user=request.user, initial={"received_on": timezone.localdate()}),
        )

    def post(self, request):
        if not can_anywhere(request.user, Action.TRANSFER):
            raise Http404("未找到该记录。")
        form = forms.ReceiveForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = form.cleaned_data
        try:
            transfer = services.receive_from_outside(
                actor=request.user,
                org=data["org"],
                person_data=form.person_fields(),
                membership_data=form.membership_fields(),
                other_org_name=data["other_org_name"],
                letter_number=data["letter_number"],
                received_on=data["received_on"],
                reason=data["reason"],
                note=data["transfer_note"],
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, form, status=error.status_code)
        messages.success(request, f"{transfer.person.name}的组织关系已转入{transfer.to_org.name}。")
        return redirect(reverse("orgs:person_detail", args=[transfer.person_id]))
