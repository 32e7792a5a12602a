"""Restricted evaluator for BPMN conditions, scripts, DMN entries, timer and
due-date expressions (DESIGN.md decision 6).

BPMN files are code written by designers; SpiffWorkflow's default
environment runs them with plain ``eval``/``exec`` and full builtins. Here
every source is compiled by RestrictedPython (``compile_restricted`` with a
stricter policy below) and run with its guards, a whitelist of builtins,
size guards against single-operation bombs and a per-thread time limit.
Builtin ``eval``/``exec`` are only ever applied to those restricted code
objects, never to source text.

What scripts may use: the case data, the names in ``ALLOWED_BUILTINS`` and
the ``extra_helpers`` given to ``make_script_engine``. What is refused:

* at compile time: names and attributes starting with ``_``, imports,
  classes, ``print``, ``with``, ``finally``, bare ``except:`` and computed
  ``except`` clauses (those would let a script run code after the time limit
  fired, see ``_Policy.visit_Try``), f-string format specs that are computed
  or wider than ``MAX_FORMAT_WIDTH``;
* at run time: attributes outside a per-type whitelist on data values,
  attributes of classes, ``range`` over ``MAX_RANGE`` items, ``**``, ``*``,
  ``<<``, ``+`` and ``%`` results over the size limits, running longer than
  the time limit;
* values a script leaves in the data that are not JSON (str, int, float,
  bool, None, list, dict with str keys). Tuples become lists; sets are
  refused (write ``sorted(s)``); functions the script defined with ``def`` or
  ``lambda`` at top level are dropped, like SpiffWorkflow does.

Every failure is an ``ExpressionError``; ``RestrictedScriptEngine`` turns it
into a ``WorkflowTaskException`` whose message carries ours.
"""
from __future__ import annotations

import ast
import collections.abc
import copy
import functools
import math
import operator
import re
import sys
import textwrap
import threading
import time
import types

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr_raise,
)
from RestrictedPython.transformer import RestrictingNodeTransformer, copy_locations
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine.python_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.exceptions import SpiffWorkflowException

DEFAULT_TIME_LIMIT = 0.5  # seconds
MAX_RANGE = 100_000  # items in one range()
MAX_ITEMS = 1_000_000  # items or characters made by one *, +, join, replace, ljust...
MAX_RUN_ITEMS = 20_000_000  # items made by those operations in one run, all together
MAX_INT_BITS = 100_000  # about 30,000 decimal digits
MAX_FORMAT_WIDTH = 10_000  # width/precision in '%' formats and f-string specs
# SpiffWorkflow looks for frames of this file name to report the failing line.
FILENAME = "<string>"


class ExpressionError(Exception):
    """A condition, script or expression was refused or failed.

    ``args[0]`` is the message: SpiffWorkflow's ``create_task_exec_exception``
    builds its text from it.
    """

    def __init__(self, message, expression=None, line=None):
        super().__init__(message, expression, line)
        self.message = message
        self.expression = expression
        self.line = line

    def __str__(self):
        return self.message if self.line is None else f"line {self.line}: {self.message}"


# --------------------------------------------------------------------------
# Compile-time policy


