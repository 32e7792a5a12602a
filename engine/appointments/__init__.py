"""Appointments (预约办) on the hall's own opening calendar (弹性办):
sessions and slots (hall_calendar), booking with capacity (booking), the
no-show rule (rules, no_shows), reminders and the no-show sweep (jobs), and
check-in at the window (checkin)."""
