"""The access matrix: every route of the resolver and every operation of the OpenAPI schema, for every role.

One row per route, the roles as columns (``USERS``: anonymous; signed in with no role; team member; an editor
member of the product; a viewer member of it; the product manager of another product; the program manager of
the program; the program manager of another program; leadership (which owns the program manager's portfolio
and is an editor member of the product, and still only reads); superuser). A cell is what the user gets:

    200, 403, 404, 405 …   that status
    L                      a redirect to a sign-in page (the site's or the admin's)
    R                      another redirect (a save or delete that went through, the admin's "no such object")

A row maps each *probe* to a line of cells. A probe is a method and, for routes that take an object, which
one: ``own`` (on the editor's product or the program manager's program) or ``foreign`` (another product
manager's or program manager's); a create names the product it adds to the same way. Every write probe that
the user may not make must answer 403, 404 or 405 (or L) and leave the object exactly as it was (a refused
create adds no row). Writes that go through are rolled back after the request. An API write sends ``{}``, or
for the collections with writes a valid body (``API_BODIES``), so that a 2xx shows the write went through.

A route of the resolver, or an operation of the schema, without a row fails ``test_every_route_has_a_row``
and ``test_every_schema_operation_has_a_row`` with its name: a new page or endpoint adds its row here.

The Django admin's routes are the same for every model, so its rows are built from one line per model of who
may add, change and delete there (``ADMIN_MODELS``), through ``admin_rows``.
"""

import json
import re
from http.cookies import SimpleCookie

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator

from portfolio.core.models import StrategicObjective
from products.models import Feature, Product, Release
from programs.models import Allocation, Milestone, Resource, StatusReport
from risks.models import Risk
from tests.core.access_world import PASSWORD, USERS, build_world

MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"

#                   anon  norole member editor viewer other_pm pgm other_pgm leader super
EVERYONE = "L 200 200 200 200 200 200 200 200 200"
API_READ = "401 200 200 200 200 200 200 200 200 200"
API_READ_ONLY = "401 405 405 405 405 405 405 405 405 405"  # a write on a read-only endpoint
# A write to something of a product: its editors (not its viewers, not leadership even as an editor member).
PRODUCT_WRITE = {
    "own": "401 403 403 {ok} 403 403 403 403 403 {ok}",
    "foreign": "401 403 403 403 403 {ok} 403 403 403 {ok}",
}

# --- Pages and API, one row per route --------------------------------------------------------------

ROUTES = {
    "home": {"GET": EVERYONE},
    "healthz": {"GET": "200 200 200 200 200 200 200 200 200 200"},
    "login": {"GET": "200 R R R R R R R R R"},
    "logout": {"POST": "L L L L L L L L L L"},
    "password_change": {"GET": EVERYONE},
    "password_change_done": {"GET": EVERYONE},
    "api-schema": {"GET": API_READ},
    "api-docs": {"GET": EVERYONE},
    "auth-token": {"POST": "400 200 200 200 200 200 200 200 200 200"},
    "me": {"GET": API_READ},
    "products:product_list": {"GET": EVERYONE},
    "products:product_detail": {"GET own": EVERYONE, "GET foreign": EVERYONE},
    # Product managers create products; a product's editors edit, archive and restore it; its owner deletes it.
    # A form posted without its fields is redisplayed with its errors (400); the world's products hold features,
    # so a delete that may be made is refused with its reason (409) and the offer to archive.
    "products:product_create": {
        "GET": "L 403 403 403 403 200 403 403 403 200",
        "POST": "L 403 403 403 403 400 403 403 403 400",
    },
    "products:product_update": {
        "GET own": "L 403 403 200 403 403 403 403 403 200",
        "GET foreign": "L 403 403 403 403 200 403 403 403 200",
        "POST own": "L 403 403 400 403 403 403 403 403 400",
        "POST foreign": "L 403 403 403 403 400 403 403 403 400",
    },
    "products:product_archive": {
        "POST own": "L 403 403 R 403 403 403 403 403 R",
        "POST foreign": "L 403 403 403 403 R 403 403 403 R",
    },
    "products:product_restore": {
        "POST own": "L 403 403 R 403 403 403 403 403 R",
        "POST foreign": "L 403 403 403 403 R 403 403 403 R",
    },
    "products:product_delete": {
        "GET own": "L 403 403 403 403 403 403 403 403 200",  # its owner is not in the cast
        "GET foreign": "L 403 403 403 403 200 403 403 403 200",
        "POST own": "L 403 403 403 403 403 403 403 403 409",
        "POST foreign": "L 403 403 403 403 409 403 403 403 409",
    },
    # The roadmap editor: everyone reads; the card's "Move" menu (a page form) moves for the product's editors.
    **{
        f"products:{name}": {"GET own": EVERYONE, "GET foreign": EVERYONE}
        for name in ("roadmap", "roadmap_board", "roadmap_list", "roadmap_print", "roadmap_csv")
    },
    "products:roadmap_feature_move": {
        "POST own": "L 403 403 R 403 403 403 403 403 R",
        "POST foreign": "L 403 403 403 403 R 403 403 403 R",
    },
}

# A page that changes something of a product: its editors (a redirect once saved); others 403, anonymous L.
PAGE_WRITE = {side: line.replace("401", "L", 1) for side, line in PRODUCT_WRITE.items()}
FEATURE_PAGE = ("products:feature_update", "products:feature_delete")
ROUTES |= {
    "products:feature_create": {
        **{f"GET {side}": line.format(ok="200") for side, line in PAGE_WRITE.items()},
        **{f"POST {side}": line.format(ok="R") for side, line in PAGE_WRITE.items()},
    },
    "products:feature_detail": {"GET own": EVERYONE, "GET foreign": EVERYONE},
    "products:product_dashboard": {"GET own": EVERYONE, "GET foreign": EVERYONE},
    **{
        key: {
            **{f"GET {side}": line.format(ok="200") for side, line in PAGE_WRITE.items()},
            **{f"POST {side}": line.format(ok="R") for side, line in PAGE_WRITE.items()},
        }
        for key in FEATURE_PAGE
    },
    "products:feature_status": {f"POST {side}": line.format(ok="R") for side, line in PAGE_WRITE.items()},
    # Feedback import: its editors upload a file and get the preview (nothing saved); the template and the
    # export are for every reader.
    "products:feedback_import": {
        **{f"GET {side}": line.format(ok="200") for side, line in PAGE_WRITE.items()},
        **{f"POST {side}": line.format(ok="200") for side, line in PAGE_WRITE.items()},
    },
    "products:feedback_import_template": {"GET own": EVERYONE, "GET foreign": EVERYONE},
    "products:feedback_export": {"GET own": EVERYONE, "GET foreign": EVERYONE},
}
# A product's members, themes and releases: everyone reads the list, the product's editors change them.
for _part in ("productmember", "theme", "release"):
    ROUTES[f"products:{_part}_list"] = {
        "GET own": EVERYONE,
        "GET foreign": EVERYONE,
        **{f"POST {side}": line.format(ok="200") for side, line in PAGE_WRITE.items()},
    }
    ROUTES[f"products:{_part}_delete"] = {
        "GET own": PAGE_WRITE["own"].format(ok="200"),
        "POST foreign": PAGE_WRITE["foreign"].format(ok="R"),
    }
for _route in ("products:theme_update", "products:release_update"):
    ROUTES[_route] = {
        "GET own": PAGE_WRITE["own"].format(ok="200"),
        "POST foreign": PAGE_WRITE["foreign"].format(ok="200"),
    }
# Forms posted from the list pages: they answer with a redirect back (HTMX gets the team partial).
for _route in ("products:productmember_update", "products:theme_move", "products:release_status"):
    ROUTES[_route] = {f"POST {side}": line.format(ok="R") for side, line in PAGE_WRITE.items()}

# The feedback inbox: everyone reads the inbox, an item, and the searches that link items and features; the
# product's editors enter, edit, triage, link, archive, restore and delete items (each form answers a redirect).
for _name in ("feedback_list", "feedback_detail", "feedback_feature_search", "feature_feedback_search"):
    ROUTES[f"products:{_name}"] = {"GET own": EVERYONE, "GET foreign": EVERYONE}
for _name in ("feedback_create", "feedback_update", "feedback_create_feature"):
    ROUTES[f"products:{_name}"] = {
        **{f"GET {side}": line.format(ok="200") for side, line in PAGE_WRITE.items()},
        **{f"POST {side}": line.format(ok="R") for side, line in PAGE_WRITE.items()},
    }
ROUTES["products:feedback_delete"] = {
    "GET own": PAGE_WRITE["own"].format(ok="200"),
    "POST foreign": PAGE_WRITE["foreign"].format(ok="R"),
}
for _name in (
    "feedback_triage",
    "feedback_link",
    "feedback_unlink",
    "feedback_archive",
    "feedback_restore",
    "feature_feedback_link",
    "feature_feedback_unlink",
):
    ROUTES[f"products:{_name}"] = {f"POST {side}": line.format(ok="R") for side, line in PAGE_WRITE.items()}

# Pages whose URL names their object: route -> (the world's model label, {URL kwarg: the object's attribute}).
# The attribute may follow relations with dots (a feature's page is under its product's slug).
PRODUCT_URL = ("products.product", {"slug": "slug"})
PRODUCT_PAGES = (
    *("product_detail", "product_dashboard", "product_update", "product_archive", "product_restore"),
    "product_delete",
    *("productmember_list", "theme_list", "release_list", "feature_create"),
    *("roadmap", "roadmap_board", "roadmap_list", "roadmap_print", "roadmap_csv"),
    *("feedback_import", "feedback_import_template", "feedback_export"),
    *("feedback_list", "feedback_create", "feedback_feature_search"),
)
# Pages of one object under its product (``/products/<slug>/themes/<pk>/…``): route -> the world's model label.
PRODUCT_PART_PAGES = {
    "products:productmember_update": "products.productmember",
    "products:productmember_delete": "products.productmember",
    "products:theme_update": "products.theme",
    "products:theme_move": "products.theme",
    "products:theme_delete": "products.theme",
    "products:release_update": "products.release",
    "products:release_status": "products.release",
    "products:release_delete": "products.release",
    "products:feature_detail": "products.feature",
    "products:feature_update": "products.feature",
    "products:feature_status": "products.feature",
    "products:feature_delete": "products.feature",
    "products:roadmap_feature_move": "products.feature",
    "products:feature_feedback_search": "products.feature",
    "products:feature_feedback_link": "products.feature",
    "products:feature_feedback_unlink": "products.feature",
    **{
        f"products:feedback_{name}": "products.feedback"
        for name in ("detail", "update", "delete", "triage", "link", "unlink", "archive", "restore", "create_feature")
    },
}
PAGE_OBJECTS = {
    **{f"products:{name}": PRODUCT_URL for name in PRODUCT_PAGES},
    **{key: (label, {"slug": "product.slug", "pk": "pk"}) for key, label in PRODUCT_PART_PAGES.items()},
}
# Pages and API operations that create rows: route -> the model label whose rows a refused create must leave as
# many as before.
PAGE_CREATES = {
    "products:feature_create": "products.feature",
    "products:feedback_import": "products.feedback",
    "feedback-import": "products.feedback",
    "products:feedback_create": "products.feedback",
    "products:feedback_create_feature": "products.feature",
}