class _Policy(RestrictingNodeTransformer):
    """RestrictedPython's policy, stricter, and with size guards on operators."""

    _GUARDED_BINOPS = {ast.Pow: "_pow_", ast.Mult: "_mul_", ast.LShift: "_lshift_",
                       ast.Add: "_add_", ast.Mod: "_mod_"}

    def visit_Import(self, node):
        self.error(node, "imports are not allowed")
        return node

    visit_ImportFrom = visit_Import

    def visit_ClassDef(self, node):
        self.error(node, "class definitions are not allowed")
        return node

    def visit_With(self, node):
        self.error(node, "'with' statements are not allowed")
        return node

    def visit_Name(self, node):
        if node.id in ("print", "printed"):
            self.error(node, "print() is not available: scripts communicate through the case data")
            return node
        return super().visit_Name(node)

    def visit_Try(self, node):
        # The time limit is an exception raised from the trace function, and
        # Python switches tracing off once a trace function raises. Code that
        # could run after that (a finally block, a bare except, an expression
        # in an except clause) would run without a limit, so refuse it.
        # ``except ValueError:`` cannot catch the time limit (a BaseException).
        if node.finalbody:
            self.error(node, "'finally' is not allowed")
        for handler in node.handlers:
            kind = handler.type
            names = kind.elts if isinstance(kind, ast.Tuple) else [kind]
            if kind is None:
                self.error(handler, "a bare 'except:' is not allowed; name the exception, e.g. 'except KeyError:'")
            elif not all(isinstance(n, ast.Name) for n in names):
                self.error(handler, "an 'except' clause may only name exception classes")
        return super().visit_Try(node)

    def visit_While(self, node):
        # `while True: pass` compiles to a jump onto itself, which emits no
        # trace events at all: check the deadline explicitly in every loop.
        node = self.node_contents_visit(node)
        tick = ast.Expr(ast.Call(func=ast.Name("_tick_", ast.Load()), args=[], keywords=[]))
        copy_locations(tick, node)
        copy_locations(tick.value, node)
        copy_locations(tick.value.func, node)
        node.body.insert(0, tick)
        return node

    def visit_BinOp(self, node):
        node = self.node_contents_visit(node)
        guard = self._GUARDED_BINOPS.get(type(node.op))
        if guard is None:
            return node
        call = ast.Call(func=ast.Name(guard, ast.Load()), args=[node.left, node.right], keywords=[])
        copy_locations(call, node)
        copy_locations(call.func, node)
        return call

    def visit_FormattedValue(self, node):
        # f"{x:>1000000000}" builds a huge string in one operation.
        spec = node.format_spec
        if spec is not None:
            parts = spec.values if isinstance(spec, ast.JoinedStr) else [spec]
            if not all(isinstance(p, ast.Constant) for p in parts):
                self.error(node, "computed f-string format specifications are not allowed")
            else:
                widths = [int(n) for p in parts for n in re.findall(r"\d+", str(p.value))]
                if widths and max(widths) > MAX_FORMAT_WIDTH:
                    self.error(node, f"f-string width/precision over {MAX_FORMAT_WIDTH} is not allowed")
        return super().visit_FormattedValue(node)


@functools.lru_cache(maxsize=4096)
def _compile(source, mode):
    """(code or None, errors) for source; cached because gateway conditions
    are compiled on every engine step and compile_restricted costs ms."""
    if mode == "eval":
        # eval() strips leading blanks itself; BPMN XML often indents conditions.
        result = compile_restricted_eval(source.strip(), filename=FILENAME, policy=_Policy)
    elif mode == "exec":
        result = compile_restricted_exec(textwrap.dedent(source), filename=FILENAME, policy=_Policy)
    else:
        raise ValueError(f"mode must be 'eval' or 'exec', not {mode!r}")
    return result.code, tuple(result.errors)


def check_syntax(source, mode="eval"):
    """Error messages for source (empty list when it compiles); runs nothing.

    For the deploy-time validator: the same policy as at run time.
    """
    if not isinstance(source, str):
        return ["expression must be text"]
    return list(_compile(source, mode)[1])


# --------------------------------------------------------------------------
# Run-time guards: names starting with '_' are injected by the policy above
# and by RestrictedPython; scripts cannot name or overwrite them.


def _refuse(message):
    raise ExpressionError(message)


def _check_items(count, what):
    if count > MAX_ITEMS:
        _refuse(f"{what} would make {count:,} items, over the limit of {MAX_ITEMS:,}")
    # Many allowed operations in a loop add up too ([s * 10**6 for ...]).
    made = getattr(_local, "made", 0) + max(count, 0)
    _local.made = made
    if made > MAX_RUN_ITEMS:
        _refuse(f"the script made more than {MAX_RUN_ITEMS:,} items in total")


def _is_int(x):
    return isinstance(x, int)


