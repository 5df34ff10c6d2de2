"""Who may do what (DESIGN §4): every object-level rule of the application, in one place.

The rules are registered with the ``rules`` package under Django's own permission names
(``products.change_feature``, ``programs.decide_resourcerequest``, …), so that
``user.has_perm(perm, obj)`` gives pages, the API (``portfolio.core.api.permissions.RulesPermission``)
and the admin the same answer.

How to ask:

- ``view_<model>``: any signed-in user, with or without an object.
- ``change_<model>`` / ``delete_<model>`` and custom actions: pass the object. Without an object the
  answer is "no" (superusers aside), so a plain ``ModelAdmin`` — which asks without the object — never
  grants blanket edit rights; the admin should use ``rules.contrib.admin.ObjectPermissionsModelAdmin``.
- ``add_<model>``: pass the *parent* the new object will hang on (the product for a feature, the project
  for a milestone, the project, program or product for a risk, the risk for a mitigation action, …).
  Without an object the question is "may the user add some?" (for a button or an empty form); the
  parent chosen in the form or payload must then be checked again.

The predicates below never import another app's models: they read attributes (``risk.project_id``)
and follow reverse managers on the objects passed in (``product.memberships``), in keeping with the
layering core ← products ← programs ← risks ← reports.

Choices the design leaves open, made here: deleting follows the container (a product's owner deletes
the product, the portfolio owner deletes a program, the program's editors delete a project; a project
manager changes but does not delete their project); allocations are decided by the program's editors,
not the project manager; the portfolio owner may add programs to their portfolio whatever their role;
program managers set strategic objectives and an objective's owner edits it, unless they are in
Leadership, which only reads (and manages its own report subscriptions).
"""

import rules

from portfolio.core import roles

# Model labels and choice values of the higher layers, as strings so core imports none of them.
PRODUCT = "products.product"
PROJECT = "programs.project"
PROGRAM = "programs.program"
PORTFOLIO = "programs.portfolio"
RISK = "risks.risk"
OBJECTIVE = "core.strategicobjective"
EDITOR = "editor"  # ProductMember.Role.EDITOR
PENDING = "pending"  # ResourceRequest.Status.PENDING

MODELS = {
    "core": ("user", "strategicobjective", "keyresult"),
    "products": (
        "product",
        "productmember",
        "theme",
        "release",
        "feature",
        "feedback",
        "competitor",
        "marketinsight",
        "productmetric",
        "metricreading",
    ),
    "programs": (
        "portfolio",
        "program",
        "project",
        "projectobjective",
        "milestone",
        "dependency",
        "resource",
        "allocation",
        "resourcerequest",
        "costentry",
        "statusreport",
    ),
    "risks": ("risk", "mitigationaction"),
    "reports": ("reportsubscription", "stakeholderreport", "reportdelivery"),
}


# --- Finding the object a rule is about -------------------------------------------------------


def _label(obj) -> str:
    meta = getattr(obj, "_meta", None)
    return meta.label_lower if meta is not None else ""


def _related(obj, name: str):
    """``obj.<name>`` when its key is set, else None (no query, and no error on unsaved objects)."""
    if obj is None or getattr(obj, f"{name}_id", None) is None:
        return None
    return getattr(obj, name)


def product_of(obj):
    """The product ``obj`` is, or hangs on (a metric reading through its metric)."""
    if _label(obj) == PRODUCT:
        return obj
    metric = _related(obj, "metric")
    return _related(metric if metric is not None else obj, "product")


def project_of(obj):
    """The project ``obj`` is, or hangs on (a dependency through its ``from_project``)."""
    if _label(obj) == PROJECT:
        return obj
    project = _related(obj, "project")
    return project if project is not None else _related(obj, "from_project")


def program_of(obj):
    """The program ``obj`` is, or hangs on directly or through its project."""
    if _label(obj) == PROGRAM:
        return obj
    program = _related(obj, "program")
    return program if program is not None else _related(project_of(obj), "program")


def portfolio_of(obj):
    """The portfolio ``obj`` is, or hangs on through its program."""
    if _label(obj) == PORTFOLIO:
        return obj
    return _related(program_of(obj), "portfolio")


def objective_of(obj):
    """The strategic objective ``obj`` is, or belongs to (a key result)."""
    return obj if _label(obj) == OBJECTIVE else _related(obj, "objective")


def scope_of(obj):
    """What a risk (or a mitigation action's risk) hangs on; any other object is its own scope."""
    risk = obj if _label(obj) == RISK else _related(obj, "risk")
    if risk is None:
        return obj
    return _related(risk, "project") or _related(risk, "program") or _related(risk, "product")


def _pk(user):
    return user.pk if getattr(user, "is_authenticated", False) else None


