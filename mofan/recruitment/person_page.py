"""What a person's page (orgs:person_detail) shows of 发展党员: their file, for those who keep
it and for the person themself. Registered into orgs' PERSON_PAGE_PARTS by this app's ready()."""

from mofan.access.scoping import Action
from mofan.recruitment.models import Applicant


def person_page_part(user, person, membership) -> dict:
    application = (
        Applicant.objects.restrict(user, Action.VIEW)
        .filter(person=person)
        .order_by("-applied_on", "-pk")
        .first()
    )
    return {"application": application}