def _check_pow(a, b, mod=None):
    if mod is None and _is_int(a) and _is_int(b) and b > 0 and abs(a) > 1:
        if b > MAX_INT_BITS or a.bit_length() * b > MAX_INT_BITS:
            _refuse(f"{a} ** {b} refused: the result would exceed {MAX_INT_BITS:,} bits")


def _check_mul(a, b):
    if _is_int(a) and _is_int(b):
        if a.bit_length() + b.bit_length() > MAX_INT_BITS:
            _refuse(f"multiplication refused: the result would exceed {MAX_INT_BITS:,} bits")
    elif isinstance(a, _SEQUENCES) and _is_int(b):
        _check_items(len(a) * b, "repeating a sequence")
    elif isinstance(b, _SEQUENCES) and _is_int(a):
        _check_items(len(b) * a, "repeating a sequence")


def _check_lshift(a, b):
    if _is_int(a) and _is_int(b) and a and a.bit_length() + b > MAX_INT_BITS:
        _refuse(f"{a} << {b} refused: the result would exceed {MAX_INT_BITS:,} bits")


def _check_add(a, b):
    if isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
        _check_items(len(a) + len(b), "concatenation")


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_mod(a, b):
    if isinstance(a, str):
        for width, precision in _PERCENT_SPEC.findall(a):
            for n in (width, precision):
                if n == "*" or (n and int(n) > MAX_FORMAT_WIDTH):
                    _refuse(f"'%' format width/precision over {MAX_FORMAT_WIDTH} is not allowed")


_SEQUENCES = (str, list, tuple, bytes)


def _pow_(a, b, mod=None):
    _check_pow(a, b, mod)
    return pow(a, b) if mod is None else pow(a, b, mod)


def _mul_(a, b):
    _check_mul(a, b)
    return a * b


def _lshift_(a, b):
    _check_lshift(a, b)
    return a << b


def _add_(a, b):
    _check_add(a, b)
    return a + b


def _mod_(a, b):
    _check_mod(a, b)
    return a % b


# RestrictedPython rewrites `x += y` to `x = _inplacevar_('+=', x, y)`; the
# operator.i* functions keep Python's in-place semantics for lists.
_INPLACE = {
    "+=": (_check_add, operator.iadd), "-=": (None, operator.isub),
    "*=": (_check_mul, operator.imul), "/=": (None, operator.itruediv),
    "//=": (None, operator.ifloordiv), "%=": (_check_mod, operator.imod),
    "**=": (_check_pow, operator.ipow), "<<=": (_check_lshift, operator.ilshift),
    ">>=": (None, operator.irshift), "|=": (None, operator.ior),
    "&=": (None, operator.iand), "^=": (None, operator.ixor),
    "@=": (None, operator.imatmul),
}


def _inplacevar_(op, x, y):
    check, fn = _INPLACE[op]
    if check:
        check(x, y)
    return fn(x, y)


# Attributes scripts may use on data values. Other objects (e.g. dates that
# helpers return) get RestrictedPython's safer_getattr: no '_' names, no
# str.format, no frame/code attributes.
_ALLOWED_ATTRIBUTES = {
    str: frozenset("""capitalize casefold center count endswith find index isalnum
        isalpha isascii isdecimal isdigit islower isnumeric isspace istitle isupper
        join ljust lower lstrip partition removeprefix removesuffix replace rfind
        rindex rjust rpartition rsplit rstrip split splitlines startswith strip
        swapcase title upper zfill""".split()),
    dict: frozenset("get keys values items copy update setdefault pop popitem clear".split()),
    # list.extend is wrapped below: a.extend(a) doubles a list in one call.
    list: frozenset("append extend insert remove pop clear index count sort reverse copy".split()),
    tuple: frozenset("count index".split()),
    set: frozenset("""add discard remove pop clear copy update union intersection
        difference symmetric_difference issubset issuperset isdisjoint""".split()),
    int: frozenset("bit_length real imag".split()),
    bool: frozenset(),
    float: frozenset("is_integer real imag".split()),
    type(None): frozenset(),
}


