from mofan.meetings import notices
from mofan.notify.commands import DailyReminderCommand


class Command(DailyReminderCommand):
    help = "提醒尚未完成本月、本季度、本年度组织生活的党组织书记（每天运行一次；重复运行不会重复发送）。"

    def remind(self, today) -> str:
        counts = notices.period_reminders(today)
        return f"尚未完成的组织生活要求 {counts['gaps']} 项，发出提醒 {counts['notices']} 条"
