from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "mofan.recruitment"
    verbose_name = "发展党员"

    def ready(self):
        from mofan.meetings.compliance import OVERLAYS, Overlay
        from mofan.orgs.views.people import PERSON_PAGE_PARTS
        from mofan.recruitment import heatmap
        from mofan.recruitment.person_page import person_page_part

        if person_page_part not in PERSON_PAGE_PARTS:
            PERSON_PAGE_PARTS.append(person_page_part)
        if not any(o.name == heatmap.NAME for o in OVERLAYS):
            OVERLAYS.append(Overlay(heatmap.NAME, heatmap.overdue, heatmap.in_month))
