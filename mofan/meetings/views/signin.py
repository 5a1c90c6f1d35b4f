"""QR sign-in: the recorder shows the code on the screen of the meeting room; members open it on
their phones and sign in with one tap. The code opens only the meeting it was made for, and only
from half an hour before the start to half an hour after the end."""

import segno
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action
from mofan.core.errors import UserFacingError
from mofan.meetings import services
from mofan.meetings.views.base import MeetingMixin, meeting_crumbs


class QRView(MeetingMixin, View):
    """The code for the room's screen, with the count of who has signed in (refreshed by htmx)."""

    def get(self, request, pk):
        meeting = self.get_meeting(pk, action=Action.RECORD)
        url = request.build_absolute_uri(
            reverse("meetings:sign_in", args=[services.sign_in_token(meeting)])
        )
        context = {
            "meeting": meeting,
            "url": url,
            "qr_svg": segno.make(url, error="m").svg_inline(scale=8, border=2),
            "open": services.sign_in_open(meeting),
            "breadcrumbs": meeting_crumbs(meeting, {"label": "签到二维码", "url": ""}),
        }
        if request.htmx:
            return render(request, "meetings/_signin_count.html", context)
        return render(request, "meetings/qr.html", context)


class SignInView(LoginRequiredMixin, View):
    """What a member's phone opens from the QR code. GET shows the meeting and one button; POST
    signs in. A bad or expired code says so, in Chinese, with a 4xx."""

    def _render(self, request, context, status=200):
        # The phone's tap posts by htmx and gets the card back, without the page around it
        # (a 200-person room signs in within a minute; each answer should be cheap).
        template = "meetings/_sign_in_card.html" if request.htmx else "meetings/sign_in.html"
        return render(request, template, context, status=status)

    def get(self, request, token):
        try:
            meeting = services.meeting_for_token(token)
            services.attendee(meeting, request.user)  # only those expected see the meeting
        except UserFacingError as error:
            return self._render(request, {"error": error.message}, status=error.status_code)
        return self._render(
            request,
            {"meeting": meeting, "token": token, "open": services.sign_in_open(meeting)},
        )

    def post(self, request, token):
        try:
            meeting, new = services.sign_in(token, user=request.user)
        except UserFacingError as error:
            return self._render(request, {"error": error.message}, status=error.status_code)
        return self._render(
            request,
            {"meeting": meeting, "signed": True, "new": new, "at": timezone.localtime()},
        )
