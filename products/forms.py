"""Forms of the products pages: shape only; the rules and the model checks are the services'."""
