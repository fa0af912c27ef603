"""Registry views, one module per area: browse (public pages), contribute (proposals), history."""