def _guarded_str_method(s, name, method):
    """Wrap str methods whose result size the arguments choose."""

    def call(*args, **kwargs):
        if name in ("center", "ljust", "rjust", "zfill"):
            width = args[0] if args else kwargs.get("width", 0)
            if _is_int(width):
                _check_items(width, f"str.{name}()")
        elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
            old, new = args[0], args[1]
            hits = s.count(old) if old else len(s) + 1
            if len(args) > 2 and _is_int(args[2]) and args[2] >= 0:
                hits = min(hits, args[2])
            _check_items(len(s) + hits * (len(new) - len(old)), "str.replace()")
        elif name == "join" and args:
            items = list(args[0])
            size = sum(len(i) for i in items if isinstance(i, str)) + len(s) * max(len(items) - 1, 0)
            _check_items(size, "str.join()")
            args = (items,) + args[1:]
        return method(*args, **kwargs)

    return call


_SIZED_STR_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "replace", "join"})


def _getattr_(obj, name):
    allowed = _ALLOWED_ATTRIBUTES.get(type(obj))
    if allowed is not None:
        if name not in allowed:
            raise ExpressionError(f"'{type(obj).__name__}.{name}' is not available")
        value = getattr(obj, name)
        if type(obj) is str and name in _SIZED_STR_METHODS:
            return _guarded_str_method(obj, name, value)
        if type(obj) is list and name == "extend":
            return functools.partial(_list_extend, obj)
        return value
    if isinstance(obj, type):
        raise ExpressionError(f"attributes of classes are not available ('{obj.__name__}.{name}')")
    return safer_getattr_raise(obj, name)


def _list_extend(target, items):
    items = list(items)
    _check_items(len(target) + len(items), "list.extend()")
    target.extend(items)


def _getitem_(obj, key):
    return obj[key]


def _getiter_(obj):
    return obj


def _apply_(func, *args, **kwargs):
    return func(*args, **kwargs)


def _range(*args):
    r = range(*args)
    try:
        n = len(r)
    except OverflowError:
        n = MAX_RANGE + 1
    if n > MAX_RANGE:
        _refuse(f"range() of more than {MAX_RANGE:,} items is not allowed")
    return r


def _sum(iterable, /, start=0):
    # sum(list_of_lists, []) concatenates in C without any size check.
    if not isinstance(start, (int, float)):
        _refuse("sum() only adds numbers")
    return sum(iterable, start)


def _round(number, ndigits=None):
    # round(5, -10**9) computes 10 ** 10**9.
    if _is_int(ndigits) and abs(ndigits) > 1000:
        _refuse("round() with more than 1000 digits is not allowed")
    return round(number) if ndigits is None else round(number, ndigits)


_GUARDS = {
    "_getattr_": _getattr_,
    "_getitem_": _getitem_,
    "_getiter_": _getiter_,
    "_write_": full_write_guard,  # dicts and lists of the data; nothing else
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_inplacevar_": _inplacevar_,
    "_apply_": _apply_,
    "_pow_": _pow_,
    "_mul_": _mul_,
    "_lshift_": _lshift_,
    "_add_": _add_,
    "_mod_": _mod_,
}

# Whitelist. Deliberately absent: type getattr setattr delattr vars dir
# globals locals eval exec compile open input __import__ id object super
# iter next map filter reversed bytes memoryview format.
ALLOWED_BUILTINS = {
    **{name: getattr(__import__("builtins"), name) for name in (
        "abs all any bool chr dict divmod enumerate float hash int isinstance "
        "len list max min ord repr set slice sorted str tuple zip").split()},
    "range": _range,
    "sum": _sum,
    "round": _round,
    "pow": _pow_,
    # exception classes so scripts can raise and catch ordinary errors; the
    # time limit derives from BaseException and none of these catch it.
    **{name: getattr(__import__("builtins"), name) for name in (
        "Exception ArithmeticError AssertionError AttributeError IndexError "
        "KeyError LookupError NameError OverflowError RuntimeError TypeError "
        "ValueError ZeroDivisionError").split()},
}


