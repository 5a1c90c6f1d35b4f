from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from mofan.core.views_base import paginate
from mofan.notify.models import Notification


@login_required
def inbox(request):
    """The user's own notices; opening one marks it read."""
    mine = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        if request.POST.get("all") == "1":
            mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        else:
            notice = mine.filter(pk=request.POST.get("id")).first()
            if notice is not None:
                if notice.read_at is None:
                    notice.read_at = timezone.now()
                    notice.save(update_fields=["read_at"])
                if notice.url:
                    return redirect(notice.url)
        return redirect("notify:inbox")
    return render(
        request,
        "notify/inbox.html",
        {"page": paginate(request, mine), "breadcrumbs": [{"label": "通知", "url": ""}]},
    )
