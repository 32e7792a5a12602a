"""The supervisor's dashboard, computed in SQL from the history tables
(models/work_item_history.py, models/case_duration.py) and the open work
items: figures per department and per scenario, overdue work, the
quarterly ranking, the heat map of waiting times, and CSV export. No Flask
here; web/dashboard renders it."""