# --------------------------------------------------------------------------
# Time limit: a per-thread trace function (sys.settrace only affects the
# calling thread, so it works in Flask's worker threads, unlike signals).
# The limit is on the thread's CPU time: on a loaded machine a script that is
# waiting for a core has not used its time. The cheap wall clock is checked on
# every event; the thread's CPU clock (a system call) only once the wall
# clock has passed the deadline, which then moves on by the CPU time left.


class _TimeLimitExceeded(BaseException):
    """BaseException so that `except Exception` in a script cannot swallow it."""


_local = threading.local()


def _out_of_time() -> bool:
    now = time.monotonic()
    if now <= _local.deadline:
        return False
    left = _local.cpu_deadline - time.thread_time()
    if left <= 0:
        return True
    _local.deadline = now + left  # it waited for a core: the CPU time it has left still counts
    return False


def _tracer(frame, event, arg):
    if _out_of_time():
        raise _TimeLimitExceeded()
    return _tracer


def _tick_():
    if getattr(_local, "deadline", None) is not None and _out_of_time():
        raise _TimeLimitExceeded()


_GUARDS["_tick_"] = _tick_


def _script_line(tb):
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


# --------------------------------------------------------------------------
# JSON check of what a script leaves in the data


def _to_json(value, path, depth=0):
    if depth > 100:
        _refuse(f"'{path}' is nested too deeply (or contains itself)")
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            _refuse(f"'{path}' is {value}, which cannot be stored in case data")
        return value
    if isinstance(value, (list, tuple)):  # tuples become lists, as JSON would
        return [_to_json(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                _refuse(f"'{path}' has a key {k!r} that is not a string, which cannot be stored in case data")
            out[k] = _to_json(v, f"{path}[{k!r}]", depth + 1)
        return out
    hint = " (use sorted(...) to store a list)" if isinstance(value, (set, frozenset)) else ""
    _refuse(f"'{path}' holds a {type(value).__name__}, which cannot be stored in case data; "
            f"only str, int, float, bool, None, list and dict can{hint}")


def _defined_by_script(value):
    return isinstance(value, types.FunctionType) and value.__code__.co_filename == FILENAME


# --------------------------------------------------------------------------


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """SpiffWorkflow script environment running everything under RestrictedPython."""

    def __init__(self, helpers=None, time_limit=DEFAULT_TIME_LIMIT):
        helpers = dict(helpers or {})
        for name in helpers:
            if not name.isidentifier() or name.startswith("_"):
                raise ValueError(f"helper name {name!r} must be an identifier not starting with '_'")
        self.time_limit = time_limit
        self.builtins = {**ALLOWED_BUILTINS, **helpers}
        super().__init__({"__builtins__": self.builtins, **_GUARDS})

    def evaluate(self, expression, context, external_context=None):
        code = self._code(expression, "eval")
        scope = self._scope(context, external_context)
        result = self._run(code, scope, expression, "eval")
        if isinstance(result, collections.abc.Iterator):
            # A lazy result would run later, outside the time limit.
            raise ExpressionError("the expression returned an iterator; wrap it in list(...)", expression)
        return result

    def execute(self, script, context, external_context=None):
        code = self._code(script, "exec")
        # Run on a copy: a failing script leaves the task data untouched.
        data = copy.deepcopy(context)
        scope = self._scope(data, external_context)
        self._run(code, scope, script, "exec")
        external = external_context or {}
        result = {}
        for key, value in scope.items():
            if key.startswith("_"):
                # Guards, __builtins__ and RestrictedPython temporaries; the
                # script cannot name such keys, so data ones are kept as they were.
                if key in data:
                    result[key] = data[key]
                continue
            if key in external and key not in data:
                continue
            if _defined_by_script(value):
                continue
            try:
                # Unchanged scalars need no check; containers may have been mutated.
                unchanged = key in context and value is data.get(key) and not isinstance(value, (dict, list))
                result[key] = value if unchanged else _to_json(value, key)
            except ExpressionError as err:
                err.expression = script
                raise
        context.clear()
        context.update(result)
        return True

    # -- internals

    def _code(self, source, mode):
        if not isinstance(source, str):
            raise ExpressionError("expression must be text", source)
        code, errors = _compile(source, mode)
        if errors:
            # RestrictedPython says "Line N: text"; keep N in .line, not twice in the text.
            parsed = [re.match(r"(?:Line (\d+|None): )?(.*)", e, re.S).groups() for e in errors]
            first = parsed[0][0]
            message = "; ".join(text if ln == first else f"line {ln}: {text}" for ln, text in parsed)
            line = int(first) if mode == "exec" and first and first.isdigit() else None
            raise ExpressionError(message, source, line)
        return code

    def _scope(self, data, external_context):
        scope = dict(external_context or {})
        scope.update(data)
        scope.update(self.globals)  # last: data cannot replace the guards
        return scope

    def _run(self, code, scope, source, mode):
        outer = getattr(_local, "deadline", None)
        outer_cpu = getattr(_local, "cpu_deadline", None)
        outer_made = getattr(_local, "made", 0)
        deadline, cpu_deadline = time.monotonic() + self.time_limit, time.thread_time() + self.time_limit
        _local.deadline = deadline if outer is None else min(deadline, outer)
        _local.cpu_deadline = cpu_deadline if outer_cpu is None else min(cpu_deadline, outer_cpu)
        if outer is None:
            _local.made = 0  # a nested run shares its caller's item budget
        previous = sys.gettrace()
        try:
            sys.settrace(_tracer)
            try:
                # eval of a RestrictedPython code object, never of source text.
                return eval(code, scope)
            finally:
                # Both are C calls: no trace event can fire in between.
                sys.settrace(previous)
                _local.deadline, _local.cpu_deadline = outer, outer_cpu
                if outer is None:
                    _local.made = outer_made
        except _TimeLimitExceeded as exc:
            raise ExpressionError(f"time limit of {self.time_limit:g} s exceeded", source,
                                  self._line(exc, mode)) from None
        except ExpressionError as err:
            err.expression = source
            if err.line is None:
                err.line = self._line(err, mode)
            raise
        except SpiffWorkflowException:
            raise  # from a helper: SpiffWorkflow adds its own notes
        except NameError as err:
            raise ExpressionError(f"{err}: only case data and the allowed functions can be used",
                                  source, self._line(err, mode)) from err
        except Exception as err:
            raise ExpressionError(f"{type(err).__name__}: {err}", source, self._line(err, mode)) from err

    @staticmethod
    def _line(exc, mode):
        return _script_line(exc.__traceback__) if mode == "exec" else None


class RestrictedScriptEngine(PythonScriptEngine):
    """PythonScriptEngine whose WorkflowTaskException messages say what was refused.

    The base class reports evaluate() failures only as "Error evaluating
    expression ..." and execute() failures as "<Class>:<args[0]>".
    """

    def evaluate(self, task, expression, external_context=None):
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except ExpressionError as err:
            raise WorkflowTaskException(f"Error evaluating expression '{expression}': {err.message}",
                                        task=task, exception=err) from err
        except SpiffWorkflowException as err:
            err.add_note(f"Error evaluating expression '{expression}'")
            raise

    def execute(self, task, script, external_context=None):
        try:
            return self.environment.execute(script, task.data, external_context or {})
        except ExpressionError as err:
            lines = script.splitlines()
            error_line = lines[err.line - 1] if err.line and err.line <= len(lines) else ""
            raise WorkflowTaskException(f"Script error: {err}", task=task, exception=err,
                                        line_number=err.line, error_line=error_line) from err
        except Exception as err:
            raise self.create_task_exec_exception(task, script, err) from err


def make_script_engine(extra_helpers=None, time_limit=DEFAULT_TIME_LIMIT):
    """The script engine for BpmnWorkflow; extra_helpers adds domain functions
    (e.g. the calendar's working-day helpers) to the whitelist."""
    return RestrictedScriptEngine(environment=RestrictedEnvironment(extra_helpers, time_limit))
