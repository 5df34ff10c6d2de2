"""The API's permission class: asks the rules of ``portfolio.core.permissions``, like pages and admin do."""

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

WRITE_VERBS = {"PUT": "change", "PATCH": "change", "DELETE": "delete"}


class RulesPermission(BasePermission):
    """Map each request to a Django permission name and ask ``user.has_perm(perm, obj)``.

    For the view's model ``<app>.<model>``:

    ==========================  ===========================  =====================================
    request                     permission                   object passed to the rule
    ==========================  ===========================  =====================================
    GET, HEAD, OPTIONS          ``<app>.view_<model>``       none, then the object on a detail
    POST on the collection      ``<app>.add_<model>``        ``view.get_permission_object_for_create(request)``
                                                             if the view has it, else none
    POST on one object          ``<app>.change_<model>``     the object (e.g. ``features/{id}/move/``)
    PUT, PATCH                  ``<app>.change_<model>``     the object
    DELETE                      ``<app>.delete_<model>``     the object
    ==========================  ===========================  =====================================

    Hooks a view may provide:

    - ``get_permission_object_for_create(request)``: the parent the new row will hang on, read from the
      payload (the product of a new feature, the project of a new milestone). Return None when the payload
      names no valid parent: the rule then answers "may add some?" and the serializer reports the 400.
      Without the hook any user who may add *some* row may add one anywhere, so child collections need it.
    - ``action_permissions = {"approve": "programs.decide_resourcerequest", …}``: the permission of a custom
      action, checked on the object for detail actions and with the create hook's object otherwise.

    Object checks happen in ``get_object()``, as always with DRF: a detail action must call it. A change
    that moves a row to another parent (``PATCH {"product": …}``) must also check ``add_<model>`` on the new
    parent in the view. Anonymous users get 401, signed-in users without the permission 403.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if getattr(view, "_ignore_model_permissions", False):  # DefaultRouter's API root
            return True
        perm = self.required_permission(request, view)
        if request.method in SAFE_METHODS:
            return user.has_perm(perm)
        if self.acts_on_object(view):
            return True  # decided by has_object_permission once the view has loaded the object
        return user.has_perm(perm, self.permission_object_for_create(request, view))

    def has_object_permission(self, request, view, obj) -> bool:
        return request.user.has_perm(self.required_permission(request, view), obj)

    def required_permission(self, request, view) -> str:
        """The permission name this request needs, e.g. ``products.change_feature``."""
        custom = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if custom:
            return custom
        if request.method in SAFE_METHODS:
            verb = "view"
        elif request.method == "POST":
            verb = "change" if self.acts_on_object(view) else "add"
        elif request.method in WRITE_VERBS:
            verb = WRITE_VERBS[request.method]
        else:
            raise exceptions.MethodNotAllowed(request.method)
        opts = self.model(view)._meta
        return f"{opts.app_label}.{verb}_{opts.model_name}"

    @staticmethod
    def acts_on_object(view) -> bool:
        """Whether the request addresses one object (a viewset's detail route, or a lookup in the URL)."""
        detail = getattr(view, "detail", None)
        if detail is not None:
            return bool(detail)
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")
        return lookup in (getattr(view, "kwargs", None) or {})

    @staticmethod
    def permission_object_for_create(request, view):
        hook = getattr(view, "get_permission_object_for_create", None)
        return hook(request) if hook is not None else None

    @staticmethod
    def model(view):
        queryset = view.get_queryset() if hasattr(view, "get_queryset") else getattr(view, "queryset", None)
        assert queryset is not None, f"{type(view).__name__} needs a queryset to use RulesPermission."
        return queryset.model