# --- Roles (groups) and "does the user work on any …?" ------------------------------------------

in_product_managers = rules.is_group_member(roles.PRODUCT_MANAGERS)
in_program_managers = rules.is_group_member(roles.PROGRAM_MANAGERS)
in_leadership = rules.is_group_member(roles.LEADERSHIP)


@rules.predicate
def without_object(user, obj) -> bool:
    """The question is about the kind of object ("may the user add some?"), not one object."""
    return obj is None


@rules.predicate
def edits_any_product(user) -> bool:
    """The user owns a product or is an editor member of one."""
    return user.owned_products.exists() or user.product_memberships.filter(role=EDITOR).exists()


@rules.predicate
def owns_any_portfolio(user) -> bool:
    return user.owned_portfolios.exists()


@rules.predicate
def manages_any_program(user) -> bool:
    return user.managed_programs.exists()


@rules.predicate
def manages_any_project(user) -> bool:
    return user.managed_projects.exists()


@rules.predicate
def owns_any_objective(user) -> bool:
    return user.objectives.exists()


# --- The user's relation to one object ----------------------------------------------------------


@rules.predicate
def is_product_owner(user, obj) -> bool:
    """The user owns the product ``obj`` is or hangs on."""
    product = product_of(obj)
    return product is not None and product.owner_id == _pk(user)


@rules.predicate
def is_product_editor(user, obj) -> bool:
    """The user owns, or is an editor member of, the product ``obj`` is or hangs on."""
    product = product_of(obj)
    if product is None or _pk(user) is None:
        return False
    if product.owner_id == user.pk:
        return True
    prefetched = getattr(product, "_prefetched_objects_cache", {}).get("memberships")
    if prefetched is not None:  # a list page that prefetched memberships asks without a query per row
        return any(m.user_id == user.pk and m.role == EDITOR for m in prefetched)
    return product.memberships.filter(user_id=user.pk, role=EDITOR).exists()


@rules.predicate
def in_archived_product(user, obj) -> bool:
    """``obj`` hangs on an archived product: what is under it only reads until the product is restored."""
    product = product_of(obj)
    return product is not None and getattr(product, "archived_at", None) is not None


@rules.predicate
def is_portfolio_owner(user, obj) -> bool:
    """The user owns the portfolio ``obj`` is or hangs on (through its program)."""
    portfolio = portfolio_of(obj)
    return portfolio is not None and portfolio.owner_id == _pk(user)


@rules.predicate
def is_program_manager(user, obj) -> bool:
    """The user manages the program ``obj`` is or hangs on (through its project)."""
    program = program_of(obj)
    return program is not None and program.manager_id == _pk(user)


@rules.predicate
def is_project_manager(user, obj) -> bool:
    """The user manages the project ``obj`` is or hangs on."""
    project = project_of(obj)
    return project is not None and project.manager_id == _pk(user)


@rules.predicate
def manages_a_program_in_portfolio(user, obj) -> bool:
    """The user manages at least one program of the portfolio ``obj``."""
    portfolio = portfolio_of(obj)
    return portfolio is not None and portfolio.programs.filter(manager_id=_pk(user)).exists()


@rules.predicate
def is_objective_owner(user, obj) -> bool:
    """The user owns the strategic objective ``obj`` is or belongs to."""
    objective = objective_of(obj)
    return objective is not None and objective.owner_id == _pk(user)


@rules.predicate
def is_requester(user, obj) -> bool:
    """The user filed the resource request ``obj``."""
    return _pk(user) is not None and getattr(obj, "requested_by_id", None) == user.pk


@rules.predicate
def is_pending_request(user, obj) -> bool:
    """The resource request ``obj`` awaits a decision."""
    return getattr(obj, "status", None) == PENDING


@rules.predicate
def is_recipient(user, obj) -> bool:
    """The user receives the report subscription ``obj``."""
    return _pk(user) is not None and getattr(obj, "recipient_id", None) == user.pk


# --- Who edits what -----------------------------------------------------------------------------

edits_some_product = in_product_managers | edits_any_product
edits_some_program = in_program_managers | owns_any_portfolio | manages_any_program
edits_some_project = edits_some_program | manages_any_project

edits_program = is_program_manager | is_portfolio_owner
edits_project = edits_program | is_project_manager


@rules.predicate
def edits_risk_scope(user, obj) -> bool:
    """The user may change the project, program or product the risk (or the new risk) hangs on."""
    scope = scope_of(obj)
    label = _label(scope)
    if label == PROJECT:
        return edits_project.test(user, scope)
    if label == PROGRAM:
        return edits_program.test(user, scope)
    if label == PRODUCT:
        return is_product_editor.test(user, scope)
    return False


