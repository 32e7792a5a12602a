"""Flask extensions, created unbound and attached in create_app."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# In-process counters: right for the single-server default; a multi-server
# installation points RATELIMIT_STORAGE_URI at Redis.
limiter = Limiter(key_func=get_remote_address, default_limits=[], storage_uri="memory://")
