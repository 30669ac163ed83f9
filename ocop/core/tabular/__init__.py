"""Reading uploaded tables (CSV, XLSX, XLS, ODS) for any app: the file readers with their safety checks
(``readers``), header rows of one or two lines matched against an app's own column names (``headers``) and
cell values as people type them (``cells``). Nothing here knows a domain: each importer brings its columns.
"""
