"""The words of the demo organisation: people, products, programs, customers and their feedback.

Plain data only, one module per area; the ``organisation`` package turns it into rows. Brightwell is a
fictional B2B SaaS company selling operations software (workflows, analytics, billing, a field app and an
AI assistant) to service businesses. Every company and person here is invented.
"""
