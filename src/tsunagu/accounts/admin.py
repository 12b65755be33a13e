from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Tsunagu", {"fields": ("display_name", "role")}))
    list_display = ("username", "display_name", "email", "role", "is_staff")
    list_filter = ("role", "is_staff", "is_active")
