from django.contrib import admin

from .models import Award, ImportRun, Notice, NoticeRevision, Organisation


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0
    autocomplete_fields = ["winner"]
    fields = ["winner", "amount_yen", "amount_tax_basis", "estimated_value_yen", "estimated_value_tax_basis", "bidders",
              "awarded_on", "score"]


class RevisionInline(admin.TabularInline):
    model = NoticeRevision
    extra = 0
    can_delete = False
    fields = ["changed_at", "kind", "changed_by", "source", "note", "changes"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "kind", "published_on", "submission_deadline", "budget_yen", "is_demo"]
    list_filter = ["kind", "is_demo", "cancelled", "municipality__prefecture"]
    search_fields = ["title", "external_id", "municipality__name", "department"]
    date_hierarchy = "published_on"
    list_select_related = ["municipality__prefecture"]
    raw_id_fields = ["municipality", "created_by", "import_run"]
    readonly_fields = ["fingerprint", "title_key", "created_at", "updated_at", "source"]
    inlines = [AwardInline, RevisionInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "corporate_number", "is_demo"]
    search_fields = ["name", "normalized_name", "corporate_number"]
    readonly_fields = ["normalized_name", "created_at", "updated_at"]


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["notice", "winner", "amount_yen", "estimated_value_yen", "awarded_on"]
    search_fields = ["notice__title", "winner__name", "winner__corporate_number"]
    raw_id_fields = ["notice", "winner", "created_by", "import_run"]
    list_select_related = ["notice", "winner"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "filename", "status", "created", "updated", "unchanged", "rejected", "created_by"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
