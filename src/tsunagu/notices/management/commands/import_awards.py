from tsunagu.notices.management.importing import ImportCommand
from tsunagu.notices.services import award_import


class Command(ImportCommand):
    help = "落札結果の CSV/XLSX を取り込みます。終了コード：0 全行成功、1 不正な行あり、2 ファイルを読めない。"
    label = "落札結果"

    def importer(self, **kwargs):
        return award_import(**kwargs)
