from django.contrib import admin

from .models import ChangeRequest, Handoff, Project, Submission, TeamFeedback, TeamMember, Terms, TimeEntry, WorkElement


class TermsInline(admin.StackedInline):
    model = Terms
    extra = 0


class TeamInline(admin.TabularInline):
    model = TeamMember
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "owner", "coordinator", "status", "deadline", "budget_yen")
    list_filter = ("status",)
    inlines = [TermsInline, TeamInline]


@admin.register(WorkElement)
class WorkElementAdmin(admin.ModelAdmin):
    list_display = ("title", "project", "primary", "backup", "status", "due_on")
    list_filter = ("status",)
    search_fields = ("title",)


for model in (Submission, ChangeRequest, Handoff, TimeEntry, TeamFeedback):
    admin.site.register(model)
