"""Versions of the text-processing code, stored in every index manifest.

Bump one when a change alters clean text or chunk boundaries: loading then
refuses an index built by the old code and asks for a re-ingest.
"""

CLEANING_VERSION = "2"
CHUNKING_VERSION = "2"
