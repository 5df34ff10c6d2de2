"""The words the benchmark organisation's names and titles are made of (kept compact on purpose)."""

from decimal import Decimal

from portfolio.core.models import User

# fmt: off
FIRST_NAMES = (
    "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Liam", "Maya", "Noah",
    "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor", "Wen", "Xavier", "Yara", "Zane", "Amir", "Bea",
    "Carlos", "Dana", "Emil", "Fatima", "Gus", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Mateo", "Nora",
)
LAST_NAMES = (
    "Abe", "Berg", "Costa", "Diaz", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kowalski", "Lund",
    "Moreau", "Nakamura", "Okafor", "Petrov", "Quist", "Rossi", "Schmidt", "Tanaka", "Ueda", "Varga", "Weber", "Xu",
    "Yilmaz", "Zhang", "Novak", "Singh", "Murphy", "Larsen",
)
PRODUCT_WORDS_A = (
    "Atlas", "Beacon", "Cobalt", "Delta", "Ember", "Fable", "Garnet", "Harbor", "Indigo", "Juniper", "Kestrel", "Lumen",
    "Meridian", "Nimbus", "Onyx", "Prism", "Quartz", "Relay", "Summit", "Tidal", "Umber", "Vector", "Willow", "Xenon",
    "Zephyr",
)
PRODUCT_WORDS_B = (
    "Platform", "Billing", "Insights", "Mobile", "Connect", "Studio", "Payments", "Analytics", "Workflow", "Identity",
    "Search", "Messaging", "Scheduler", "Catalog", "Checkout", "Reports", "Gateway", "Support", "Inventory", "Portal",
)
THEME_NAMES = (
    "Onboarding", "Performance", "Reporting", "Integrations", "Security", "Mobile", "Collaboration", "Self-service",
    "Accessibility", "Growth", "Compliance", "Platform health",
)
COLOURS = ("#4c6ef5", "#12b886", "#fab005", "#fa5252", "#7950f2", "#15aabf", "#e64980", "#82c91e")
VERBS = (
    "Add", "Improve", "Redesign", "Automate", "Simplify", "Speed up", "Export", "Import", "Localise", "Audit", "Secure",
    "Share", "Schedule", "Sync", "Bulk-edit", "Preview", "Archive", "Merge", "Filter", "Search",
)
OBJECTS = (
    "invoices", "user roles", "dashboards", "notifications", "the checkout flow", "API tokens", "saved views",
    "CSV reports", "team workspaces", "approval workflows", "audit logs", "single sign-on", "webhooks",
    "the mobile inbox", "usage limits", "custom fields", "comments", "data retention", "templates",
    "onboarding checklists",
)
QUALIFIERS = ("", "", "", " for admins", " for enterprise accounts", " on mobile", " in bulk", " via the API")
FEEDBACK_OPENERS = (
    "Please add", "We struggle with", "Love the new", "Slow loading of", "Cannot find", "Need better", "Confusing",
    "Request: more control over", "Bug in", "Would pay for better",
)
FEEDBACK_BODIES = (
    "", "Came up twice in the quarterly review.", "Our team works around it with spreadsheets today.",
    "Blocking the roll-out to the second region.", "Mentioned by several users in the last survey.",
    "Competitor already offers this.", "Not urgent, but it would save us hours every week.",
    "Raised by the customer's IT department.",
)
RISK_OPENERS = ("Delay in", "Cost overrun on", "Vendor risk for", "Gap in", "Security finding in")
COMPANY_WORDS = (
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne",
    "Soylent", "Massive", "Aperture", "Oscorp", "Gringotts", "Nakatomi", "Monarch", "Dunder", "Pied",
)
COMPANY_SUFFIXES = ("Ltd", "GmbH", "Inc", "AG", "BV", "SA", "Group", "Labs")
SEGMENTS = ("Enterprise", "Mid-market", "SMB", "Public sector", "Education")
COMPETITORS = ("Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Proseware", "Adatum", "Woodgrove")
PORTFOLIO_AREAS = (
    "Customer experience", "Core platform", "Revenue", "Operations", "Data and AI", "Security and compliance",
    "Partner ecosystem", "Internal tools",
)
PROGRAM_WORDS = (
    "Modernisation", "Migration", "Expansion", "Consolidation", "Automation", "Resilience", "Onboarding",
    "Self-service", "Localisation", "Observability",
)
PROJECT_WORDS = (
    "Rebuild", "Launch", "Pilot", "Upgrade", "Roll-out", "Integration", "Discovery", "Hardening", "Retirement",
    "Consolidation",
)
OBJECTIVE_TITLES = (
    "Grow recurring revenue", "Reduce churn", "Expand into new markets", "Raise customer satisfaction",
    "Cut operating costs", "Improve platform reliability", "Shorten time to market", "Meet regulatory requirements",
)
MEMBER_FUNCTIONS = (
    User.Function.ENGINEERING, User.Function.ENGINEERING, User.Function.ENGINEERING, User.Function.DESIGN,
    User.Function.MARKETING, User.Function.SALES, User.Function.SUPPORT, User.Function.OPERATIONS,
)
# fmt: on
EFFORTS = tuple(Decimal(value) for value in ("0.50", "1.00", "2.00", "3.00", "5.00", "8.00", "13.00"))
WSJF_SCALE = (1, 2, 3, 5, 8, 13, 20)