def _feature_form(world: dict, which: str, key: str) -> dict:
    side = world[which]
    body = {
        "title": "Probe",
        "status": "idea",
        "horizon": "later",
        "release": side["products.release"].pk,
        "theme": side["products.theme"].pk,
        "reach": "10",
        "impact": "1.00",
        "confidence": "0.80",
        "effort": "2.5",
    }
    if key == "products:feature_create":
        return body
    feature = Feature.objects.get(pk=side["products.feature"].pk)
    if key == "products:feature_status":
        return {"status": "parked", "version": feature.version}  # parked is a next step from any status
    if key == "products:feature_delete":
        return {}
    if key == "products:roadmap_feature_move":
        return {"version": feature.version, "horizon": "now", "theme": feature.theme_id or "", "direction": ""}
    return body | {"version": feature.version}


def _feedback_form(world: dict, which: str, key: str) -> dict:
    side = world[which]
    feature, feedback = side["products.feature"].pk, side["products.feedback"].pk
    if key in ("products:feedback_create", "products:feedback_update"):
        return {
            "summary": "Probe",
            "channel": "interview",
            "sentiment": "neutral",
            "importance": "important",
            "received_at": "2026-11-20T10:30",
        }
    if key == "products:feedback_create_feature":
        return _feature_form(world, which, "products:feature_create")
    if key == "products:feedback_triage":
        return {"importance": "critical", "sentiment": "negative"}
    if key in ("products:feedback_link", "products:feedback_unlink"):
        return {"features": [feature]}
    if key in ("products:feature_feedback_link", "products:feature_feedback_unlink"):
        return {"feedback": feedback}
    return {}


# The form data of page POSTs, by route: ``(world, own or foreign, route) -> data``; others post a bare field.
PAGE_BODIES = dict.fromkeys(
    ("products:feature_create", "products:feature_status", "products:roadmap_feature_move", *FEATURE_PAGE),
    _feature_form,
) | dict.fromkeys(
    (
        *("products:feedback_create", "products:feedback_update", "products:feedback_create_feature"),
        *("products:feedback_triage", "products:feedback_link", "products:feedback_unlink"),
        *("products:feature_feedback_link", "products:feature_feedback_unlink"),
    ),
    _feedback_form,
)


def _feedback_file(world: dict, which: str, key: str) -> dict:
    """A one-row feedback CSV (a new file object per request: a request reads it); the API's names the product."""
    upload = SimpleUploadedFile("probe.csv", b"summary,sentiment\nProbe,Positive\n", content_type="text/csv")
    if key == "feedback-import":
        return {"product": str(world[which]["products.product"].pk), "file": upload}
    return {"file": upload}


PAGE_BODIES["products:feedback_import"] = _feedback_file
# API writes sent as multipart (a file upload) rather than JSON, by route.
API_MULTIPART = {"feedback-import": _feedback_file}


# The read-only API collections: list and detail for everyone signed in, no writes.
API_COLLECTIONS = {
    "objective": "core.strategicobjective",
    "key-result": "core.keyresult",
    "product": "products.product",
    "product-member": "products.productmember",
    "theme": "products.theme",
    "release": "products.release",
    "feature": "products.feature",
    "feedback": "products.feedback",
    "competitor": "products.competitor",
    "insight": "products.marketinsight",
    "metric": "products.productmetric",
    "metric-reading": "products.metricreading",
    "portfolio": "programs.portfolio",
    "program": "programs.program",
    "project": "programs.project",
    "milestone": "programs.milestone",
    "dependency": "programs.dependency",
    "resource": "programs.resource",
    "allocation": "programs.allocation",
    "resource-request": "programs.resourcerequest",
    "cost-entry": "programs.costentry",
    "project-objective": "programs.projectobjective",
    "status-report": "programs.statusreport",
    "risk": "risks.risk",
    "mitigation-action": "risks.mitigationaction",
    "report-subscription": "reports.reportsubscription",
    "report": "reports.stakeholderreport",
}
for _basename in API_COLLECTIONS:
    ROUTES[f"{_basename}-list"] = {"GET": API_READ, "POST": API_READ_ONLY}
    ROUTES[f"{_basename}-detail"] = {
        "GET own": API_READ,
        "GET foreign": API_READ,
        "PUT foreign": API_READ_ONLY,
        "PATCH foreign": API_READ_ONLY,
        "DELETE foreign": API_READ_ONLY,
    }
# Features are written through the API: created on a product, edited, moved and deleted.
ROUTES["feature-list"] |= {f"POST {side}": line.format(ok="201") for side, line in PRODUCT_WRITE.items()}
del ROUTES["feature-list"]["POST"]
ROUTES["feature-detail"] |= {
    f"{method} {side}": line.format(ok="204" if method == "DELETE" else "200")
    for method in ("PUT", "PATCH", "DELETE")
    for side, line in PRODUCT_WRITE.items()
}
ROUTES["feature-move"] = {f"POST {side}": line.format(ok="200") for side, line in PRODUCT_WRITE.items()}
# Feedback from a CSV file: imported by the product's editors (201); exported by every reader.
ROUTES["feedback-import"] = {f"POST {side}": line.format(ok="201") for side, line in PRODUCT_WRITE.items()}
ROUTES["feedback-export"] = {"GET": API_READ}


def _feature_body(world: dict, which: str, key: str, method: str) -> dict:
    side = world[which]
    if key == "feature-list":
        return {
            "product": side["products.product"].pk,
            "title": "Probe",
            "release": side["products.release"].pk,
            "theme": side["products.theme"].pk,
            "effort": "2.5",
        }
    version = Feature.objects.get(pk=side["products.feature"].pk).version
    if key == "feature-move":
        return {"horizon": "now", "position": 5, "release": None, "version": version}
    return {"title": "Probed", "reach": 10, "version": version} if method != "DELETE" else {}


# Products are written through the API: created by product managers, edited, archived and restored by their
# editors, deleted by their owner (refused, 409, while they hold features, as the world's do).
ROUTES["product-list"] |= {"POST own": "401 403 403 403 403 201 403 403 403 201"}
del ROUTES["product-list"]["POST"]
ROUTES["product-detail"] |= {
    f"{method} {side}": line.format(ok="200") for method in ("PUT", "PATCH") for side, line in PRODUCT_WRITE.items()
}
ROUTES["product-detail"] |= {
    "DELETE own": "401 403 403 403 403 403 403 403 403 409",
    "DELETE foreign": "401 403 403 403 403 409 403 403 403 409",
}
for _action in ("archive", "restore"):
    ROUTES[f"product-{_action}"] = {f"POST {side}": line.format(ok="200") for side, line in PRODUCT_WRITE.items()}
# A product's dashboard and a feature's trace: read by every signed-in user, written by nobody.
for _route in ("product-dashboard", "feature-trace"):
    ROUTES[_route] = {"GET own": API_READ, "GET foreign": API_READ, "POST own": API_READ_ONLY}


def _product_body(world: dict, which: str, key: str, method: str) -> dict:
    if key == "product-list":
        return {"name": "Probe product", "lifecycle_stage": "ideation"}
    if key != "product-detail" or method == "DELETE":
        return {}
    version = Product.objects.get(pk=world[which]["products.product"].pk).version
    return {"name": f"Probed {which}", "vision": "Probed.", "version": version}


# The bodies of API writes, by route: ``(world, own or foreign, route, method) -> body``.
API_BODIES = {
    "feature-list": _feature_body,
    "feature-detail": _feature_body,
    "feature-move": _feature_body,
    "product-list": _product_body,
    "product-detail": _product_body,
}

# --- Resource requests: filed by product managers for a product they edit, decided by the project's program ----
# A create names the side's product and project: on the editor's product only the superuser files (its editor is
# a team member, not a product manager); the other product manager files for their own. The program's editors
# (its manager, not leadership even as the portfolio's owner) approve and reject; the requester cancels (the
# foreign request is the other product manager's). An approval names a person of the function asked for.
#                                anon norole member editor viewer other_pm pgm other_pgm leader super
ROUTES["resource-request-list"] = {
    "GET": API_READ,
    "POST own": "401 403 403 403 403 403 403 403 403 201",
    "POST foreign": "401 403 403 403 403 201 403 403 403 201",
}
REQUEST_DECISION = {
    "own": "401 403 403 403 403 403 200 403 403 200",
    "foreign": "401 403 403 403 403 403 403 200 403 200",
}
for _action in ("approve", "reject"):
    ROUTES[f"resource-request-{_action}"] = {f"POST {side}": line for side, line in REQUEST_DECISION.items()}
ROUTES["resource-request-cancel"] = {
    "POST own": "401 403 403 403 403 403 403 403 403 200",  # its requester is not in the cast
    "POST foreign": "401 403 403 403 403 200 403 403 403 200",
}


def _resource_request_body(world: dict, which: str, key: str, method: str) -> dict:
    side = world[which]
    if key == "resource-request-list":
        return {
            "product": side["products.product"].pk,
            "project": side["programs.project"].pk,
            "function": "design",
            "percent": 50,
            "start_date": "2026-04-01",
            "end_date": "2026-06-30",
            "justification": "Probe",
        }
    if key == "resource-request-approve":
        return {"resource": side["programs.resource"].pk, "note": "Probe"}
    if key == "resource-request-reject":
        return {"note": "Probe"}
    return {}


for _key in ("list", "approve", "reject", "cancel"):
    API_BODIES[f"resource-request-{_key}"] = _resource_request_body

