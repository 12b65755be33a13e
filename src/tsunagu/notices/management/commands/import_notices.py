from tsunagu.notices.management.importing import ImportCommand
from tsunagu.notices.services import notice_import


class Command(ImportCommand):
    help = "公募情報の CSV/XLSX を取り込みます。終了コード：0 全行成功、1 不正な行あり、2 ファイルを読めない。"
    label = "公募情報"

    def importer(self, **kwargs):
        return notice_import(**kwargs)
