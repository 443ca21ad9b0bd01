"""Read-only admin registrations (the console shows, services write)."""