# The resource request pages: everyone reads a product's requests and the queue; the same people as in the API file,
# decide and cancel (a redirect once saved).
ROUTES |= {
    "programs:resource_request_queue": {"GET": EVERYONE},
    "programs:product_resource_requests": {
        "GET own": EVERYONE,
        "GET foreign": EVERYONE,
        **{
            probe: line.replace("401", "L", 1).replace("201", "R")
            for probe, line in ROUTES["resource-request-list"].items()
            if probe != "GET"
        },
    },
    **{
        f"programs:resource_request_{_action}": {
            f"POST {side}": line.replace("401", "L", 1).replace("200", "R") for side, line in lines.items()
        }
        for _action, lines in (
            ("approve", REQUEST_DECISION),
            ("reject", REQUEST_DECISION),
            ("cancel", {side: ROUTES["resource-request-cancel"][f"POST {side}"] for side in ("own", "foreign")}),
        )
    },
}
PAGE_OBJECTS["programs:product_resource_requests"] = PRODUCT_URL
PAGE_CREATES["programs:product_resource_requests"] = "programs.resourcerequest"
for _action in ("approve", "reject", "cancel"):
    PAGE_OBJECTS[f"programs:resource_request_{_action}"] = ("programs.resourcerequest", {"pk": "pk"})


def _resource_request_form(world: dict, which: str, key: str) -> dict:
    side = world[which]
    if key == "programs:product_resource_requests":
        return {
            "project": side["programs.project"].pk,
            "function": "design",
            "percent": 50,
            "start_date": "2026-04-01",
            "end_date": "2026-06-30",
            "justification": "Probe",
        }
    pk = side["programs.resourcerequest"].pk
    if key == "programs:resource_request_approve":
        return {f"approve-{pk}-resource": side["programs.resource"].pk}
    if key == "programs:resource_request_reject":
        return {f"reject-{pk}-note": "Probe"}
    return {}


for _key in (
    "product_resource_requests",
    "resource_request_approve",
    "resource_request_reject",
    "resource_request_cancel",
):
    PAGE_BODIES[f"programs:{_key}"] = _resource_request_form

# --- Portfolios, programs and projects, written through the API ------------------------------------------------
# Program managers create portfolios; the owner of a portfolio (leadership only reads, even its own: the core
# portfolio's owner) edits, archives and deletes it; the portfolio's owner and its program managers add programs,
# the program's editors (its manager, the portfolio's owner) edit and archive it, the portfolio's owner deletes it;
# the program's editors add, edit, archive and delete its projects. The world's portfolios, programs and projects
# all hold something, so a delete that may be made is refused with its reason (409) and the offer to archive.
#                anon norole member editor viewer other_pm pgm other_pgm leader super
PROGRAM_WRITE = {
    "own": "401 403 403 403 403 403 {ok} 403 403 {ok}",
    "foreign": "401 403 403 403 403 403 403 {ok} 403 {ok}",
}
PORTFOLIO_WRITE = {
    "own": "401 403 403 403 403 403 403 403 403 {ok}",  # the leader's portfolio
    "foreign": PROGRAM_WRITE["foreign"],
}
STRUCTURE_WRITES = {"portfolio": PORTFOLIO_WRITE, "program": PROGRAM_WRITE, "project": PROGRAM_WRITE}
ROUTES["portfolio-list"] |= {"POST own": "401 403 403 403 403 403 201 201 403 201"}
for _kind, _lines in STRUCTURE_WRITES.items():
    if _kind != "portfolio":
        ROUTES[f"{_kind}-list"] |= {f"POST {side}": line.format(ok="201") for side, line in PROGRAM_WRITE.items()}
    del ROUTES[f"{_kind}-list"]["POST"]
    ROUTES[f"{_kind}-detail"] |= {
        f"{method} {side}": line.format(ok="200") for method in ("PUT", "PATCH") for side, line in _lines.items()
    }
    _delete = PORTFOLIO_WRITE if _kind != "project" else PROGRAM_WRITE  # the portfolio's owner deletes a program
    ROUTES[f"{_kind}-detail"] |= {f"DELETE {side}": line.format(ok="409") for side, line in _delete.items()}
    for _action in ("archive", "restore"):
        ROUTES[f"{_kind}-{_action}"] = {f"POST {side}": line.format(ok="200") for side, line in _lines.items()}


# The pages of portfolios, programs and projects: everyone reads; the same people as in the API write. A form
# posted without its fields is redisplayed with its errors (400); a delete that may be made is refused (409).
STRUCTURE_PAGE_WRITES = {
    kind: {side: line.replace("401", "L", 1) for side, line in lines.items()}
    for kind, lines in STRUCTURE_WRITES.items()
}
STRUCTURE_PAGE_DELETES = {"portfolio": "portfolio", "program": "portfolio", "project": "project"}
ROUTES |= {
    "programs:portfolio_list": {"GET": EVERYONE},
    "programs:portfolio_create": {
        "GET": "L 403 403 403 403 403 200 200 403 200",
        "POST": "L 403 403 403 403 403 400 400 403 400",
    },
}
for _kind, _lines in STRUCTURE_PAGE_WRITES.items():
    _deletes = STRUCTURE_PAGE_WRITES[STRUCTURE_PAGE_DELETES[_kind]]
    ROUTES[f"programs:{_kind}_detail"] = {"GET own": EVERYONE, "GET foreign": EVERYONE}
    ROUTES[f"programs:{_kind}_update"] = {
        **{f"GET {side}": line.format(ok="200") for side, line in _lines.items()},
        **{f"POST {side}": line.format(ok="400") for side, line in _lines.items()},
    }
    for _action in ("archive", "restore"):
        ROUTES[f"programs:{_kind}_{_action}"] = {f"POST {side}": line.format(ok="R") for side, line in _lines.items()}
    ROUTES[f"programs:{_kind}_delete"] = {
        **{f"GET {side}": line.format(ok="200") for side, line in _deletes.items()},
        **{f"POST {side}": line.format(ok="409") for side, line in _deletes.items()},
    }
    PAGE_OBJECTS |= {
        f"programs:{_kind}_{name}": (f"programs.{_kind}", {"pk": "pk"})
        for name in ("detail", "update", "archive", "restore", "delete")
    }
for _kind, _parent in (("program", "portfolio"), ("project", "program")):
    ROUTES[f"programs:{_kind}_create"] = {
        **{f"GET {side}": line.format(ok="200") for side, line in STRUCTURE_PAGE_WRITES["program"].items()},
        **{f"POST {side}": line.format(ok="400") for side, line in STRUCTURE_PAGE_WRITES["program"].items()},
    }
    PAGE_OBJECTS[f"programs:{_kind}_create"] = (f"programs.{_parent}", {f"{_parent}_pk": "pk"})
    PAGE_CREATES[f"programs:{_kind}_create"] = f"programs.{_kind}"
PAGE_CREATES["programs:portfolio_create"] = "programs.portfolio"


def _structure_body(world: dict, which: str, key: str, method: str) -> dict:
    """A valid body for a portfolio, program or project write (a create names the side's parent)."""
    side = world[which]
    if method == "DELETE":
        return {}
    kind, route = key.rsplit("-", 1)
    if route == "list":
        if kind == "portfolio":
            return {"name": "Probe portfolio", "fiscal_year": 2027, "budget": "1000.00"}
        if kind == "program":
            return {"portfolio": side["programs.portfolio"].pk, "name": "Probe program"}
        return {
            "program": side["programs.program"].pk,
            "name": "Probe project",
            "start_date": "2026-03-01",
            "end_date": "2026-04-30",
        }
    obj = side[f"programs.{kind}"]
    version = type(obj).objects.get(pk=obj.pk).version
    body = {"name": f"Probed {kind} {which}", "version": version}
    if kind == "portfolio":
        body["fiscal_year"] = 2027
    if kind == "project":
        body |= {"start_date": "2026-03-01", "end_date": "2026-04-30"}
    return body


for _kind in STRUCTURE_WRITES:
    API_BODIES[f"{_kind}-list"] = _structure_body
    API_BODIES[f"{_kind}-detail"] = _structure_body

# A product's members, themes and releases are written through the API like features (no move).
for _basename in ("product-member", "theme", "release"):
    ROUTES[f"{_basename}-list"] = {
        "GET": API_READ,
        **{f"POST {side}": line.format(ok="201") for side, line in PRODUCT_WRITE.items()},
    }
    ROUTES[f"{_basename}-detail"] |= {
        f"{method} {side}": line.format(ok="204" if method == "DELETE" else "200")
        for method in ("PUT", "PATCH", "DELETE")
        for side, line in PRODUCT_WRITE.items()
    }


def _part_body(world: dict, which: str, key: str, method: str) -> dict:
    """A valid body for a member, theme or release write (a create names the side's product)."""
    side = world[which]
    product = side["products.product"].pk
    if method == "DELETE":
        return {}
    if key == "product-member-list":  # the team member belongs to neither product's team
        return {"product": product, "user": world["users"]["member"].pk, "role": "editor", "function": "design"}
    if key == "product-member-detail":
        return {"role": "editor", "function": "support"}
    if key == "theme-list":
        return {"product": product, "name": "Probe lane", "colour": "#123456"}
    if key == "theme-detail":
        return {"name": "Probed lane", "colour": "#654321", "position": 3}
    if key == "release-list":
        return {"product": product, "name": "Probe release", "target_date": "2027-01-15"}
    version = Release.objects.get(pk=side["products.release"].pk).version
    return {"name": "Probed release", "target_date": "2027-02-01", "status": "released", "version": version}


for _key in ("product-member-list", "product-member-detail", "theme-list", "theme-detail", "release-list"):
    API_BODIES[_key] = _part_body
API_BODIES["release-detail"] = _part_body

# Feedback is written through the API like features: entered on a product, edited (``features`` links it to its
# product's features), deleted (its routes with the market's below).


def _feedback_body(world: dict, which: str, key: str, method: str) -> dict:
    """A valid body for a feedback write: a create names the side's product, a change links its feature."""
    side = world[which]
    if method == "DELETE":
        return {}
    if key == "feedback-list":
        return {"product": side["products.product"].pk, "summary": "Probe feedback", "importance": "critical"}
    return {"summary": "Probed feedback", "importance": "important", "features": [side["products.feature"].pk]}


API_BODIES["feedback-list"] = _feedback_body
API_BODIES["feedback-detail"] = _feedback_body
# A product's market analysis: everyone reads the market and the comparison; its editors add, edit and delete
# competitors and insights through the pages (a redirect once saved) and through the API.
ROUTES |= {
    "products:market": {"GET own": EVERYONE, "GET foreign": EVERYONE},
    "products:market_compare": {"GET own": EVERYONE, "GET foreign": EVERYONE},
}
MARKET_PAGES = {"competitor": "products.competitor", "insight": "products.marketinsight"}
for _kind, _label in MARKET_PAGES.items():
    ROUTES[f"products:{_kind}_create"] = {
        **{f"GET {side}": line.format(ok="200") for side, line in PAGE_WRITE.items()},
        **{f"POST {side}": line.format(ok="R") for side, line in PAGE_WRITE.items()},
    }
    for _action in ("update", "delete"):
        ROUTES[f"products:{_kind}_{_action}"] = {
            "GET own": PAGE_WRITE["own"].format(ok="200"),
            "POST own": PAGE_WRITE["own"].format(ok="R"),
            "POST foreign": PAGE_WRITE["foreign"].format(ok="R"),
        }
    PAGE_OBJECTS[f"products:{_kind}_create"] = PRODUCT_URL
    PAGE_CREATES[f"products:{_kind}_create"] = _label
    for _action in ("update", "delete"):
        PAGE_OBJECTS[f"products:{_kind}_{_action}"] = (_label, {"slug": "product.slug", "pk": "pk"})
