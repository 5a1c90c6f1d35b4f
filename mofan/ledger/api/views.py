"""The ledger over REST: the same scoping, services and state machine as the pages."""

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from mofan import docparse
from mofan.access.scoping import Action
from mofan.access.views_base import ScopedReadOnlyViewSet
from mofan.core import uploads
from mofan.core.errors import InvalidInput, StaleEdit
from mofan.ledger import decomposition as decomposing
from mofan.ledger import services
from mofan.ledger.api.serializers import (
    LISTED_COLUMNS,
    AttachmentSerializer,
    DecomposeItemSerializer,
    DecomposeRequestSerializer,
    DecompositionResultSerializer,
    EventSerializer,
    ExtensionDecisionSerializer,
    ExtensionSerializer,
    HandOverSerializer,
    HandoverSerializer,
    ItemSerializer,
    LedgerSerializer,
    OwnersSerializer,
    ReportSerializer,
    ReturnHandoverSerializer,
    TakeOverSerializer,
    TransitionSerializer,
)
from mofan.ledger.choices import ItemState
from mofan.ledger.filters import filter_items
from mofan.ledger.forms import ItemFilterForm
from mofan.ledger.models import Handover, Item, Ledger


class LedgerViewSet(ScopedReadOnlyViewSet):
    """台账（可见范围：督办人及有事项可见的单位）。"""

    model = Ledger
    serializer_class = LedgerSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("unit")


ITEM_FILTERS = [
    OpenApiParameter("ledger", int, description="台账ID"),
    OpenApiParameter("q", str, description="关键词（事项内容或编号）"),
    OpenApiParameter("unit", str, description="单位编码（牵头或协办）"),
    OpenApiParameter("owner", str, description="责任人姓名"),
    OpenApiParameter("light", str, enum=["red", "yellow", "green"], description="红黄绿灯"),
    OpenApiParameter("state", str, enum=ItemState.values, description="状态"),
    OpenApiParameter("deadline_after", OpenApiTypes.DATE, description="时限起"),
    OpenApiParameter("deadline_before", OpenApiTypes.DATE, description="时限止"),
    OpenApiParameter("source", int, description="来源ID"),
    OpenApiParameter("tag", str, description="标签"),
    OpenApiParameter("sort", str, enum=["deadline", "-updated"], description="排序"),
]


