"""Importers: one module per input format. Each reads a file into forcewatch's shapes and reports
every problem it found (file, row, column, value, expectation); none of them writes to the store."""