PAGE_OBJECTS["products:market"] = PAGE_OBJECTS["products:market_compare"] = PRODUCT_URL


def _market_form(world: dict, which: str, key: str) -> dict:
    """A valid form for a market page's POST (an insight linked to a feature of the side's product)."""
    if key.endswith("_delete"):
        return {}
    if key.startswith("products:competitor_"):
        return {"name": f"Probe rival {which}", "threat_level": "high", "website": "probe.example"}
    return {"kind": "threat", "title": "Probe insight", "features": [world[which]["products.feature"].pk]}


for _kind in MARKET_PAGES:
    for _action in ("create", "update", "delete"):
        PAGE_BODIES[f"products:{_kind}_{_action}"] = _market_form

# A product's metrics: everyone reads the KPIs and their charts; its editors add, edit and delete KPIs and readings.
for _route in ("products:metric_list",):
    ROUTES[_route] = {"GET own": EVERYONE, "GET foreign": EVERYONE}
for _route in ("products:metric_create", "products:reading_create"):
    ROUTES[_route] = {
        "GET own": PAGE_WRITE["own"].format(ok="200"),
        **{f"POST {side}": line.format(ok="R") for side, line in PAGE_WRITE.items()},
    }
for _route in (
    "products:metric_update",
    "products:metric_delete",
    "products:reading_update",
    "products:reading_delete",
):
    ROUTES[_route] = {
        "GET own": PAGE_WRITE["own"].format(ok="200"),
        "POST foreign": PAGE_WRITE["foreign"].format(ok="R"),
    }
PAGE_OBJECTS |= {
    "products:metric_list": PRODUCT_URL,
    "products:metric_create": PRODUCT_URL,
    **{
        f"products:{name}": ("products.productmetric", {"slug": "product.slug", "pk": "pk"})
        for name in ("metric_update", "metric_delete", "reading_create")
    },
    **{
        f"products:{name}": ("products.metricreading", {"slug": "metric.product.slug", "pk": "pk"})
        for name in ("reading_update", "reading_delete")
    },
}
PAGE_CREATES |= {
    "products:metric_create": "products.productmetric",
    "products:reading_create": "products.metricreading",
}


def _metric_form(world: dict, which: str, key: str) -> dict:
    if key in ("products:metric_create", "products:metric_update"):
        return {"name": f"Probe KPI {which}", "unit": "%", "target": "10", "direction": "lower"}
    if key in ("products:reading_create", "products:reading_update"):
        return {"date": "2019-06-01", "value": "5"}
    return {}


PAGE_BODIES |= dict.fromkeys(
    [key for key in ROUTES if key.startswith(("products:metric_", "products:reading_"))], _metric_form
)

# KPIs and readings are written through the API. A new reading names its KPI: one the user may not add to is a 400
# on ``metric`` (the body's choice, like an unknown id), for every signed-in user but the KPI's editors.
READING_CREATE = {
    "own": "401 400 400 201 400 400 400 400 400 201",
    "foreign": "401 400 400 400 400 201 400 400 400 201",
}
# The collections written through the API like a product's parts (feedback, the market, the metrics): a create
# names the product (a reading its KPI), then PUT, PATCH and DELETE on the row.
API_WRITTEN = {
    "feedback": PRODUCT_WRITE,
    "competitor": PRODUCT_WRITE,
    "insight": PRODUCT_WRITE,
    "metric": PRODUCT_WRITE,
    "metric-reading": READING_CREATE,
}
for _basename, _create in API_WRITTEN.items():
    ROUTES[f"{_basename}-list"] = {
        "GET": API_READ,
        **{f"POST {side}": line.format(ok="201") for side, line in _create.items()},
    }
    ROUTES[f"{_basename}-detail"] |= {
        f"{method} {side}": line.format(ok="204" if method == "DELETE" else "200")
        for method in ("PUT", "PATCH", "DELETE")
        for side, line in PRODUCT_WRITE.items()
    }


def _market_body(world: dict, which: str, key: str, method: str) -> dict:
    """A valid body for a competitor or insight write (a create names the side's product)."""
    side = world[which]
    if method == "DELETE":
        return {}
    if key.startswith("competitor-"):
        body = {"name": f"Probe rival {which}", "threat_level": "high", "website": "https://probe.example"}
    else:
        body = {"kind": "threat", "title": "Probe insight", "features": [side["products.feature"].pk]}
    return body | ({"product": side["products.product"].pk} if key.endswith("-list") else {})


for _key in ("competitor-list", "competitor-detail", "insight-list", "insight-detail"):
    API_BODIES[_key] = _market_body


def _metric_body(world: dict, which: str, key: str, method: str) -> dict:
    """A valid body for a KPI or reading write (a create names the side's product or KPI)."""
    side = world[which]
    if method == "DELETE":
        return {}
    if key == "metric-list":
        return {"product": side["products.product"].pk, "name": "Probe KPI", "target": "10"}
    if key == "metric-detail":
        return {"name": "Probed KPI", "target": "12", "direction": "lower"}
    if key == "metric-reading-list":
        return {"metric": side["products.productmetric"].pk, "date": "2019-06-01", "value": "5"}
    return {"date": "2019-07-01", "value": "6"}


API_BODIES |= dict.fromkeys(
    ("metric-list", "metric-detail", "metric-reading-list", "metric-reading-detail"), _metric_body
)

# --- Delivery: a project's milestones, dependencies, cost entries and objectives ------------------------------
# Written by the project's editors: the program's manager (own: pgm, foreign: other_pgm), the project's manager
# (not in the cast) and the superuser; leadership, although it owns the program manager's portfolio, only reads.
PROJECT_WRITE = {
    "own": "401 403 403 403 403 403 {ok} 403 403 {ok}",
    "foreign": "401 403 403 403 403 403 403 {ok} 403 {ok}",
}
for _basename in ("milestone", "dependency", "cost-entry", "project-objective"):
    ROUTES[f"{_basename}-list"] = {
        "GET": API_READ,
        **{f"POST {side}": line.format(ok="201") for side, line in PROJECT_WRITE.items()},
    }
    ROUTES[f"{_basename}-detail"] |= {
        f"{method} {side}": line.format(ok="204" if method == "DELETE" else "200")
        for method in ("PUT", "PATCH", "DELETE")
        for side, line in PROJECT_WRITE.items()
    }
# A dependency is added and removed, never edited: PUT and PATCH are not allowed (after the sign-in check).
for _method in ("PUT", "PATCH"):
    for _side in ("own", "foreign"):
        ROUTES["dependency-detail"].pop(f"{_method} {_side}")
    ROUTES["dependency-detail"][f"{_method} foreign"] = API_READ_ONLY


def _delivery_body(world: dict, which: str, key: str, method: str) -> dict:
    """A valid body for a delivery write (a create names the side's project)."""
    side = world[which]
    project = side["programs.project"].pk
    if method == "DELETE":
        return {}
    if key == "milestone-list":
        return {"project": project, "name": "Probe milestone", "due_date": "2026-08-01", "is_key": True}
    if key == "milestone-detail":
        version = Milestone.objects.get(pk=side["programs.milestone"].pk).version
        return {"name": "Probed milestone", "due_date": "2026-08-02", "completed_on": "2026-08-01", "version": version}
    if key == "dependency-list":  # the world links each project to its spare one only
        return {"from_project": project, "to_project": _other_project(world, which), "kind": "blocks"}
    if key == "cost-entry-list":
        return {"project": project, "date": "2026-08-01", "amount": "125.50", "category": "travel"}
    if key == "cost-entry-detail":
        return {"date": "2026-08-02", "amount": "0", "note": "Probed"}
    if key == "project-objective-list":
        return {"project": project, "objective": _free_objective(world, which), "contribution": 3}
    return {"contribution": 1}


def _other_project(world: dict, which: str) -> int:
    """A project the side's project is not yet linked to: the other side's project."""
    return world["foreign" if which == "own" else "own"]["programs.project"].pk


def _free_objective(world: dict, which: str) -> int:
    """An objective the side's project is not yet aligned to: the other side's alignment's objective."""
    return world["foreign" if which == "own" else "own"]["programs.projectobjective"].objective_id


API_BODIES |= dict.fromkeys(
    [
        f"{name}-{kind}"
        for name in ("milestone", "dependency", "cost-entry", "project-objective")
        for kind in ("list", "detail")
    ],
    _delivery_body,
)

# A project's delivery pages: everyone reads them; the project's editors add (a redirect once saved), complete,
# reopen, realign and delete. The world's project is already linked to the only other project of its portfolio,
# so a dependency form sent by an editor comes back with its error (400).
PROJECT_PAGE_WRITE = {side: line.replace("401", "L", 1) for side, line in PROJECT_WRITE.items()}
DELIVERY_LISTS = {
    "programs:milestone_list": ("programs.milestone", "R"),
    "programs:dependency_list": ("programs.dependency", "400"),
    "programs:costentry_list": ("programs.costentry", "R"),
    "programs:projectobjective_list": ("programs.projectobjective", "R"),
}
for _route, (_label, _ok) in DELIVERY_LISTS.items():
    ROUTES[_route] = {
        "GET own": EVERYONE,
        "GET foreign": EVERYONE,
        **{f"POST {side}": line.format(ok=_ok) for side, line in PROJECT_PAGE_WRITE.items()},
    }
    PAGE_OBJECTS[_route] = ("programs.project", {"pk": "pk"})
    PAGE_CREATES[_route] = _label