@extend_schema_view(list=extend_schema(parameters=ITEM_FILTERS))
class HandoverViewSet(ScopedReadOnlyViewSet):
    """上级交办：交给本单位台账的事项（接收单位的督办员）及本人交出的事项；签收（take-over）或退回（return）。"""

    model = Handover
    serializer_class = HandoverSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("item__ledger", "to_unit")

    def _receivable(self, pk) -> Handover:
        receivable = Handover.objects.restrict(self.request.user, Action.TAKE_OVER)
        found = receivable.filter(pk=pk).first() if str(pk).isdecimal() else None
        if found is None:
            raise Http404("未找到该记录。")
        return found

    @extend_schema(request=TakeOverSerializer, responses={201: ItemSerializer})
    @action(detail=True, methods=["post"], url_path="take-over")
    def take_over(self, request, pk=None):
        """签收：纳入本人督办的、属于接收单位的台账，成为其中的一项（草稿，由本单位交办）。"""
        handover = self._receivable(pk)
        serializer = TakeOverSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        received = services.take_over(handover, actor=request.user, **serializer.validated_data)
        item = Item.objects.restrict(request.user, Action.VIEW).with_light().get(pk=received.pk)
        return Response(
            ItemSerializer(item, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ReturnHandoverSerializer, responses=HandoverSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """退回：须填写理由（如“不属于本单位职责”），上级督办人会收到通知。"""
        handover = self._receivable(pk)
        serializer = ReturnHandoverSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        handover = services.return_handover(
            handover, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(HandoverSerializer(handover).data)


class ItemViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """督办事项：列表可按 ledger、q、unit、owner、light、state、deadline_after、deadline_before、tag 筛选。"""

    serializer_class = ItemSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        user, today = self.request.user, timezone.localdate()
        if self.action != "list":
            return Item.objects.restrict(user, Action.VIEW).with_light(today).for_api()
        # A malformed filter answers 400 naming it, never a list it silently did not filter.
        form = ItemFilterForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        ledger = self.request.query_params.get("ledger")
        if ledger:
            if not ledger.isdecimal():
                raise ValidationError({"ledger": ["请提供台账ID（整数）。"]})
            queryset = Item.objects.restrict(user, Action.VIEW, ledger=int(ledger))
        else:
            queryset = Item.objects.restrict(user, Action.VIEW)
        items = filter_items(queryset.with_light(today), form.cleaned_data)
        return items.for_api().only(*LISTED_COLUMNS)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        ledger = data.pop("ledger")
        data.pop("version", None)
        serializer.instance = services.add_item(
            ledger,
            actor=self.request.user,
            co_units=data.pop("co_units", []),
            owners=data.pop("owners", []),
            **data,
        )

    def update(self, request, *args, **kwargs):
        item = self.get_object()
        if not services.is_supervisor(request.user, item):
            raise services.NotAllowed("只有督办人可以修改事项。")
        serializer = self.get_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:
            raise InvalidInput("修改事项须提供 version（读取时的版本号），以免覆盖他人的修改。")
        for fixed in ("ledger", "parent"):
            data.pop(fixed, None)
        try:
            services.update_item(
                item,
                actor=request.user,
                version=data.pop("version"),
                co_units=data.pop("co_units", None),
                owners=data.pop("owners", None),
                **data,
            )
        except StaleEdit as error:
            # The caller gets what is stored now, to merge their change into and try again.
            current = self.get_serializer(self.get_queryset().get(pk=item.pk)).data
            return Response(
                {"detail": error.message, "current": current}, status=status.HTTP_409_CONFLICT
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(methods=["GET"], responses=ExtensionSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ExtensionSerializer, responses={201: ExtensionSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def extensions(self, request, pk=None):
        """延期申请：GET 列出本事项的延期申请；POST 由责任人申请延期（requested_deadline、reason）。"""
        item = self.get_object()
        if request.method == "GET":
            return Response(
                ExtensionSerializer(
                    item.extensions.select_related("requested_by", "decided_by"), many=True
                ).data
            )
        serializer = ExtensionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        extension = services.request_extension(
            item,
            actor=request.user,
            deadline=serializer.validated_data["requested_deadline"],
            reason=serializer.validated_data["reason"],
        )
        return Response(ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExtensionDecisionSerializer, responses=ExtensionSerializer)
    @action(detail=True, methods=["post"], url_path="extension-decision")
    def extension_decision(self, request, pk=None):
        """审批延期申请：督办人批准（approve=true）或不予批准（须填 comment）。"""
        item = self.get_object()
        serializer = ExtensionDecisionSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        extension = services.decide_extension(item, actor=request.user, **serializer.validated_data)
        return Response(ExtensionSerializer(extension).data)

    @extend_schema(request=OwnersSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def owners(self, request, pk=None):
        """指定责任人：牵头单位的督办联络员（或本台账督办人）为交办本单位的事项指定承办人。"""
        item = self.get_object()
        serializer = OwnersSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        services.name_owners(item, actor=request.user, owners=serializer.validated_data["owners"])
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(request=DecomposeItemSerializer, responses={201: ItemSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def decompose(self, request, pk=None):
        """层层分解：牵头单位的领导或督办联络员把收到的事项分解给本单位（含下级）的单位和人员，
        并督办这些子事项（assign=true 时分解后立即交办）。"""
        item = self.get_object()
        if not services.may_decompose(request.user, item):  # before naming units it cannot see
            raise services.NotAllowed(
                "只有牵头单位的领导或督办联络员可以分解该事项，且事项须在办理中。"
            )
        serializer = DecomposeItemSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        children = services.decompose(
            item,
            actor=request.user,
            parts=[services.SubItem(**part) for part in serializer.validated_data["parts"]],
            assign=serializer.validated_data["assign"],
        )
        fresh = self.get_queryset().filter(pk__in=[child.pk for child in children])
        return Response(
            self.get_serializer(fresh.order_by("sort_key"), many=True).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=HandOverSerializer, responses={201: HandoverSerializer})
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, pk=None):
        """交下级单位台账：督办人把事项交给本台账单位的下级单位（如直属单位），由其督办员签收纳入自己的台账或退回。"""
        item = self.get_object()
        serializer = HandOverSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        handover = services.hand_over(item, actor=request.user, **serializer.validated_data)
        return Response(HandoverSerializer(handover).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransitionSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """交办 / 签收 / 开始办理 / 申请办结 / 销号 / 退回。"""
        item = self.get_object()
        serializer = TransitionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        services.transition(
            item,
            serializer.validated_data.pop("action"),
            actor=request.user,
            **serializer.validated_data,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(methods=["GET"], responses=ReportSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=ReportSerializer,
        responses={201: ReportSerializer, 200: ReportSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def reports(self, request, pk=None):
        """进展报送：同一 submission_key 重复提交只保存一次（返回 200 和原记录）。"""
        item = self.get_object()
        if request.method == "GET":
            return Response(
                ReportSerializer(item.reports.select_related("reported_by"), many=True).data
            )
        serializer = ReportSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        report, created = services.submit_report(
            item, actor=request.user, **serializer.validated_data
        )
        return Response(
            ReportSerializer(report).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        """办理过程（时间线）。"""
        return Response(
            EventSerializer(self.get_object().events.select_related("actor"), many=True).data
        )

    @extend_schema(methods=["GET"], responses=AttachmentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentSerializer},
        responses={201: AttachmentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
    )
    def attachments(self, request, pk=None):
        """附件与佐证材料（下载经 /ledger/attachments/<id>/，同样按可见范围控制）。"""
        item = self.get_object()
        if request.method == "GET":
            return Response(AttachmentSerializer(item.attachments.all(), many=True).data)
        serializer = AttachmentSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        if not (
            services.is_owner(request.user, item) or services.is_supervisor(request.user, item)
        ):
            raise services.NotAllowed("只有责任人或督办人可以上传附件。")
        with transaction.atomic():
            attachment = services.attach(
                item,
                actor=request.user,
                upload=serializer.validated_data["file"],
                is_evidence=serializer.validated_data.get("is_evidence", False),
            )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class DecomposeView(APIView):
    """任务分解：上传文件（multipart 的 file）或提交正文（text），返回提纲和可落实的条目，与
    `mofan decompose --format json` 相同。不保存任何内容。"""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={
            "multipart/form-data": DecomposeRequestSerializer,
            "application/json": DecomposeRequestSerializer,
        },
        responses=DecompositionResultSerializer,
    )
    def post(self, request):
        serializer = DecomposeRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        units = None
        if data.get("ledger") is not None:
            ledger = Ledger.objects.restrict(request.user, Action.SUPERVISE).filter(
                pk=data["ledger"]
            )
            if not ledger.exists():
                raise Http404
            units = decomposing.UnitTree(ledger.select_related("unit").get()).names
        try:
            if data.get("file") is not None:
                upload = data["file"]
                if upload.size > decomposing.MAX_UPLOAD_BYTES:
                    raise InvalidInput(decomposing.TOO_LARGE)
                paragraphs = docparse.read(
                    upload.read(), upload.name, limits=uploads.office_limits()
                ).paragraphs
            elif (data.get("text") or "").strip():
                paragraphs = decomposing.plain_text.lines(data["text"])
            else:
                raise InvalidInput("请上传文件（file）或提交文件正文（text）。")
            docparse.readable(paragraphs)
        except docparse.DocumentError as error:
            raise InvalidInput(error.message) from error
        result = docparse.decompose(
            paragraphs, on=data.get("date"), units=units, today=timezone.localdate()
        )
        return Response(result.as_dict())
