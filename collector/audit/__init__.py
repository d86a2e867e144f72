"""The audit log: who changed which experience or setting, and who erased whom."""
