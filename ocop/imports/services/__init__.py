"""The import's writes: ``importing`` checks and stores a file (the CLI and the web); ``jobs`` is the web's
flow around it (upload, the check and the import as background jobs, the officer's confirmation)."""
