"""The Flask app: REST API, pages, maps, auth and the scheduler wiring. Thin by design."""
