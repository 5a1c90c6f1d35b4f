"""Pages of 任务分解: upload or paste a document in a ledger, review what the parser found beside
the document's text, and create the accepted items in one step. Only the ledger's supervisors
get in; to everybody else a decomposition is as missing as one that does not exist."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from mofan.access.scoping import Action
from mofan.access.views_base import ScopedMixin
from mofan.core.errors import UserFacingError
from mofan.core.files import open_stored
from mofan.ledger import decomposition as decomposing
from mofan.ledger.choices import CandidateKind, CandidateStatus, DecompositionState
from mofan.ledger.forms import CandidateForm, CommitForm, DecomposeForm, SplitForm
from mofan.ledger.models import Attachment, Candidate, Decomposition, Source
from mofan.ledger.views.base import SupervisedLedgerMixin, ledger_crumbs
from mofan.orgs.models import Person

STATUS_FILTERS = {"": "全部", **dict(CandidateStatus.choices)}
KIND_FILTERS = {"": "全部类别", **dict(CandidateKind.choices)}
# Bands of the model's confidence, which is calibrated on the corpus's cross-validation (README
# "任务分解"): of the candidates shown at 0.9, about nine in ten are items.
CONFIDENCE_FILTERS = {
    "": ("全部置信度", 0.0, 1.01),
    "high": ("高（0.9 及以上）", 0.9, 1.01),
    "middle": ("中（0.7–0.9）", 0.7, 0.9),
    "low": ("低（0.7 以下）", 0.0, 0.7),
}
CARDS_PER_PAGE = 100  # a 100-page plan has some 1,700 items: the cards come a hundred at a time


class DecomposeView(SupervisedLedgerMixin, View):
    """Step 1: the document in."""

    def _render(self, request, ledger, form, status=200):
        context = {
            "ledger": ledger,
            "form": form,
            "drafts": Decomposition.objects.restrict(request.user, Action.SUPERVISE)
            .filter(ledger=ledger, state=DecompositionState.OPEN)
            .annotate(candidate_count=Count("candidates")),
            "breadcrumbs": ledger_crumbs(ledger, {"label": "分解文件", "url": ""}),
            # the form's fields other than the file, less room for the token and the date
            "max_form_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 4096,
        }
        return render(request, "ledger/decompose.html", context, status=status)

    def get(self, request, pk):
        return self._render(request, self.get_scoped_object(pk), DecomposeForm())

    def post(self, request, pk):
        ledger = self.get_scoped_object(pk)
        form = DecomposeForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, ledger, form, status=400)
        data = form.cleaned_data
        upload = data.get("file")
        try:
            if upload is not None and upload.size > decomposing.MAX_UPLOAD_BYTES:
                raise UserFacingError(decomposing.TOO_LARGE)
            started = decomposing.start(
                ledger,
                actor=request.user,
                data=upload.read() if upload is not None else None,
                name=upload.name if upload is not None else "",
                pasted=data.get("pasted") or "",
                on=data.get("issued_on"),
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, ledger, form, status=error.status_code)
        found = started.candidates.count()
        messages.success(
            request, f"已识别 {found} 个条目，请逐条核对：接受、排除或修改后，一次生成督办事项。"
        )
        return redirect("ledger:decomposition", pk=started.pk)


class SourceDecomposeView(ScopedMixin, View):
    """Decompose a document already kept with a source (one of its attachments)."""

    model = Source
    action = Action.SUPERVISE

    def post(self, request, pk, attachment):
        source = self.scoped_queryset().filter(pk=pk).select_related("ledger").first()
        document = (
            Attachment.objects.restrict(request.user, Action.SUPERVISE)
            .filter(pk=attachment, source=source)
            .first()
            if source
            else None
        )
        if document is None:
            raise Http404("未找到该记录。")
        try:
            with open_stored(document.file) as handle:
                data = handle.read()
            started = decomposing.start(
                source.ledger, actor=request.user, data=data, name=document.name, source=source
            )
        except UserFacingError as error:
            messages.error(request, error.message)
            return redirect("ledger:source", pk=source.pk)
        return redirect("ledger:decomposition", pk=started.pk)


class DecompositionMixin(ScopedMixin):
    model = Decomposition
    action = Action.SUPERVISE

    def get_decomposition(self, pk) -> Decomposition:
        return self.get_scoped_object(
            pk, queryset=self.scoped_queryset().select_related("ledger__unit")
        )


def _segments(decomposition: Decomposition, candidates: list[Candidate]) -> list[dict]:
    """The document's paragraphs, each cut into plain and marked runs where candidates lie, so
    that the text shows what was taken from it."""
    text = decomposition.text
    spans = sorted((c.start, c.end, c) for c in candidates if c.status != CandidateStatus.REJECTED)
    headings = {h["number"] + h["title"] for h in decomposing.flat_outline(decomposition.outline)}
    paragraphs, offset = [], 0
    cursor = 0  # next span to look at
    for number, paragraph in enumerate(text.split("\n")):
        start, end = offset, offset + len(paragraph)
        runs, position = [], start
        while cursor < len(spans) and spans[cursor][1] <= start:
            cursor += 1
        for span_start, span_end, candidate in spans[cursor:]:
            if span_start >= end:
                break
            a, b = max(span_start, position), min(span_end, end)
            if a >= b:
                continue
            if a > position:
                runs.append({"text": text[position:a]})
            runs.append({"text": text[a:b], "candidate": candidate})
            position = b
        if position < end:
            runs.append({"text": text[position:end]})
        heading = paragraph.strip() in headings  # a heading on a line of its own
        paragraphs.append({"number": number, "runs": runs, "heading": heading})
        offset = end + 1
    return paragraphs


def _errors(form) -> str:
    return "；".join(error for errors in form.errors.values() for error in errors)


def _counts(decomposition: Decomposition) -> dict:
    return decomposition.candidates.aggregate(
        total=Count("pk"),
        accepted=Count("pk", filter=Q(status=CandidateStatus.ACCEPTED)),
        rejected=Count("pk", filter=Q(status=CandidateStatus.REJECTED)),
        pending=Count("pk", filter=Q(status=CandidateStatus.PENDING)),
    )


def _candidates(decomposition: Decomposition, user):
    people = Person.objects.restrict(user, Action.VIEW).select_related("unit")
    return decomposition.candidates.select_related("lead_unit", "item").prefetch_related(
        Prefetch("co_units", to_attr="co_unit_list"),
        Prefetch("owners", queryset=people, to_attr="owner_list"),
    )


def _unit_options(request, decomposition: Decomposition) -> list[str]:
    from mofan.orgs.models import Unit

    units = (
        Unit.objects.restrict(request.user, Action.CHOOSE)
        .subtree(decomposition.ledger.unit)
        .order_by("path")
    )
    return [f"{u.name}（{u.code}）" for u in units]


def review_page(request, decomposition: Decomposition, status: int = 200):
    """The document and what was found in it, side by side (also answered, with a 4xx, after a
    refused change, with the reason above it)."""
    # An unknown filter value is read as no filter: these are links, never typed.
    shown_status = request.GET.get("status", "")
    shown_status = shown_status if shown_status in STATUS_FILTERS else ""
    shown_kind = request.GET.get("kind", "")
    shown_kind = shown_kind if shown_kind in KIND_FILTERS else ""
    band = request.GET.get("confidence", "")
    band = band if band in CONFIDENCE_FILTERS else ""
    _, low, high = CONFIDENCE_FILTERS[band]
    everything = list(_candidates(decomposition, request.user))
    for number, candidate in enumerate(everything, start=1):
        candidate.number = number
    shown = [
        c
        for c in everything
        if (not shown_status or c.status == shown_status)
        and (not shown_kind or c.kind == shown_kind)
        and low <= c.confidence < high
    ]
    query = {"status": shown_status, "kind": shown_kind, "confidence": band}
    page = Paginator(shown, CARDS_PER_PAGE).get_page(request.GET.get("page"))
    for index, candidate in enumerate(shown):  # where the document's marks link to
        candidate.href = "?" + urlencode({**query, "page": index // CARDS_PER_PAGE + 1})
        candidate.href += f"#c-{candidate.pk}"
    ledger = decomposition.ledger
    context = {
        "decomposition": decomposition,
        "ledger": ledger,
        "paragraphs": _segments(decomposition, everything),
        "candidates": page.object_list,
        "page": page,
        "counts": _counts(decomposition),
        "status": shown_status,
        "filters": [
            [
                (label, "?" + urlencode({**query, name: value}), value == query[name])
                for value, label in choices.items()
            ]
            for name, choices in (
                ("status", STATUS_FILTERS),
                ("kind", KIND_FILTERS),
                ("confidence", {k: v[0] for k, v in CONFIDENCE_FILTERS.items()}),
            )
        ],
        "filtered": any(query.values()),
        "unit_options": _unit_options(request, decomposition),
        "is_open": decomposition.state == DecompositionState.OPEN,
        "commit_form": CommitForm(
            initial={
                "title": decomposition.title or decomposition.file_name,
                "reference": decomposition.reference,
                "issued_on": decomposition.issued_on,
            }
        ),
        "breadcrumbs": ledger_crumbs(
            ledger,
            {"label": "分解文件", "url": reverse("ledger:decompose", args=[ledger.pk])},
            {"label": str(decomposition), "url": ""},
        ),
    }
    return render(request, "ledger/decomposition.html", context, status=status)


class DecompositionView(DecompositionMixin, View):
    def get(self, request, pk):
        return review_page(request, self.get_decomposition(pk))


class CandidateView(DecompositionMixin, View):
    """One candidate: accept, reject, put back, correct or split it. With htmx the card is
    answered alone (and the counts beside it); without, the review page again."""

    def get_candidate(self, pk, candidate_pk) -> tuple[Decomposition, Candidate]:
        decomposition = self.get_decomposition(pk)
        candidate = _candidates(decomposition, self.request.user).filter(pk=candidate_pk).first()
        if candidate is None:
            raise Http404("未找到该记录。")
        return decomposition, candidate

    def _card(self, request, decomposition, candidate, *, form=None, error="", status=200):
        if not request.htmx:
            if error:
                messages.error(request, error)
                return review_page(request, decomposition, status=status)
            return redirect(
                reverse("ledger:decomposition", args=[decomposition.pk]) + f"#c-{candidate.pk}"
            )
        candidate = _candidates(decomposition, request.user).get(pk=candidate.pk)
        candidate.number = request.POST.get("number", "")
        context = {
            "decomposition": decomposition,
            "c": candidate,
            "form": form,
            "error": error,
            "counts": _counts(decomposition),
            "is_open": decomposition.state == DecompositionState.OPEN,
            "oob": True,
        }
        return render(request, "ledger/_candidate.html", context, status=status)

    def post(self, request, pk, candidate_pk):
        decomposition, candidate = self.get_candidate(pk, candidate_pk)
        what = request.POST.get("what", "")
        version = request.POST.get("version", "")
        version = int(version) if version.isdecimal() else None
        try:
            if what in CandidateStatus.values:
                decomposing.review(candidate, actor=request.user, status=what, version=version)
            elif what == "edit":
                tree = decomposing.UnitTree(decomposition.ledger)
                form = CandidateForm(
                    request.POST, tree=tree, user=request.user, ledger=decomposition.ledger
                )
                if not form.is_valid():
                    return self._card(
                        request,
                        decomposition,
                        candidate,
                        form=form,
                        error=_errors(form),
                        status=400,
                    )
                data = form.cleaned_data
                decomposing.edit(
                    candidate,
                    actor=request.user,
                    version=data["version"],
                    text=data["text"],
                    kind=data["kind"],
                    lead_unit=data["lead_unit_obj"],
                    co_units=data["co_unit_objs"],
                    deadline=data["deadline"],
                    deadline_text=data["deadline_text"],
                    ongoing=data["ongoing"],
                    owners=list(data["owners"]),
                )
            elif what == "split":
                form = SplitForm(request.POST)
                if not form.is_valid():
                    raise UserFacingError("拆分时请把条目分成至少两行，每行一条。")
                decomposing.split(
                    candidate,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    parts=form.cleaned_data["parts"].splitlines(),
                )
                messages.success(request, "已拆分。")
                return redirect(
                    reverse("ledger:decomposition", args=[decomposition.pk]) + f"#c-{candidate.pk}"
                )
            else:
                raise UserFacingError("操作无效。")
        except UserFacingError as error:
            return self._card(
                request, decomposition, candidate, error=error.message, status=error.status_code
            )
        return self._card(request, decomposition, candidate)


class DecompositionActionView(DecompositionMixin, View):
    """Actions over the whole decomposition: accept or reject the pending ones, merge the ticked
    ones, create the items, or give the decomposition up."""

    def post(self, request, pk, action):
        decomposition = self.get_decomposition(pk)
        back = reverse("ledger:decomposition", args=[decomposition.pk])
        try:
            if action == "accept-all":
                minimum = float(request.POST.get("minimum") or 0)
                done = decomposing.review_all(
                    decomposition,
                    actor=request.user,
                    status=CandidateStatus.ACCEPTED,
                    minimum=minimum,
                )
                messages.success(request, f"已接受 {done} 个条目。")
            elif action == "reject-pending":
                done = decomposing.review_all(
                    decomposition, actor=request.user, status=CandidateStatus.REJECTED
                )
                messages.success(request, f"已排除 {done} 个待审核条目。")
            elif action == "merge":
                ids = [int(i) for i in request.POST.getlist("candidates") if i.isdecimal()]
                chosen = list(decomposition.candidates.filter(pk__in=ids))
                if len(chosen) != len(set(ids)):
                    raise Http404("未找到该记录。")
                merged = decomposing.merge(chosen, actor=request.user)
                messages.success(request, f"已将 {len(chosen)} 个条目合并为一条。")
                back += f"#c-{merged.pk}"
            elif action == "commit":
                form = CommitForm(request.POST)
                if not form.is_valid():
                    raise UserFacingError(_errors(form))
                source, items = decomposing.commit(
                    decomposition, actor=request.user, **form.cleaned_data
                )
                top = [item.number for item in items if item.parent_id is None]
                numbers = top[0] if len(top) == 1 else f"{top[0]}—{top[-1]}"
                below = len(items) - len(top)
                messages.success(
                    request,
                    f"已生成 {len(items)} 项督办事项（草稿，序号 {numbers}"
                    + (f"，其中子事项 {below} 项" if below else "")
                    + "），核对后即可交办。",
                )
                return redirect("ledger:source", pk=source.pk)
            elif action == "discard":
                decomposing.discard(decomposition, actor=request.user)
                messages.success(request, "已放弃本次分解。")
                return redirect("ledger:detail", pk=decomposition.ledger_id)
            else:
                raise Http404("未找到该记录。")
        except ValueError:
            messages.error(request, "置信度须为 0 到 1 之间的数。")
            return review_page(request, decomposition, status=400)
        except UserFacingError as error:
            messages.error(request, error.message)
            decomposition.refresh_from_db()
            return review_page(request, decomposition, status=error.status_code)
        return redirect(back)
