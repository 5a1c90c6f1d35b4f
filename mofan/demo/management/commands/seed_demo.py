from django.core.management.base import BaseCommand
from tqdm import tqdm

from mofan.assessment.demo import seed_small as seed_assessment
from mofan.assessment.demo_large import LargeAssessmentSeeder
from mofan.discipline.demo import seed_small as seed_discipline
from mofan.discipline.demo_large import LargeDisciplineSeeder
from mofan.dues.demo import seed_small as seed_dues
from mofan.dues.demo_large import LargeDuesSeeder
from mofan.inspection.demo import seed_small as seed_inspection
from mofan.ledger import board
from mofan.ledger.demo import seed_small as seed_ledger
from mofan.ledger.demo_large import LargeLedgerSeeder
from mofan.meetings import kept
from mofan.meetings.demo import seed_small as seed_meetings
from mofan.meetings.demo_large import LargeMeetingSeeder
from mofan.members.demo import seed_small as seed_transfers
from mofan.members.demo_large import LargeTransferSeeder
from mofan.orgs.demo.seed import Seeder, create_personas, personas_table
from mofan.recruitment.demo import seed_small as seed_recruitment
from mofan.recruitment.demo_large import LargeRecruitmentSeeder


class Command(BaseCommand):
    help = "生成演示数据（固定随机种子，可重复执行）：small 为一个机关约 300 人；large 为 10 万人、1 万个党组织、2 千个单位。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "large"], default="small")
        parser.add_argument("--quiet", action="store_true", help="不显示进度条")
        parser.add_argument(
            "--ledger-items", type=int, default=1_000_000, help="large：督办事项数（默认 100 万）"
        )
        parser.add_argument(
            "--ledger-reports", type=int, default=5_000_000, help="large：进展报送数（默认 500 万）"
        )
        parser.add_argument(
            "--meetings", type=int, default=1_500_000, help="large：三年的会议数（默认 150 万）"
        )

    def handle(self, *args, scale, quiet, ledger_items, ledger_reports, meetings, **options):
        seeder = Seeder(scale)
        if seeder.already_seeded():
            self.stdout.write(f"演示数据（{scale}）已存在，跳过生成。")
        else:
            with tqdm(
                total=seeder.total_steps, desc=f"生成演示数据（{scale}）", unit="行", disable=quiet
            ) as bar:
                seeder.progress = bar.update
                counts = seeder.run()
            self.stdout.write(
                self.style.SUCCESS(
                    f"已生成：单位 {counts['units']} 个，党组织 {counts['orgs']} 个，人员 {counts['people']} 人，党员 {counts['members']} 人。"
                )
            )
        if scale == "large":
            ledgers = LargeLedgerSeeder(items=ledger_items, reports=ledger_reports)
            if ledgers.already_seeded():
                self.stdout.write("督办台账演示数据已存在，跳过生成。")
            else:
                with tqdm(
                    total=ledgers.total_steps, desc="生成督办台账", unit="行", disable=quiet
                ) as bar:
                    ledgers.progress = bar.update
                    counts = ledgers.run()
                self.stdout.write(
                    self.style.SUCCESS(
                        f"已生成：台账 {counts['ledgers']} 本，督办事项 {counts['items']} 项，进展报送 {counts['reports']} 条。"
                    )
                )
        if scale == "large":
            lives = LargeMeetingSeeder(meetings=meetings)
            if lives.already_seeded():
                self.stdout.write("组织生活演示数据已存在，跳过生成。")
            else:
                with tqdm(
                    total=lives.total_steps, desc="生成组织生活", unit="次", disable=quiet
                ) as bar:
                    lives.progress = bar.update
                    counts = lives.run()
                self.stdout.write(
                    self.style.SUCCESS(
                        f"已生成：会议 {counts['meetings']} 次，出席记录 {counts['attendance']} 条。"
                    )
                )
                # The meetings were written in bulk, past the services that keep the results.
                written = kept.recount_all()
                self.stdout.write(f"已计算组织生活合规结果 {written} 条。")
        if scale == "large":
            for seeder, what, desc, done in (
                (LargeDuesSeeder(), "党费", "生成党费",
                 "党费基数 {bases} 条，党费交纳记录 {payments} 条"),
                (LargeTransferSeeder(), "组织关系转接", "生成组织关系转接",
                 "组织关系转接 {transfers} 件，失联党员 {lost} 人"),
                (LargeRecruitmentSeeder(), "发展党员", "生成发展党员档案",
                 "发展党员档案 {files} 份，步骤记录 {steps} 条"),
                (LargeAssessmentSeeder(), "考核评价", "生成考核评价",
                 "考核指标 {indicators} 项，被考核组织 {targets} 个"),
                (LargeDisciplineSeeder(), "巡视巡察和监督执纪", "生成巡视巡察和监督执纪",
                 "巡察轮次 {rounds} 轮、巡察对象 {targets} 个、发现问题 {findings} 个，问题线索 {leads} 件，"
                 "个人有关事项报告 {reports} 份"),
            ):  # fmt: skip
                self._seed(seeder, what, desc, done, quiet)
        if scale == "small":
            create_personas()
            seed_ledger()
            seed_meetings()
            seed_dues(personas_table()[0]["password"])
            seed_transfers()
            seed_recruitment()
            kept.recount_all()  # demo meetings are written with their dates, some in bulk
            seed_assessment()  # scored from the kept compliance counted just above
            seed_inspection()
            seed_discipline()
            # The supervisor board's figures, as the minute's job would have kept them: the first
            # page that shows them reads them instead of counting (and a backup holds them).
            board.refresh_due()
            self.stdout.write(f"演示账户（密码均为 {personas_table()[0]['password']}）：")
            for row in personas_table():
                self.stdout.write(f"  {row['username']:<12} {row['name']:<8} {row['who']}")

    def _seed(self, seeder, what: str, desc: str, done: str, quiet: bool) -> None:
        """One bulk seeder of the large data set, skipped when its data is there."""
        if seeder.already_seeded():
            self.stdout.write(f"{what}演示数据已存在，跳过生成。")
            return
        with tqdm(total=seeder.total_steps, desc=desc, disable=quiet) as bar:
            seeder.progress = bar.update
            counts = seeder.run()
        self.stdout.write(self.style.SUCCESS("已生成：" + done.format(**counts) + "。"))