@rules.predicate
def manages_report_scope(user, obj) -> bool:
    """The user manages what the report subscription ``obj`` covers (never the whole organisation).

    Leadership manages nothing here: it reads, and subscribes only itself.
    """
    if in_leadership.test(user):
        return False
    portfolio, program, product = (_related(obj, name) for name in ("portfolio", "program", "product"))
    if portfolio is not None:
        return is_portfolio_owner.test(user, portfolio)
    if program is not None:
        return edits_program.test(user, program)
    if product is not None:
        return is_product_owner.test(user, product)
    return False


def _allow(predicate: rules.Predicate, *, leadership: bool = False) -> rules.Predicate:
    """Superusers may do anything; otherwise a signed-in user who passes ``predicate``.

    Leadership only reads (DESIGN §4), whatever it owns or is a member of, unless ``leadership`` is set
    (its own report subscriptions).
    """
    allowed = rules.is_authenticated & predicate
    return rules.is_superuser | (allowed if leadership else allowed & ~in_leadership)


def _register(app_label: str, model: str, *, add, change, delete=None, leadership: bool = False) -> None:
    rules.add_perm(f"{app_label}.add_{model}", _allow(add, leadership=leadership))
    rules.add_perm(f"{app_label}.change_{model}", _allow(change, leadership=leadership))
    rules.add_perm(f"{app_label}.delete_{model}", _allow(change if delete is None else delete, leadership=leadership))


# Reading: everyone signed in, every model. The app labels answer ``has_module_perms`` (the admin index).
for _app_label, _models in MODELS.items():
    rules.add_perm(_app_label, rules.is_authenticated)
    for _model in _models:
        rules.add_perm(f"{_app_label}.view_{_model}", rules.is_authenticated)

superuser_only = rules.always_deny  # wrapped by _allow, so superusers alone pass

# core
_register("core", "user", add=superuser_only, change=superuser_only)
# Program managers set strategic objectives; the owner edits one and its key results. Leadership reads.
edits_objective = is_objective_owner
_register("core", "strategicobjective", add=in_program_managers, change=edits_objective)
_register(
    "core",
    "keyresult",
    add=edits_objective | (without_object & (in_program_managers | owns_any_objective)),
    change=edits_objective,
)

# products: the owner and editor members edit the product and everything under it.
_register("products", "product", add=in_product_managers, change=is_product_editor, delete=is_product_owner)
# What is under an archived product only reads (the product itself may still be edited and restored).
edits_under_product = is_product_editor & ~in_archived_product
for _model in MODELS["products"][1:]:  # everything under the product
    _register(
        "products", _model, add=edits_under_product | (without_object & edits_some_product), change=edits_under_product
    )

# programs: the portfolio owner and the program's manager edit the program and its projects;
# a project's manager edits the project and what hangs under it.
_register("programs", "portfolio", add=in_program_managers, change=is_portfolio_owner)
_register(
    "programs",
    "program",
    add=is_portfolio_owner
    | (in_program_managers & manages_a_program_in_portfolio)
    | (without_object & (in_program_managers | owns_any_portfolio)),
    change=edits_program,
    delete=is_portfolio_owner,
)
_register(
    "programs",
    "project",
    add=edits_program | (without_object & edits_some_program),
    change=edits_project,
    delete=edits_program,
)
for _model in ("projectobjective", "milestone", "dependency", "costentry", "statusreport"):
    _register("programs", _model, add=edits_project | (without_object & edits_some_project), change=edits_project)
_register("programs", "allocation", add=edits_program | (without_object & edits_some_program), change=edits_program)
_register("programs", "resource", add=in_program_managers, change=in_program_managers)
_register(
    "programs",
    "resourcerequest",
    # Any product manager, for a product they edit.
    add=in_product_managers & (is_product_editor | (without_object & edits_some_product)),
    change=is_requester & is_pending_request,
    delete=superuser_only,
)
rules.add_perm("programs.decide_resourcerequest", _allow(edits_program | (without_object & edits_some_program)))
rules.add_perm("programs.cancel_resourcerequest", _allow(is_requester & is_pending_request))

# risks: a risk follows the project, program or product it hangs on; its actions follow the risk.
for _model in ("risk", "mitigationaction"):
    _register(
        "risks",
        _model,
        add=edits_risk_scope | (without_object & (edits_some_product | edits_some_project)),
        change=edits_risk_scope,
    )

# reports: everyone (leadership too) subscribes themselves and manages their own subscriptions; managers
# also subscribe others (a steering committee) to what they manage. Reports and deliveries are the system's.
_register(
    "reports",
    "reportsubscription",
    add=without_object | is_recipient | manages_report_scope,
    change=is_recipient | manages_report_scope,
    leadership=True,
)
_register("reports", "stakeholderreport", add=superuser_only, change=superuser_only)
_register("reports", "reportdelivery", add=superuser_only, change=superuser_only)
rules.add_perm("reports.send_report", _allow(superuser_only))


