"""Qt only: windows, item models, dialogs, undo glue. Business rules live in ``core``."""
