"""Serializers of the REST API: `read` renders, `write` validates input for the services."""