# Handing an object over: its holder field, changed only by the holder or whoever the holder answers to.
HOLDERS = {
    OBJECTIVE: "owner",
    PRODUCT: "owner",
    PORTFOLIO: "owner",
    PROGRAM: "manager",
    PROJECT: "manager",
}
rules.add_perm("core.transfer_strategicobjective", _allow(is_objective_owner))
rules.add_perm("products.transfer_product", _allow(is_product_owner))
rules.add_perm("programs.transfer_portfolio", _allow(is_portfolio_owner))
rules.add_perm("programs.transfer_program", _allow(edits_program))
rules.add_perm("programs.transfer_project", _allow(edits_program))


def holder_field(obj_or_model) -> str | None:
    """The field naming who holds ``obj`` (a product's owner, a project's manager), or None."""
    return HOLDERS.get(obj_or_model._meta.label_lower)


def may_transfer(user, obj) -> bool:
    """Whether ``user`` may change who holds ``obj`` (see ``HOLDERS``), asked on ``obj`` as stored.

    True for objects without a holder and for unsaved ones (who creates an object names its holder).
    """
    if holder_field(obj) is None or obj.pk is None:
        return True
    opts = obj._meta
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return stored is None or can(user, f"{opts.app_label}.transfer_{opts.model_name}", stored)


def stored_values(obj, names) -> dict:
    """The stored row's values of the fields ``names`` (foreign keys as ids); empty for an unsaved object."""
    if obj.pk is None or not names:
        return {}
    opts = obj._meta
    attnames = {opts.get_field(name).attname: name for name in names}
    row = type(obj)._default_manager.filter(pk=obj.pk).values(*attnames).first() or {}
    return {attnames[attname]: value for attname, value in row.items()}


def refused_changes(user, obj, parents: dict, *, permission: str | None = None) -> dict[str, str]:
    """Why ``user`` may not save ``obj`` as edited: ``{field: message}``, empty when they may.

    ``parents`` maps the foreign keys naming ``obj``'s parent to the parent chosen (None when unset). A parent
    new to the object must pass ``permission`` (default ``<app>.add_<model>``, which the rules take with the
    parent as its object): "may this object hang under that parent?". Keeping a row where it is needs no more
    than the right to change it. A new holder (``HOLDERS``) of a stored object must pass ``may_transfer``.
    Compared with the stored row, not the submitted form, because an old copy (the history's "Revert") may
    carry another parent or holder than the current one. Pages, API and admin ask this before they save.
    """
    opts = obj._meta
    permission = permission or f"{opts.app_label}.add_{opts.model_name}"
    chosen = {name: parent for name, parent in parents.items() if parent is not None}
    holder = holder_field(obj)
    check_holder = holder is not None and obj.pk is not None
    stored = stored_values(obj, [*chosen, *([holder] if check_holder else [])])
    errors = {}
    for name, parent in chosen.items():
        if stored.get(name) != parent.pk and not can(user, permission, parent):
            label = opts.get_field(name).verbose_name
            errors[name] = f"You may not add or move anything to this {label}."
    if check_holder and stored.get(holder) != getattr(obj, f"{holder}_id") and not may_transfer(user, obj):
        label = opts.get_field(holder).verbose_name
        errors[holder] = f"Only the current {label} or whoever they answer to may hand this {opts.verbose_name} over."
    return errors


def refused_links(obj, name: str, targets) -> dict[str, str]:
    """Why ``obj`` may not be linked to ``targets`` through its many-to-many ``name``: ``{name: message}``.

    Links stay inside one product (DESIGN §3): feedback, a market insight or a project links only to features
    of its own product. Empty when every target belongs to the product ``obj`` hangs on. The services validate
    the same before they save; this is the rules module's second look, asked by pages, API and admin alike.
    """
    product = product_of(obj)
    product_id = product.pk if product is not None else None
    foreign = [target for target in targets if getattr(target, "product_id", None) != product_id]
    if not foreign:
        return {}
    names = ", ".join(f"“{target}”" for target in foreign[:3]) + (" …" if len(foreign) > 3 else "")
    verb = "belongs" if len(foreign) == 1 else "belong"
    return {name: f"Links stay inside one product: {names} {verb} to another product."}


def can(user, perm: str, obj=None) -> bool:
    """Whether ``user`` holds ``perm`` (on ``obj``); the same answer as ``user.has_perm``, None-safe."""
    return user is not None and user.has_perm(perm, obj)