DELIVERY_ROWS = {
    "programs:milestone_update": ("programs.milestone", {"pk": "project_id", "milestone_pk": "pk"}),
    "programs:milestone_complete": ("programs.milestone", {"pk": "project_id", "milestone_pk": "pk"}),
    "programs:milestone_reopen": ("programs.milestone", {"pk": "project_id", "milestone_pk": "pk"}),
    "programs:milestone_delete": ("programs.milestone", {"pk": "project_id", "milestone_pk": "pk"}),
    "programs:dependency_delete": ("programs.dependency", {"pk": "from_project_id", "dependency_pk": "pk"}),
    "programs:costentry_delete": ("programs.costentry", {"pk": "project_id", "entry_pk": "pk"}),
    "programs:projectobjective_update": ("programs.projectobjective", {"pk": "project_id", "alignment_pk": "pk"}),
    "programs:projectobjective_delete": ("programs.projectobjective", {"pk": "project_id", "alignment_pk": "pk"}),
}
for _route, _target_object in DELIVERY_ROWS.items():
    ROUTES[_route] = {f"POST {side}": line.format(ok="R") for side, line in PROJECT_PAGE_WRITE.items()}
    PAGE_OBJECTS[_route] = _target_object
ROUTES["programs:milestone_update"]["GET own"] = PROJECT_PAGE_WRITE["own"].format(ok="200")


def _delivery_form(world: dict, which: str, key: str) -> dict:
    """A valid form for a delivery page's POST (a milestone's step on the version stored)."""
    side = world[which]
    version = Milestone.objects.get(pk=side["programs.milestone"].pk).version
    return {
        "programs:milestone_list": {"name": "Probe milestone", "due_date": "2026-08-01"},
        "programs:milestone_update": {"name": "Probed", "due_date": "2026-08-02", "version": version},
        "programs:milestone_complete": {"version": version},
        "programs:milestone_reopen": {"version": version},
        "programs:dependency_list": {"kind": "relates", "to_project": side["programs.dependency"].to_project_id},
        "programs:costentry_list": {"date": "2026-08-01", "amount": "12.50", "category": "travel"},
        "programs:projectobjective_list": {"objective": _free_objective(world, which), "contribution": 3},
        "programs:projectobjective_update": {"contribution": 1},
    }.get(key, {})


PAGE_BODIES |= dict.fromkeys([*DELIVERY_LISTS, *DELIVERY_ROWS], _delivery_form)

# --- Capacity: resources, allocations, the heat map ----------------------------------------------------------------
# Everyone reads the heat map, the people and a project's people. Program managers (either program's: people belong
# to no program) add, edit, deactivate and delete people; the editors of a project's program allocate to it. The
# world's resource has no allocations, so deleting it goes through.
#                  anon norole member editor viewer other_pm pgm other_pgm leader super
RESOURCE_WRITE = "401 403 403 403 403 403 {ok} {ok} 403 {ok}"
RESOURCE_PAGE_WRITE = RESOURCE_WRITE.replace("401", "L", 1)
ROUTES["resource-list"] = {"GET": API_READ, "POST own": RESOURCE_WRITE.format(ok="201")}
ROUTES["resource-detail"] |= {
    f"{method} {side}": RESOURCE_WRITE.format(ok="204" if method == "DELETE" else "200")
    for method in ("PUT", "PATCH", "DELETE")
    for side in ("own", "foreign")
}
ROUTES["resource-utilization"] = {"GET": API_READ}
ROUTES["allocation-list"] = {
    "GET": API_READ,
    **{f"POST {side}": line.format(ok="201") for side, line in PROJECT_WRITE.items()},
}
ROUTES["allocation-detail"] |= {
    f"{method} {side}": line.format(ok="204" if method == "DELETE" else "200")
    for method in ("PUT", "PATCH", "DELETE")
    for side, line in PROJECT_WRITE.items()
}


def _capacity_body(world: dict, which: str, key: str, method: str) -> dict:
    """A valid body for a resource or allocation write (an allocation of the side's resource on its project)."""
    side = world[which]
    if method == "DELETE":
        return {}
    if key == "resource-list":
        return {"name": "Probe person", "function": "design", "capacity_hours": "30.0", "cost_rate": "70.00"}
    if key == "resource-detail":
        version = Resource.objects.get(pk=side["programs.resource"].pk).version
        return {"name": f"Probed {which}", "function": "support", "version": version}
    body = {
        "resource": side["programs.resource"].pk,
        "project": side["programs.project"].pk,
        "percent": 40,
        "start_date": "2026-03-02",
        "end_date": "2026-03-27",
    }
    if key == "allocation-list":
        return body
    version = Allocation.objects.get(pk=side["programs.allocation"].pk).version
    return body | {"percent": 60, "version": version}


API_BODIES |= dict.fromkeys(
    ("resource-list", "resource-detail", "allocation-list", "allocation-detail"), _capacity_body
)

RESOURCE_URL = ("programs.resource", {"pk": "pk"})
ALLOCATION_URL = ("programs.allocation", {"pk": "project_id", "allocation_pk": "pk"})
ROUTES |= {
    "programs:capacity": {"GET": EVERYONE},
    "programs:resource_list": {"GET": EVERYONE},
    "programs:resource_detail": {"GET own": EVERYONE, "GET foreign": EVERYONE},
    # A form posted without its fields is redisplayed with its errors (400).
    "programs:resource_create": {
        "GET": RESOURCE_PAGE_WRITE.format(ok="200"),
        "POST": RESOURCE_PAGE_WRITE.format(ok="400"),
    },
    "programs:resource_update": {
        "GET own": RESOURCE_PAGE_WRITE.format(ok="200"),
        "POST foreign": RESOURCE_PAGE_WRITE.format(ok="400"),
    },
    "programs:resource_deactivate": {"POST own": RESOURCE_PAGE_WRITE.format(ok="R")},
    "programs:resource_delete": {
        "GET own": RESOURCE_PAGE_WRITE.format(ok="200"),
        "POST foreign": RESOURCE_PAGE_WRITE.format(ok="R"),
    },
    "programs:allocation_list": {
        "GET own": EVERYONE,
        "GET foreign": EVERYONE,
        **{f"POST {side}": line.format(ok="R") for side, line in PROJECT_PAGE_WRITE.items()},
    },
    "programs:allocation_update": {
        "GET own": PROJECT_PAGE_WRITE["own"].format(ok="200"),
        **{f"POST {side}": line.format(ok="R") for side, line in PROJECT_PAGE_WRITE.items()},
    },
    "programs:allocation_delete": {f"POST {side}": line.format(ok="R") for side, line in PROJECT_PAGE_WRITE.items()},
}
PAGE_OBJECTS |= {
    **dict.fromkeys(
        [f"programs:resource_{name}" for name in ("detail", "update", "deactivate", "delete")], RESOURCE_URL
    ),
    "programs:allocation_list": ("programs.project", {"pk": "pk"}),
    "programs:allocation_update": ALLOCATION_URL,
    "programs:allocation_delete": ALLOCATION_URL,
}
PAGE_CREATES |= {"programs:resource_create": "programs.resource", "programs:allocation_list": "programs.allocation"}


def _capacity_form(world: dict, which: str, key: str) -> dict:
    """A valid form for an allocation page's POST (the side's resource on its project, on the version stored)."""
    side = world[which]
    form = {
        "resource": side["programs.resource"].pk,
        "percent": 40,
        "start_date": "2026-03-02",
        "end_date": "2026-03-27",
    }
    if key == "programs:allocation_update":
        allocation = Allocation.objects.get(pk=side["programs.allocation"].pk)
        return form | {"resource": allocation.resource_id, "version": allocation.version}
    return form if key == "programs:allocation_list" else {}


PAGE_BODIES |= dict.fromkeys(("programs:allocation_list", "programs:allocation_update"), _capacity_form)

# Each user sees only their own report subscriptions (and those they made for others): the leader's is the
# "own" one. Everyone signed in subscribes themselves (leadership too); the recipient and the superuser change it.
ROUTES["report-subscription-detail"] = {
    "GET own": "401 404 404 404 404 404 404 404 200 200",
    "GET foreign": "401 404 404 404 404 404 404 404 404 200",
    "PUT own": "401 404 404 404 404 404 404 404 200 200",
    "PATCH own": "401 404 404 404 404 404 404 404 200 200",
    "DELETE own": "401 404 404 404 404 404 404 404 204 204",
    "PATCH foreign": "401 404 404 404 404 404 404 404 404 200",
    "DELETE foreign": "401 404 404 404 404 404 404 404 404 204",
}
ROUTES["report-subscription-list"] = {"GET": API_READ, "POST own": "401 201 201 201 201 201 201 201 201 201"}
# Administrators queue reports at once; everyone else is refused.
ROUTES["report-send-now"] = {"POST": "401 403 403 403 403 403 403 403 403 202"}


def _subscription_body(world: dict, which: str, key: str, method: str) -> dict:
    body = {"frequency": "weekly", "weekday": 2, "hour": 7}
    return {"hour": 9} if method == "PATCH" else body


API_BODIES |= dict.fromkeys(("report-subscription-list", "report-subscription-detail"), _subscription_body)

# The report archive and the subscription settings page. Everyone signed in reads every report (HTML and PDF);
# the settings page lists the user's own subscriptions, and only the recipient (or the superuser) edits one.
_ARCHIVED = ("reports.stakeholderreport", {"pk": "pk"})
_SUBSCRIPTION = ("reports.reportsubscription", {"pk": "pk"})
ROUTES["stakeholder_reports:report_list"] = {"GET": EVERYONE}
for _name in ("report_detail", "report_html", "report_pdf"):
    PAGE_OBJECTS[f"stakeholder_reports:{_name}"] = _ARCHIVED
    ROUTES[f"stakeholder_reports:{_name}"] = {"GET own": EVERYONE, "GET foreign": EVERYONE}
# An empty form is redisplayed with its errors (400).
ROUTES["stakeholder_reports:subscription_list"] = {"GET": EVERYONE, "POST": "L 400 400 400 400 400 400 400 400 400"}
PAGE_OBJECTS["stakeholder_reports:subscription_update"] = _SUBSCRIPTION
ROUTES["stakeholder_reports:subscription_update"] = {
    "GET own": "L 404 404 404 404 404 404 404 200 200",
    "GET foreign": "L 404 404 404 404 404 404 404 404 200",
    "POST own": "L 404 404 404 404 404 404 404 400 400",
    "POST foreign": "L 404 404 404 404 404 404 404 404 400",
}
PAGE_OBJECTS["stakeholder_reports:subscription_delete"] = _SUBSCRIPTION
ROUTES["stakeholder_reports:subscription_delete"] = {
    "POST own": "L 404 404 404 404 404 404 404 R R",
    "POST foreign": "L 404 404 404 404 404 404 404 404 R",
}
# The emails' one-click link: signed, no sign-in needed; whoever holds the link may stop that subscription.
PAGE_OBJECTS["stakeholder_reports:unsubscribe"] = ("reports.reportsubscription", {"token": "unsubscribe_token"})
_ANYONE = "200 200 200 200 200 200 200 200 200 200"
ROUTES["stakeholder_reports:unsubscribe"] = {"GET own": _ANYONE, "POST own": _ANYONE}

