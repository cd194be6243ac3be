"""The upload pipeline: safe reading, row-addressed validation, preview, all-or-nothing writes, for rosters
(beneficiaries), living surveys and payments (funds) — from the web, the background worker and the CLI."""
