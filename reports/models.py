# Report snapshots arrive with the evaluation engine (issue 4).
