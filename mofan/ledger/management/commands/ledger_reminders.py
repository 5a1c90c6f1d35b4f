from mofan.ledger import notices
from mofan.notify.commands import DailyReminderCommand


class Command(DailyReminderCommand):
    help = "发送督办事项的到期、超期提醒和超期升级（每天运行一次；重复运行不会重复发送）。"

    def remind(self, today) -> str:
        counts = notices.daily_reminders(today)
        return (
            f"到期提醒 {counts['due']} 条，超期提醒 {counts['overdue']} 条，"
            f"升级督办 {counts['escalated']} 条"
        )
