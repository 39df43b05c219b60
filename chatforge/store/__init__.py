"""The serving database: serve's and annotate's SQLAlchemy tables on one metadata (database.py, annotation.py),
API keys and who is calling (auth.py), retention (retention.py). SQLite (WAL) file or PostgreSQL by URL."""
