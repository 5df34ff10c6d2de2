from django.contrib.auth.backends import ModelBackend


class AuthenticationBackend(ModelBackend):
    """Check usernames and passwords only; grant no permissions.

    Every permission comes from the rules in ``portfolio.core.permissions`` (through
    ``rules.permissions.ObjectPermissionBackend``), so per-user or per-group permission
    rows in the database can never widen what the rules allow.
    """

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False
