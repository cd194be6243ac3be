"""The demo data set: seeded, synthetic rosters and payments that reproduce every figure of the two seed reports."""
