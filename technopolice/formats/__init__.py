"""Date and time formats where Django's own do not suit the platform (FORMAT_MODULE_PATH)."""
