"""组织关系转接 and standing decisions over REST: the same scoping and services as the pages."""

import django_filters
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mofan.access.scoping import Action
from mofan.core.api import ID_BOUNDS
from mofan.core.errors import InvalidInput
from mofan.meetings.models import Meeting
from mofan.members import services
from mofan.members.api.serializers import (
    AcceptSerializer,
    ReasonSerializer,
    StandingChangeSerializer,
    TransferSerializer,
)
from mofan.members.choices import StandingKind, TransferKind, TransferState
from mofan.members.models import StandingChange, Transfer
from mofan.orgs.models import Membership, PartyOrg


def _kept_membership(user, person_id) -> Membership:
    """A member whose record the user keeps; anyone else is refused like a missing one."""
    membership = (
        Membership.objects.restrict(user, Action.TRANSFER)
        .filter(person_id=person_id)
        .select_related("person", "org")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


class TransferFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=TransferState.choices, label="状态")
    kind = django_filters.ChoiceFilter(choices=TransferKind.choices, label="转接类型")
    person = django_filters.NumberFilter(field_name="person_id", label="人员ID", **ID_BOUNDS)

    class Meta:
        model = Transfer
        fields = ["state", "kind", "person"]


class TransferViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """组织关系转接：本组织转出、转入的，以及本人的。创建即开具介绍信（系统内待接收；系统外即办结）。"""

    serializer_class = TransferSerializer
    filterset_class = TransferFilter

    def get_queryset(self):
        return (
            Transfer.objects.restrict(self.request.user, Action.VIEW)
            .select_related("person")
            .order_by("-issued_on", "-id")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        membership = _kept_membership(self.request.user, data["person_id"])
        to_org = None
        if data.get("to_org_id") is not None:
            # Any branch or group of the system; anything else is named as not taking members.
            to_org = (
                PartyOrg.objects.restrict(self.request.user, Action.ADDRESS)
                .filter(pk=data["to_org_id"])
                .first()
            )
            if to_org is None:
                raise InvalidInput(
                    "接收党组织不存在，或不直接接收党员组织关系（须为党支部或党小组）。"
                )
        serializer.instance = services.issue_transfer(
            membership,
            actor=self.request.user,
            issued_on=data["issued_on"],
            reason=data["reason"],
            to_org=to_org,
            other_org_name=data.get("other_org_name", ""),
            letter_number=data.get("letter_number", ""),
            valid_days=data.get("valid_days"),
            note=data.get("note", ""),
        )

    def _side(self, request, pk, side: str) -> Transfer:
        transfer = (
            self.get_queryset().select_related("from_org", "to_org").filter(pk=pk).first()
            if str(pk).isdecimal()
            else None
        )
        org = getattr(transfer, side, None) if transfer else None
        if org is None or not (
            PartyOrg.objects.restrict(request.user, Action.TRANSFER).filter(pk=org.pk).exists()
        ):
            raise Http404
        return transfer

    def _act(self, request, pk, side: str, body, perform):
        """One action on a pending letter by the side that may take it; the letter after it."""
        transfer = self._side(request, pk, side)
        serializer = body(data=request.data)
        serializer.is_valid(raise_exception=True)
        perform(transfer, actor=request.user, **serializer.validated_data)
        return Response(TransferSerializer(transfer).data)

    @extend_schema(request=AcceptSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """接收组织关系（接收党组织；须在介绍信有效期内）。"""
        return self._act(request, pk, "to_org", AcceptSerializer, services.accept_transfer)

    @extend_schema(request=ReasonSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """退回介绍信（接收党组织，须填写原因）。"""
        return self._act(request, pk, "to_org", ReasonSerializer, services.return_transfer)

    @extend_schema(request=ReasonSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """撤回介绍信（转出党组织，接收方尚未办理时）。"""
        return self._act(request, pk, "from_org", ReasonSerializer, services.withdraw_transfer)


class StandingFilter(django_filters.FilterSet):
    person = django_filters.NumberFilter(field_name="person_id", label="人员ID", **ID_BOUNDS)
    kind = django_filters.ChoiceFilter(choices=StandingKind.choices, label="事项")

    class Meta:
        model = StandingChange
        fields = ["person", "kind"]


class StandingChangeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """党籍状态变更：认定失联、恢复联系、停止党籍、恢复党籍、除名（后三项须有支部党员大会）。"""

    serializer_class = StandingChangeSerializer
    filterset_class = StandingFilter

    def get_queryset(self):
        return StandingChange.objects.restrict(self.request.user, Action.VIEW).order_by(
            "-effective_on", "-id"
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        user = self.request.user
        membership = _kept_membership(user, data["person_id"])
        kind, on, note = data["kind"], data["effective_on"], data.get("note", "")
        if kind == StandingKind.LOST:
            change = services.mark_lost(membership, actor=user, since=on, note=note)
        elif kind == StandingKind.FOUND:
            change = services.mark_found(membership, actor=user, on=on, note=note)
        else:
            meeting_id = data.get("meeting_id")
            # A meeting the user cannot see is refused like one that does not exist.
            meeting = (
                Meeting.objects.restrict(user, Action.VIEW).filter(pk=meeting_id).first()
                if meeting_id is not None
                else None
            )
            decide = {
                StandingKind.STOPPED: services.stop_membership,
                StandingKind.RESTORED: services.restore_membership,
                StandingKind.REMOVED: services.remove_membership,
            }[kind]
            change = decide(
                membership, actor=user, decided_on=on, meeting=meeting, note=note,
                approval=data.get("approval", ""),
            )  # fmt: skip
        serializer.instance = change
