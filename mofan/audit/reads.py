"""A REST viewset's reads audited one by one."""

from rest_framework.response import Response

from mofan.audit import services as audit


class AuditedReads:
    """For the most sensitive records (巡视巡察, 监督执纪): every read leaves a record of who read
    what — retrieve() of the one, list() of each on the page it answers. `viewed` names the
    audit action."""

    viewed = ""

    def _valid(self, serializer_class) -> dict:
        """The request's body, checked by the serializer (a 400 in Chinese otherwise)."""
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit.record(request.user, self.viewed, obj)
        return Response(self.get_serializer(obj).data)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        audit.record_reads(request.user, self.viewed, rows)
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)
