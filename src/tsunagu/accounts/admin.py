from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AvailabilityWindow, Invitation, Membership, Organisation, PrivateNote, Profile, Skill, User, WorkerSkill


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Tsunagu", {"fields": ("display_name", "role")}))
    list_display = ("username", "display_name", "email", "role", "is_staff")
    list_filter = ("role", "is_staff", "is_active")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    inlines = [MembershipInline]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("name", "description")
    search_fields = ("name",)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "region", "weekly_hour_cap")
    search_fields = ("user__username", "user__display_name")


admin.site.register(WorkerSkill)
admin.site.register(PrivateNote)
admin.site.register(AvailabilityWindow)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "created_at", "expires_at", "accepted_at")
    readonly_fields = ("token",)
