"""The role groups of the organisation (DESIGN §1); permission rules build on them."""

PRODUCT_MANAGERS = "Product managers"
PROGRAM_MANAGERS = "Program managers"
LEADERSHIP = "Leadership"
TEAM_MEMBERS = "Team members"

ALL_ROLES = (PRODUCT_MANAGERS, PROGRAM_MANAGERS, LEADERSHIP, TEAM_MEMBERS)
