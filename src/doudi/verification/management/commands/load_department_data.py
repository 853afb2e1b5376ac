"""doudi load_department_data FILE --department tax [--region 150702000000]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from doudi.regions.models import Region
from doudi.registry.io.reader import UnreadableFile
from doudi.verification.choices import DataDepartment
from doudi.verification.loader import DepartmentFileError, department_file_load


class Command(BaseCommand):
    help = "导入部门核对数据文件（CSV / Excel / JSON，格式见 docs/verification.md）；任何一行有误则整个文件不导入"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--department", required=True, choices=DataDepartment.values)
        parser.add_argument("--region", default="", help="导入单位所在区划代码（县级），用于批次列表的辖区范围")

    def handle(self, *args, file: str, department: str, region: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        region_obj = None
        if region:
            region_obj = Region.objects.filter(code=region).first()
            if region_obj is None:
                raise CommandError(f"区划代码不存在：{region}")
        try:
            result = department_file_load(
                actor=None, department=department, filename=path.name, data=path.read_bytes(), region=region_obj
            )
        except DepartmentFileError as exc:
            raise CommandError("\n".join([exc.message, *exc.errors])) from None
        except UnreadableFile as exc:
            raise CommandError(exc.message) from None
        if result.already_loaded:
            self.stdout.write(f"该文件已导入过（批次 {result.batch.pk}，{result.rows} 条），未重复导入")
        else:
            self.stdout.write(self.style.SUCCESS(f"已导入 {result.rows} 条记录（批次 {result.batch.pk}）"))
