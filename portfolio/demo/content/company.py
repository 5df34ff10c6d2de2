"""Who Brightwell is: its people and their logins, the resource plan's rates and the year's objectives."""

COMPANY = "Brightwell"
EMAIL_DOMAIN = "brightwell.example"

# username, first name, last name, title, function, role ("" = none), is_superuser
PEOPLE = [
    ("admin", "Sam", "Okoro", "IT administrator", "operations", "", True),
    ("product.manager", "Maya", "Lindqvist", "Senior product manager", "product", "Product managers", False),
    ("amara.okafor", "Amara", "Okafor", "Product manager, Analytics", "product", "Product managers", False),
    ("jonas.weber", "Jonas", "Weber", "Product manager, Field", "product", "Product managers", False),
    ("sofia.martins", "Sofia", "Martins", "Group product manager, Revenue", "product", "Product managers", False),
    ("program.manager", "Rafael", "Ortega", "Head of program management", "program", "Program managers", False),
    ("ines.duarte", "Inês", "Duarte", "Program manager, Growth", "program", "Program managers", False),
    ("daniel.kim", "Daniel", "Kim", "Program manager, Platform", "program", "Program managers", False),
    ("leader", "Grace", "Liu", "Chief executive officer", "leadership", "Leadership", False),
    ("tomasz.nowak", "Tomasz", "Nowak", "Chief technology officer", "leadership", "Leadership", False),
    ("helen.achebe", "Helen", "Achebe", "VP Product", "leadership", "Leadership", False),
    ("member", "Noah", "Fischer", "Senior software engineer", "engineering", "Team members", False),
    ("lucia.romero", "Lucía", "Romero", "Senior product designer", "design", "Team members", False),
    ("kwame.mensah", "Kwame", "Mensah", "Engineering manager", "engineering", "Team members", False),
    ("arjun.patel", "Arjun", "Patel", "Staff engineer", "engineering", "Team members", False),
    ("elif.yilmaz", "Elif", "Yılmaz", "Product marketing manager", "marketing", "Team members", False),
    ("oliver.brooks", "Oliver", "Brooks", "Enterprise account executive", "sales", "Team members", False),
    ("mei.tanaka", "Mei", "Tanaka", "Customer support lead", "support", "Team members", False),
    ("chloe.dubois", "Chloé", "Dubois", "QA engineer", "engineering", "Team members", False),
]
LOGINS = ["admin", "product.manager", "program.manager", "leader", "member"]

# People on the resource plan without a login: name, function, capacity hours/week, cost rate/hour.
EXTRA_RESOURCES = [
    ("Priyanka Iyer", "engineering", 40, 92),
    ("Mateo Alvarez", "engineering", 40, 88),
    ("Hannah Schultz", "engineering", 32, 90),
    ("Ben Carter", "engineering", 40, 85),
    ("Yusuf Demir", "engineering", 40, 95),
    ("Aoife Byrne", "design", 40, 80),
    ("Lars Eriksen", "engineering", 40, 98),
    ("Fatima Zahra", "support", 40, 55),
    ("Jack Thompson", "marketing", 32, 70),
    ("Rosa Lindgren", "sales", 40, 75),
]
RATE_BY_FUNCTION = {
    "engineering": 90,
    "design": 82,
    "product": 95,
    "program": 92,
    "marketing": 72,
    "sales": 78,
    "support": 58,
    "operations": 70,
    "leadership": 150,
}

# title, description, owner, weight, status, [(key result, unit, start, target, current)]
OBJECTIVES = [
    (
        "Grow net revenue retention to 115 %",
        "Customers stay and expand: fewer downgrades, more seats and modules per account.",
        "leader",
        5,
        "on-track",
        [("Net revenue retention", "%", 104, 115, 109), ("Expansion ARR", "€m", 2, 6, 3.4)],
    ),
    (
        "Win the enterprise segment",
        "Pass enterprise security reviews first time and close the features that block large deals.",
        "helen.achebe",
        4,
        "at-risk",
        [("Enterprise logos", "customers", 38, 60, 44), ("Security reviews passed first time", "%", 70, 95, 78)],
    ),
    (
        "Make the platform boringly reliable",
        "Customers run their operations on us; outages cost them a working day.",
        "tomasz.nowak",
        4,
        "on-track",
        [("Monthly uptime", "%", 99.5, 99.95, 99.91), ("P1 incidents per quarter", "incidents", 9, 2, 5)],
    ),
    (
        "Ship AI that customers trust",
        "An assistant that saves real time, cites its sources and never leaks customer data.",
        "helen.achebe",
        3,
        "at-risk",
        [("Weekly active Assist users", "users", 0, 5000, 1850), ("Answers accepted without edits", "%", 40, 75, 57)],
    ),
    (
        "Lift self-serve conversion",
        "More trials become paying teams without talking to sales.",
        "leader",
        3,
        "off-track",
        [("Trial-to-paid conversion", "%", 8, 14, 9.2), ("Median time to first workflow", "minutes", 45, 10, 31)],
    ),
    (
        "Retire legacy reporting",
        "Move every Classic Reports customer to Insights and switch the old stack off.",
        "sofia.martins",
        2,
        "on-track",
        [("Customers migrated off Classic Reports", "%", 20, 100, 66)],
    ),
    # Nothing serves this one yet: the strategy page lists it under "Objectives nothing serves".
    (
        "Cut cloud cost per customer by 20 %",
        "Hosting grows slower than revenue: right-size clusters and storage, and show each product its bill.",
        "program.manager",
        2,
        "at-risk",
        [("Cloud cost per customer", "€/month", 41, 33, 39)],
    ),
]
