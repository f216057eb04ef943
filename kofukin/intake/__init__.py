"""Intake: real result files (CSV or Excel) read, normalised and validated, every problem named by file, row and
column; blank templates to fill in. Uses only the model."""
