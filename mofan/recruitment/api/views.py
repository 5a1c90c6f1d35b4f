"""发展党员 over REST: the same scoping and services as the pages."""

import django_filters
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from mofan.access.scoping import Action
from mofan.core.api import ID_BOUNDS
from mofan.core.errors import InvalidInput
from mofan.meetings.models import Meeting
from mofan.orgs.models import PartyOrg, Person, Unit
from mofan.recruitment import services
from mofan.recruitment.api.serializers import (
    ApplicantSerializer,
    DocumentSerializer,
    StepSerializer,
)
from mofan.recruitment.choices import Stage
from mofan.recruitment.models import Applicant, Document, Step


class ApplicantFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label="阶段")
    org = django_filters.NumberFilter(field_name="org_id", label="党支部ID", **ID_BOUNDS)

    class Meta:
        model = Applicant
        fields = ["stage", "org"]


def _kept_file(user, pk) -> Applicant:
    """A file the user keeps (Action.RECRUIT); any other is refused like a missing one."""
    found = Applicant.objects.restrict(user, Action.RECRUIT).filter(
        pk=pk if str(pk).isdecimal() else None
    )
    applicant = found.first()
    if applicant is None:
        raise Http404
    return applicant


class ApplicantViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """发展党员档案：本人负责的党组织的，以及本人的。创建即登记入党申请。"""

    serializer_class = ApplicantSerializer
    filterset_class = ApplicantFilter

    def get_queryset(self):
        return (
            Applicant.objects.restrict(self.request.user, Action.VIEW)
            .select_related("person")
            .order_by("next_due_on", "applied_on", "id")
        )

    def perform_create(self, serializer):
        data, user = serializer.validated_data, self.request.user
        org = PartyOrg.objects.restrict(user, Action.RECRUIT).filter(pk=data["org_id"]).first()
        if org is None:
            raise Http404
        person, person_data = None, None
        if data.get("person_id") is not None:
            person = Person.objects.restrict(user, Action.VIEW).filter(pk=data["person_id"]).first()
            if person is None:
                raise InvalidInput("申请人不存在，或不在您的管辖范围内。")
        else:
            missing = [
                k for k in ("name", "gender", "birth_date", "id_number", "unit") if k not in data
            ]
            if missing:
                raise InvalidInput(
                    "请给出申请人（person），或申请人的姓名、性别、出生日期、公民身份号码和单位。"
                )
            unit = Unit.objects.restrict(user, Action.CHOOSE).filter(pk=data["unit"]).first()
            if unit is None:
                raise InvalidInput("单位不存在。")
            person_data = {
                "name": data["name"], "gender": data["gender"],
                "ethnicity": data.get("ethnicity") or "汉族", "birth_date": data["birth_date"],
                "id_number": data["id_number"], "unit": unit, "phone": "", "education": "",
                "job_title": "", "rank": "",
            }  # fmt: skip
        serializer.instance = services.open_file(
            actor=user, person=person, person_data=person_data, org=org,
            applied_on=data["applied_on"], note=data.get("note", ""),
            front_line=data.get("front_line", False),
        )  # fmt: skip

    @extend_schema(
        request=StepSerializer, responses={200: StepSerializer(many=True), 201: StepSerializer}
    )
    @action(
        detail=True, methods=["get", "post"], serializer_class=StepSerializer,
        pagination_class=None, filter_backends=[],
    )  # fmt: skip
    def steps(self, request, pk=None):
        """档案已办理的步骤；POST 办理下一步（按《中国共产党发展党员工作细则》校验顺序和时间）。"""
        if request.method == "GET":
            applicant = self.get_object()
            steps = Step.objects.restrict(request.user, Action.VIEW).filter(applicant=applicant)
            return Response(StepSerializer(steps.order_by("done_on", "id"), many=True).data)
        applicant = _kept_file(request.user, pk)
        serializer = StepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        fields = {k: data.pop(k) for k in list(data) if k not in ("kind", "done_on", "version")}
        for name in ("person_a_id", "person_b_id"):
            value = fields.pop(name, None)
            if value is not None:
                person = Person.objects.restrict(request.user, Action.VIEW).filter(pk=value).first()
                if person is None:
                    raise InvalidInput("所选人员不存在，或不在您的管辖范围内。")
                fields[name.removesuffix("_id")] = person
        meeting_id = fields.pop("meeting_id", None)
        if meeting_id is not None:
            fields["meeting"] = (
                Meeting.objects.restrict(request.user, Action.VIEW).filter(pk=meeting_id).first()
            )
        step = services.record_step(
            applicant, actor=request.user, kind=data["kind"], done_on=data["done_on"],
            version=data["version"], **fields,
        )  # fmt: skip
        return Response(StepSerializer(step).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": DocumentSerializer},
        responses={200: DocumentSerializer(many=True), 201: DocumentSerializer},
    )
    @action(
        detail=True, methods=["get", "post"], serializer_class=DocumentSerializer,
        pagination_class=None, filter_backends=[], parser_classes=[MultiPartParser],
    )  # fmt: skip
    def documents(self, request, pk=None):
        """档案的材料（入党申请书、入党志愿书、思想汇报等）；POST 上传（multipart）。"""
        if request.method == "GET":
            applicant = self.get_object()
            found = Document.objects.restrict(request.user, Action.VIEW).filter(applicant=applicant)
            return Response(DocumentSerializer(found.order_by("uploaded_at", "id"), many=True).data)
        applicant = _kept_file(request.user, pk)
        serializer = DocumentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.attach_document(
            applicant, actor=request.user, upload=serializer.validated_data["file"],
            kind=serializer.validated_data["kind"],
        )  # fmt: skip
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
