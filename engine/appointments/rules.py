"""The appointment rules a hall sets, in one place."""

SLOT_MINUTES = 30  # length of one bookable slot
BOOKING_HORIZON_DAYS = 14  # how far ahead applicants may book

# The no-show rule (爽约): NO_SHOW_LIMIT no-shows within NO_SHOW_WINDOW_DAYS
# block online booking for BLOCK_DAYS after the last of them.
NO_SHOW_LIMIT = 3
NO_SHOW_WINDOW_DAYS = 90
BLOCK_DAYS = 30

# Online channels are the ones a block applies to; the phone line and 12345
# book on a caller's behalf after a conversation.
ONLINE_CHANNELS = ("web", "wechat")