# --- Status reports: drafted from live data, edited, published, deleted by the project's editors ----------
# The program manager of the report's program (and the superuser) writes; leadership and everyone else reads.
ROUTES["status-report-draft"] = {f"POST {side}": line.format(ok="201") for side, line in PROJECT_WRITE.items()}
ROUTES["status-report-publish"] = {f"POST {side}": line.format(ok="200") for side, line in PROJECT_WRITE.items()}
ROUTES["status-report-detail"] |= {
    f"{method} {side}": line.format(ok="204" if method == "DELETE" else "200")
    for method in ("PUT", "PATCH", "DELETE")
    for side, line in PROJECT_WRITE.items()
}


def _status_report_body(world: dict, which: str, key: str, method: str) -> dict:
    side = world[which]
    if key == "status-report-draft":
        return {"project": side["programs.project"].pk, "period_end": "2019-06-07"}
    if method == "DELETE":
        return {}
    version = StatusReport.objects.get(pk=side["programs.statusreport"].pk).version
    if key == "status-report-publish":
        return {"version": version}
    return {"summary": "Probed.", "overall": "amber", "version": version}


API_BODIES |= dict.fromkeys(
    ("status-report-draft", "status-report-publish", "status-report-detail"), _status_report_body
)
PAGE_CREATES["status-report-draft"] = "programs.statusreport"

# The pages: everyone signed in reads; the program's manager drafts, edits, publishes and deletes a draft. A bare
# edit POST is redisplayed with its errors (400); publish and delete need no field.
PROJECT_PAGE = {side: line.replace("401", "L", 1) for side, line in PROJECT_WRITE.items()}
_REPORT_KWARGS = {"pk": "project.pk", "report_pk": "pk"}
PAGE_OBJECTS["programs:status_report_list"] = ("programs.project", {"pk": "pk"})
PAGE_OBJECTS["programs:status_report_draft"] = ("programs.project", {"pk": "pk"})
PAGE_CREATES["programs:status_report_draft"] = "programs.statusreport"
ROUTES["programs:status_report_list"] = {"GET own": EVERYONE, "GET foreign": EVERYONE}
ROUTES["programs:status_report_draft"] = {f"POST {side}": line.format(ok="R") for side, line in PROJECT_PAGE.items()}
for _name, _post in (("detail", None), ("update", "400"), ("publish", "R"), ("delete", "R")):
    PAGE_OBJECTS[f"programs:status_report_{_name}"] = ("programs.statusreport", _REPORT_KWARGS)
    if _post is None:
        ROUTES[f"programs:status_report_{_name}"] = {"GET own": EVERYONE, "GET foreign": EVERYONE}
        continue
    ROUTES[f"programs:status_report_{_name}"] = {
        **{f"GET {side}": line.format(ok="200") for side, line in PROJECT_PAGE.items()},
        **{f"POST {side}": line.format(ok=_post) for side, line in PROJECT_PAGE.items()},
    }

# --- Dashboards --------------------------------------------------------------------------------------------
# The organisation overview and every portfolio's and program's dashboard are reads for everyone signed in
# (leadership included); nothing on them writes, so a POST is not allowed.
ROUTES["reports:organisation_dashboard"] = {"GET": EVERYONE, "POST": "L 405 405 405 405 405 405 405 405 405"}
ROUTES["reports:portfolio_dashboard"] = {"GET own": EVERYONE, "GET foreign": EVERYONE}
ROUTES["reports:program_dashboard"] = {"GET own": EVERYONE, "GET foreign": EVERYONE}
PAGE_OBJECTS["reports:portfolio_dashboard"] = ("programs.portfolio", {"pk": "pk"})
PAGE_OBJECTS["reports:program_dashboard"] = ("programs.program", {"pk": "pk"})
ROUTES["organisation-dashboard"] = {"GET": API_READ, "POST": API_READ_ONLY}
for _kind in ("portfolio", "program"):
    ROUTES[f"{_kind}-dashboard"] = {"GET own": API_READ, "GET foreign": API_READ, "POST own": API_READ_ONLY}

# --- Ranking and strategy ----------------------------------------------------------------------------
# The ranking is a read for everyone signed in (a write is not allowed on it).
ROUTES["project-ranking"] = {"GET": API_READ, "POST": API_READ_ONLY}
ROUTES["programs:portfolio_ranking"] = {"GET own": EVERYONE, "GET foreign": EVERYONE}
ROUTES["programs:program_ranking"] = {"GET own": EVERYONE, "GET foreign": EVERYONE}
PAGE_OBJECTS["programs:portfolio_ranking"] = ("programs.portfolio", {"pk": "pk"})
PAGE_OBJECTS["programs:program_ranking"] = ("programs.program", {"pk": "pk"})
# Strategy: everyone reads; program managers set objectives; an objective's owner (the program manager's own,
# the other program manager's foreign) edits it and its key results; leadership only reads. A form posted
# without its fields is redisplayed with its errors (400).
_OBJECTIVE_OWNER = {
    "own": "L 403 403 403 403 403 {ok} 403 403 {ok}",
    "foreign": "L 403 403 403 403 403 403 {ok} 403 {ok}",
}
ROUTES["programs:strategy"] = {"GET": EVERYONE}
ROUTES["programs:objective_detail"] = {"GET own": EVERYONE, "GET foreign": EVERYONE}
ROUTES["programs:objective_create"] = {
    "GET": "L 403 403 403 403 403 200 200 403 200",
    "POST": "L 403 403 403 403 403 400 400 403 400",
}
for _name in ("objective_update", "key_result_create", "key_result_update"):
    ROUTES[f"programs:{_name}"] = {
        **{f"GET {side}": line.format(ok="200") for side, line in _OBJECTIVE_OWNER.items()},
        **{f"POST {side}": line.format(ok="400") for side, line in _OBJECTIVE_OWNER.items()},
    }
ROUTES["programs:key_result_delete"] = {f"POST {side}": line.format(ok="R") for side, line in _OBJECTIVE_OWNER.items()}
PAGE_OBJECTS |= {
    "programs:objective_detail": ("core.strategicobjective", {"pk": "pk"}),
    "programs:objective_update": ("core.strategicobjective", {"pk": "pk"}),
    "programs:key_result_create": ("core.strategicobjective", {"pk": "pk"}),
    "programs:key_result_update": ("core.keyresult", {"pk": "objective.pk", "kr": "pk"}),
    "programs:key_result_delete": ("core.keyresult", {"pk": "objective.pk", "kr": "pk"}),
}
PAGE_CREATES |= {"programs:objective_create": "core.strategicobjective", "programs:key_result_create": "core.keyresult"}

# The API's objectives and key results: set by program managers, edited by the objective's owner; objectives are
# not deleted (405), key results are.
_API_OWNER = {side: line.replace("L", "401", 1) for side, line in _OBJECTIVE_OWNER.items()}
ROUTES["objective-list"] = {"GET": API_READ, "POST own": "401 403 403 403 403 403 201 201 403 201"}
ROUTES["objective-detail"] |= {
    f"{method} {side}": line.format(ok="200") for method in ("PUT", "PATCH") for side, line in _API_OWNER.items()
}
ROUTES["key-result-list"] = {
    "GET": API_READ,
    **{f"POST {side}": line.format(ok="201") for side, line in _API_OWNER.items()},
}
ROUTES["key-result-detail"] |= {
    f"{method} {side}": line.format(ok="204" if method == "DELETE" else "200")
    for method in ("PUT", "PATCH", "DELETE")
    for side, line in _API_OWNER.items()
}


def _objective_body(world: dict, which: str, key: str, method: str) -> dict:
    """A valid body for an objective or key result write (a new key result names the side's objective)."""
    side = world[which]
    if method == "DELETE":
        return {}
    if key == "objective-list":
        return {"title": "Probe objective", "start_date": "2026-01-01", "end_date": "2026-12-31"}
    if key == "objective-detail":
        version = StrategicObjective.objects.get(pk=side["core.strategicobjective"].pk).version
        return {"title": "Probed", "start_date": "2026-01-01", "end_date": "2026-12-31", "version": version}
    if key == "key-result-list":
        return {"objective": side["core.strategicobjective"].pk, "title": "Probe", "target_value": "10"}
    return {"title": "Probed", "target_value": "50"}


API_BODIES |= dict.fromkeys(
    ("objective-list", "objective-detail", "key-result-list", "key-result-detail"), _objective_body
)

# --- Risks: logged, edited, closed, reopened, marked occurred and deleted by whoever edits their scope ----------
# The world's risks hang on the side's project: its program's manager (and the superuser) writes, leadership only
# reads. Reopening a risk that is open is refused for its state (400), and changes nothing.
for _basename in ("risk", "mitigation-action"):
    ROUTES[f"{_basename}-list"] = {
        "GET": API_READ,
        **{f"POST {side}": line.format(ok="201") for side, line in PROJECT_WRITE.items()},
    }
    ROUTES[f"{_basename}-detail"] |= {
        f"{method} {side}": line.format(ok="204" if method == "DELETE" else "200")
        for method in ("PUT", "PATCH", "DELETE")
        for side, line in PROJECT_WRITE.items()
    }
# A create names the project: whoever edits some other scope gets a field error on it (400), the rest 403.
ROUTES["risk-list"] |= {
    "POST own": "401 403 403 400 403 400 201 400 403 201",
    "POST foreign": "401 403 403 400 403 400 400 201 403 201",
}
for _action, _ok in (("close", "200"), ("reopen", "400"), ("occurred", "200")):
    ROUTES[f"risk-{_action}"] = {f"POST {side}": line.format(ok=_ok) for side, line in PROJECT_WRITE.items()}
ROUTES["risk-heatmap"] = {"GET": API_READ, "POST": API_READ_ONLY}


def _risk_body(world: dict, which: str, key: str, method: str) -> dict:
    """A valid body for a risk or mitigation action write (a create names the side's project or risk)."""
    side = world[which]
    if method == "DELETE":
        return {}
    if key == "risk-list":
        return {"project": side["programs.project"].pk, "title": "Probe risk", "probability": 4, "impact": 5}
    if key == "mitigation-action-list":
        return {"risk": side["risks.risk"].pk, "description": "Probe action", "due_date": "2026-08-01"}
    if key == "mitigation-action-detail":
        return {"description": "Probed action", "due_date": None}
    version = Risk.objects.get(pk=side["risks.risk"].pk).version
    if key == "risk-close":
        return {"closing_note": "Probed.", "version": version}
    if key in ("risk-reopen", "risk-occurred"):
        return {"version": version}
    return {"title": "Probed risk", "probability": 2, "impact": 2, "version": version}


