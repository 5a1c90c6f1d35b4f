from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "mofan.recruitment"
    verbose_name = "发展党员"

    def ready(self):
        from mofan.orgs.views.people import PERSON_PAGE_PARTS
        from mofan.recruitment.person_page import person_page_part

        if person_page_part not in PERSON_PAGE_PARTS:
            PERSON_PAGE_PARTS.append(person_page_part)
