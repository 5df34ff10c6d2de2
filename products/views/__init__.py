"""Pages of the products app, one module per area: products, the roadmap editor and features."""