API_BODIES |= dict.fromkeys(
    (
        "risk-list",
        "risk-detail",
        "risk-close",
        "risk-reopen",
        "risk-occurred",
        "mitigation-action-list",
        "mitigation-action-detail",
    ),
    _risk_body,
)

# The register's pages: everyone reads the register, its CSV, the heat map and a risk; whoever edits the risk's
# scope sees and uses its controls. Logging a risk: anyone who edits some scope gets the form; a project they may
# not edit is not among its choices (400).
_RISK_KWARGS = {"pk": "pk"}
_ACTION_KWARGS = {"pk": "risk_id", "action_pk": "pk"}
ROUTES |= {
    "risks:risk_list": {"GET": EVERYONE},
    "risks:risk_export": {"GET": EVERYONE},
    "risks:risk_heatmap": {"GET": EVERYONE},
    "risks:risk_create": {
        "GET": "L 403 403 200 403 200 200 200 403 200",
        "POST own": "L 403 403 400 403 400 R 400 403 R",
        "POST foreign": "L 403 403 400 403 400 400 R 403 R",
    },
    "risks:risk_detail": {"GET own": EVERYONE, "GET foreign": EVERYONE},
    "risks:risk_update": {
        **{f"GET {side}": line.format(ok="200") for side, line in PROJECT_PAGE_WRITE.items()},
        **{f"POST {side}": line.format(ok="400") for side, line in PROJECT_PAGE_WRITE.items()},
    },
    **{
        f"risks:{name}": {f"POST {side}": line.format(ok="R") for side, line in PROJECT_PAGE_WRITE.items()}
        for name in (
            "risk_close",
            "risk_reopen",
            "risk_occurred",
            "risk_delete",
            "mitigation_action_create",
            "mitigation_action_complete",
            "mitigation_action_reopen",
            "mitigation_action_delete",
        )
    },
}
PAGE_OBJECTS |= {
    **{
        f"risks:{name}": ("risks.risk", _RISK_KWARGS)
        for name in (
            "risk_detail",
            "risk_update",
            "risk_close",
            "risk_reopen",
            "risk_occurred",
            "risk_delete",
            "mitigation_action_create",
        )
    },
    **{
        f"risks:mitigation_action_{name}": ("risks.mitigationaction", _ACTION_KWARGS)
        for name in ("complete", "reopen", "delete")
    },
}
PAGE_CREATES |= {"risks:risk_create": "risks.risk", "risks:mitigation_action_create": "risks.mitigationaction"}


def _risk_form(world: dict, which: str, key: str) -> dict:
    """A valid form for a risk page's POST (a step on the version stored)."""
    side = world[which]
    version = Risk.objects.get(pk=side["risks.risk"].pk).version
    return {
        "risks:risk_create": {
            "project": side["programs.project"].pk,
            "kind": "risk",
            "title": "Probe risk",
            "category": "vendor",
            "probability": 4,
            "impact": 5,
            "status": "open",
            "response": "mitigate",
        },
        "risks:risk_close": {"closing_note": "Probed.", "version": version},
        "risks:risk_reopen": {"version": version},
        "risks:risk_occurred": {"version": version},
        "risks:mitigation_action_create": {"description": "Probe action", "due_date": "2026-08-01"},
    }.get(key, {"post": "yes"})


PAGE_BODIES |= dict.fromkeys(
    [
        "risks:risk_create",
        "risks:risk_close",
        "risks:risk_reopen",
        "risks:risk_occurred",
        "risks:mitigation_action_create",
    ],
    _risk_form,
)

# --- The Django admin, one line per model -----------------------------------------------------------
#
# Who may add some (the add page), change and delete the own and the foreign object. Everyone signed in is
# staff here and reads every model of the five apps, so list, change form (read-only where the user may not
# change), history and delete-page visits follow from these lines (see ``admin_rows``).
#
#                  anon norole member editor viewer other_pm pgm other_pgm leader super
NOBODY = "- - - - - - - - - x"  # the superuser alone
NEVER = "- - - - - - - - - -"
PRODUCT_PART = {
    "add": "- - - x - x - - - x",
    "change own": "- - - x - - - - - x",
    "change foreign": "- - - - - x - - - x",
}
PROJECT_PART = {
    "add": "- - - - - - x x - x",
    "change own": "- - - - - - x - - x",
    "change foreign": "- - - - - - - x - x",
}
SUPERUSER_ONLY = {"add": NOBODY, "change own": NOBODY, "change foreign": NOBODY}

ADMIN_MODELS = {
    # A user who holds anything is not deleted: the page lists what stands in the way.
    "core.user": {**SUPERUSER_ONLY, "delete foreign refused": "L 403 403 403 403 403 403 403 403 200"},
    "core.strategicobjective": PROJECT_PART,  # program managers set objectives; the owner edits one
    "core.keyresult": PROJECT_PART,
    "products.product": {
        "add": "- - - - - x - - - x",
        "change own": "- - - x - - - - - x",
        "change foreign": "- - - - - x - - - x",
        "delete own": NOBODY,  # only the owner (not in the cast) deletes a product
        # It holds features and feedback, so the admin refuses as the product pages do: "Cannot delete", with
        # what stands in the way and the offer to archive; nothing changes (its owner and the superuser see it).
        "delete foreign refused": "L 403 403 403 403 200 403 403 403 200",
    },
    **{
        f"products.{name}": PRODUCT_PART
        for name in (
            "productmember",
            "theme",
            "release",
            "feature",
            "feedback",
            "competitor",
            "marketinsight",
            "productmetric",
            "metricreading",
        )
    },
    "programs.portfolio": {
        "add": "- - - - - - x x - x",
        "change own": NOBODY,  # its owner is the leader, who only reads
        "change foreign": "- - - - - - - x - x",
        # A portfolio with programs is not deleted: the page lists what stands in the way.
        "delete foreign refused": "L 403 403 403 403 403 403 200 403 200",
    },
    "programs.program": {
        **PROJECT_PART,
        "delete own": NOBODY,  # the portfolio owner deletes a program
        "delete foreign refused": "L 403 403 403 403 403 403 200 403 200",  # not while it has projects
    },
    # A project with milestones, allocations, requests … is not deleted: the page lists what stands in the way.
    "programs.project": {**PROJECT_PART, "delete foreign refused": "L 403 403 403 403 403 403 200 403 200"},
    **{f"programs.{name}": PROJECT_PART for name in ("projectobjective", "milestone", "allocation", "costentry")},
    # Which projects a dependency joins is chosen once, through the service: only its note changes, so the empty
    # form saves.
    "programs.dependency": {**PROJECT_PART, "saves empty": True},
    "programs.statusreport": PROJECT_PART,
    "programs.resource": {
        "add": "- - - - - - x x - x",
        "change own": "- - - - - - x x - x",
        "change foreign": "- - - - - - x x - x",
    },
    "programs.resourcerequest": {
        "add": "- - - - - x - - - x",  # product managers, for a product they edit
        "change own": NOBODY,  # the requester (not in the cast) changes a pending request
        "change foreign": "- - - - - x - - - x",  # the other product manager filed it
        "delete foreign": NOBODY,
    },
    "risks.risk": {**PROJECT_PART, "add": "- - - x - x x x - x"},
    "risks.mitigationaction": {**PROJECT_PART, "add": "- - - x - x x x - x"},
    "reports.reportsubscription": {
        "add": "- x x x x x x x x x",  # everyone subscribes themselves
        "change own": "- - - - - - - - x x",  # the leader's own subscription
        "change foreign": NOBODY,
        # Others' subscriptions are not even listed: the admin answers "no such object".
        "hidden own": "- x x x x x x x - -",
        "hidden foreign": "- x x x x x x x x -",
    },
    # All read-only: saving the empty form goes through (and changes nothing).
    "reports.stakeholderreport": {"add": NEVER, "change own": NOBODY, "change foreign": NOBODY, "saves empty": True},
    "reports.reportdelivery": SUPERUSER_ONLY,
    # Other apps' models: the superuser's alone.
    "auth.group": {**SUPERUSER_ONLY, "unreadable": True},
    "authtoken.tokenproxy": {**SUPERUSER_ONLY, "unreadable": True},
    "django_celery_results.taskresult": {**SUPERUSER_ONLY, "unreadable": True, "saves empty": True},
    "django_celery_results.groupresult": {**SUPERUSER_ONLY, "unreadable": True},
    **{
        f"axes.{name}": {**SUPERUSER_ONLY, "add": NEVER, "unreadable": True, "saves empty": True}
        for name in ("accessattempt", "accesslog", "accessfailurelog")
    },
}

# The admin's own pages.
ROUTES |= {
    "admin:index": {"GET": EVERYONE},
    "admin:login": {"GET": "200 R R R R R R R R R"},
    "admin:logout": {"POST": "L L L L L L L L L L"},
    "admin:password_change": {"GET": EVERYONE},
    "admin:password_change_done": {"GET": EVERYONE},
    "admin:jsi18n": {"GET": EVERYONE},
    "admin:app_list": {"GET products": EVERYONE, "GET auth": "L 404 404 404 404 404 404 404 404 200"},
    "admin:autocomplete": {"GET": "L 200 200 200 200 200 200 200 200 200"},
    "admin:view_on_site": {"GET": "L 404 404 404 404 404 404 404 404 404"},
    "admin:(?P<url>.*)$": {"GET": "L 404 404 404 404 404 404 404 404 404"},
    "admin:auth_user_password_change": {
        "GET own": "L 403 403 403 403 403 403 403 403 200",
        "POST foreign": "L 403 403 403 403 403 403 403 403 200",
    },
}


def _cells(line: str) -> list[str]:
    cells = line.split()
    assert len(cells) == len(USERS), f"{line!r} needs one cell per user ({len(USERS)})"
    return cells


