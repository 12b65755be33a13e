from django.contrib import admin

from .models import Municipality, Prefecture, Ward
from .selectors import municipality_search


@admin.register(Prefecture)
class PrefectureAdmin(admin.ModelAdmin):
    list_display = ("code", "lg_code", "name", "kana", "name_en")
    search_fields = ("name", "short_name", "kana", "lg_code", "name_en")
    ordering = ("code",)


class WardInline(admin.TabularInline):
    model = Ward
    fields = ("lg_code", "name", "kana", "website_url")
    extra = 0
    show_change_link = True


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("lg_code", "name", "prefecture", "level", "kana", "website_url")
    list_filter = ("level", "prefecture")
    list_select_related = ("prefecture",)
    search_fields = ("name", "kana", "lg_code")
    ordering = ("lg_code",)
    inlines = (WardInline,)

    def get_queryset(self, request):
        # __str__ is the full name, which needs the prefecture (autocomplete widgets list 20 at a time).
        return super().get_queryset(request).select_related("prefecture")

    def get_search_results(self, request, queryset, search_term):
        """Also match 「東京都千代田区」, katakana and full-width text, as the selector does."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            results = results | queryset.filter(pk__in=municipality_search(search_term).values("pk"))
        return results, may_have_duplicates


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ("lg_code", "name", "city", "kana", "website_url")
    list_filter = (
        ("city", admin.RelatedOnlyFieldListFilter),
        ("city__prefecture", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("city__prefecture",)
    search_fields = ("name", "kana", "lg_code", "city__name")
    autocomplete_fields = ("city",)
    ordering = ("lg_code",)
