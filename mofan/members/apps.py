from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "mofan.members"
    verbose_name = "党员队伍"

    def ready(self):
        from mofan.members.person_page import person_page_part
        from mofan.orgs.views.people import PERSON_PAGE_PARTS

        if person_page_part not in PERSON_PAGE_PARTS:
            PERSON_PAGE_PARTS.append(person_page_part)