def admin_rows(label: str, line: dict) -> dict[str, dict[str, str]]:
    """The rows of one model's admin routes, from who may add, change and delete (``ADMIN_MODELS``)."""
    app_label, model_name = label.split(".")
    unreadable = line.get("unreadable", False)

    def row(allowed: str, yes: str, no: str, *, view: bool = False, side: str | None = None) -> str:
        # The admin answers "no such object" to a visit (``side`` given: not a write) of an object hidden from the user.
        hidden = _cells(line.get(f"hidden {side}", NEVER))
        cells = []
        for user, may, hid in zip(USERS, _cells(allowed), hidden, strict=True):
            if user == "anon":
                cells.append("L")
            elif hid == "x":
                cells.append("R")  # the admin's "no such object" redirect
            elif may == "x" or (view and not unreadable):
                cells.append(yes)
            else:
                cells.append(no)
        return " ".join(cells)

    change_own, change_foreign = line["change own"], line["change foreign"]
    saved = "R" if line.get("saves empty") else "200"  # an empty change form: redisplayed with errors, or saved
    delete_own, delete_foreign = line.get("delete own", change_own), line.get("delete foreign", change_foreign)
    everyone = "- x x x x x x x x x"
    prefix = f"admin:{app_label}_{model_name}"
    rows = {
        f"{prefix}_changelist": {"GET": row(NOBODY, "200", "403", view=True)},
        f"{prefix}_add": {"GET": row(line["add"], "200", "403")},
        f"{prefix}_change": {
            "GET own": row(change_own, "200", "403", view=True, side="own"),
            "POST own": row(change_own, saved, "403"),
            "POST foreign": row(change_foreign, saved, "403"),
        },
        f"{prefix}_delete": {
            "GET own": row(delete_own, "200", "403"),
            "POST foreign": line.get("delete foreign refused") or row(delete_foreign, "R", "403"),
        },
        f"{prefix}_history": {"GET own": row(NOBODY, "200", "403", view=True, side="own")},
        f"admin:{app_label}/{model_name}/<path:object_id>/": {"GET own": row(everyone, "R", "R")},
    }
    if hasattr(admin.site._registry[_model(label)], "history_form_view"):
        rows[f"{prefix}_simple_history"] = {
            "GET own": row(NOBODY, "200", "403", view=True, side="own"),
            "POST foreign": row(change_foreign, "200", "403"),
        }
    return rows


def _model(label: str):
    from django.apps import apps

    return apps.get_model(label)


for _label, _line in ADMIN_MODELS.items():
    ROUTES |= admin_rows(_label, _line)


# --- Walking the resolver and the schema ----------------------------------------------------------


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespace


def route_key(pattern: str, entry: URLPattern, namespace: str) -> str:
    """A route's row key: its URL name (with namespace), or, for the few unnamed ones, namespace and path."""
    if entry.name:
        return f"{namespace}:{entry.name}" if namespace else entry.name
    path = pattern.removeprefix("admin/") if namespace == "admin" else pattern
    return f"{namespace}:{path}" if namespace else path


def resolver_routes() -> dict[str, str]:
    return {route_key(pattern, entry, ns): pattern for pattern, entry, ns in _walk(get_resolver())}


def schema_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [(method.upper(), path) for path, item in schema["paths"].items() for method in item]


def test_every_route_has_a_row():
    missing = sorted(set(resolver_routes()) - set(ROUTES))
    assert not missing, "Routes with no row in the access matrix (add them to ROUTES): " + ", ".join(missing)


def test_every_row_is_a_route():
    stale = sorted(set(ROUTES) - set(resolver_routes()))
    assert not stale, "Rows of the access matrix for routes that no longer exist: " + ", ".join(stale)


def test_every_schema_operation_has_a_row():
    from django.urls import resolve

    missing = []
    for method, path in schema_operations():
        sample = re.sub(r"\{[^}]+\}", "1", path)
        match = resolve(sample)
        key = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        probes = ROUTES.get(key, {})
        if not any(probe.split()[0] == method for probe in probes):
            missing.append(f"{method} {path} ({key})")
    assert not missing, "Schema operations with no probe in the access matrix: " + ", ".join(missing)


# --- Asking -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast and the objects, built once for the module and rolled back at its end."""
    # Built before the per-test settings apply: hash the passwords as the tests check them. The sessions are made
    # once for the whole module, and each request's renewal of them is rolled back with its writes: they must
    # outlive the module however slow the machine (the idle limit would sign everyone out half an hour in).
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[MD5], SESSION_COOKIE_AGE=7 * 24 * 3600):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            world["cookies"] = _sign_in(world)
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _target(key: str, probe: str, world: dict) -> tuple[str, object | None]:
    """The URL a probe asks for, and the object it is about (None for routes without one)."""
    parts = probe.split()
    which = parts[1] if len(parts) > 1 else None
    if key.startswith("admin:"):
        return _admin_target(key, which, world)
    if key in PAGE_OBJECTS:
        label, kwargs = PAGE_OBJECTS[key]
        obj = world[which][label]
        return reverse(key, kwargs={kwarg: _attribute(obj, path) for kwarg, path in kwargs.items()}), obj
    basename = key.rsplit("-", 1)[0]
    if key.endswith("-detail") or key in DETAIL_ACTIONS:
        obj = world[which][API_COLLECTIONS[basename]]
        return reverse(key, kwargs={"pk": obj.pk}), obj
    return reverse(key), None


def _attribute(obj, path: str):
    for name in path.split("."):
        obj = getattr(obj, name)
    return obj


# API actions on one object (``features/{id}/move/``), addressed like its detail route.
DETAIL_ACTIONS = {"feature-move", "product-archive", "product-restore", "status-report-publish"} | {
    f"{kind}-{action}" for kind in ("portfolio", "program", "project") for action in ("archive", "restore")
}
DETAIL_ACTIONS |= {f"resource-request-{action}" for action in ("approve", "reject", "cancel")}
DETAIL_ACTIONS |= {"risk-close", "risk-reopen", "risk-occurred"}
DETAIL_ACTIONS |= {"product-dashboard", "feature-trace"}
DETAIL_ACTIONS |= {"portfolio-dashboard", "program-dashboard"}


def _rows(key: str) -> int | None:
    """How many rows an API collection or a create page's model holds (a refused create must add none); else None."""
    if key in PAGE_CREATES:
        return _model(PAGE_CREATES[key])._base_manager.count()
    basename = key.removesuffix("-list")
    if key.startswith("admin:") or basename == key or basename not in API_COLLECTIONS:
        return None
    return _model(API_COLLECTIONS[basename])._base_manager.count()


def _admin_target(key: str, which: str | None, world: dict) -> tuple[str, object | None]:
    name = key.removeprefix("admin:")
    if name == "app_list":
        return reverse(key, kwargs={"app_label": which}), None
    if name == "autocomplete":
        return "/admin/autocomplete/?app_label=products&model_name=feature&field_name=product&term=A", None
    if name == "view_on_site":
        return "/admin/r/1/1/", None
    if name == "(?P<url>.*)$":
        return "/admin/nowhere/", None
    if name == "auth_user_password_change":
        obj = world[which]["core.user"]
        return reverse(key, args=[obj.pk]), obj
    if name in {"index", "login", "logout", "password_change", "password_change_done", "jsi18n"}:
        return reverse(key), None
    for label in ADMIN_MODELS:
        prefix = label.replace(".", "_") + "_"
        if name.startswith(prefix):
            action = name.removeprefix(prefix)
            break
        if name == label.replace(".", "/") + "/<path:object_id>/":
            action = "redirect"
            break
    else:
        raise AssertionError(f"no admin model for {key}")
    obj = world[which][label] if which else None
    if action in {"changelist", "add"}:
        return reverse(key), None
    if action == "redirect":
        return f"/admin/{label.replace('.', '/')}/{obj.pk}/", obj
    if label == "authtoken.tokenproxy":  # the token admin addresses a token by its user
        return reverse(key, args=[obj.user_id]), obj
    if action == "simple_history":
        history_id = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()
        return reverse(key, args=[obj.pk, history_id]), obj
    return reverse(key, args=[obj.pk]), obj


def _outcome(response) -> str:
    if 300 <= response.status_code < 400:
        location = response.get("Location", "")
        return "L" if "/login/" in location else "R"
    return str(response.status_code)


def _fingerprint(obj) -> dict | None:
    if obj is None:
        return None
    stored = type(obj)._base_manager.filter(pk=obj.pk).first()
    return None if stored is None else model_to_dict(stored)


def _sign_in(world: dict) -> dict:
    """A signed-in session cookie per user, made once: each probe's client starts from a copy of it."""
    cookies = {}
    for user_key, user in world["users"].items():
        client = Client()
        if user is not None:
            client.force_login(user, backend="portfolio.core.backends.AuthenticationBackend")
        cookies[user_key] = client.cookies
    return cookies


def _client(world: dict, user_key: str) -> Client:
    client = Client()
    client.cookies = SimpleCookie(world["cookies"][user_key].output(header="", sep=";"))
    return client


def _ask(client: Client, method: str, url: str, user_key: str, world: dict, key: str = "", which: str | None = None):
    if method == "GET":
        return client.get(url)
    if url == reverse("auth-token"):
        user = world["users"][user_key]
        body = {"username": user.username, "password": PASSWORD} if user else {"username": "nobody"}
        return client.post(url, body, content_type="application/json")
    if key in API_MULTIPART and which:
        return client.post(url, API_MULTIPART[key](world, which, key))
    if url.startswith("/api/"):
        body = API_BODIES[key](world, which, key, method) if key in API_BODIES and which else {}
        return client.generic(method, url, json.dumps(body), content_type="application/json")
    if key in PAGE_BODIES and which:
        return client.post(url, PAGE_BODIES[key](world, which, key))
    return client.post(url, {"post": "yes"})  # "yes" confirms an admin delete; a change form gets no fields


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(ROUTES))
def test_access(world, key):
    """Every probe of the route's row, for every user, answers as the matrix says and refused writes change nothing."""
    problems = []
    for probe, line in ROUTES[key].items():
        method = probe.split()[0]
        url, obj = _target(key, probe, world)
        which = probe.split()[1] if len(probe.split()) > 1 else None
        for user_key, expected in zip(USERS, _cells(line), strict=True):
            client = _client(world, user_key)
            before = (_fingerprint(obj), _rows(key))
            with transaction.atomic():
                response = _ask(client, method, url, user_key, world, key, which)
                after = (_fingerprint(obj), _rows(key))
                transaction.set_rollback(True)
            got = _outcome(response)
            if got != expected:
                body = response.content[:200] if got == "400" else b""
                problems.append(f"{probe} {url} as {user_key}: expected {expected}, got {got} {body.decode()}".rstrip())
            went_through = got == "R" or got.startswith("2")  # 200, 201 (created), 204 (deleted), a redirect
            if method != "GET" and not went_through and before != after:
                problems.append(f"{probe} {url} as {user_key}: refused ({got}) but changed the object")
            if method != "GET" and got == "200" and key.startswith("admin:") and before != after:
                problems.append(f"{probe} {url} as {user_key}: a form that did not save changed the object")
    assert not problems, "\n".join(problems)
