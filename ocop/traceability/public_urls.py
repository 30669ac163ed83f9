"""Stamp addresses at the site root: GS1 Digital Link style /01/{GTIN}/10/{lot}/21/{serial} and /s/{code}."""

urlpatterns: list = []
