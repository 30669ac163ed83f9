"""Legal periods of OCOP evaluation (see periods.py). A leaf package: it imports no other ocop app."""
