"""Scenario files: read a TOML file (or a built-in name), check every field, return a frozen Scenario.

Every problem becomes a ScenarioError whose message is one line naming the file and the field, e.g.
``my.toml: network.weights[1][0]: expected 2 numbers, got 3``. Sizes are checked before anything
is allocated from them (a file is read at most MAX_FILE_BYTES + 1 bytes, whatever it is), unknown
keys are errors, and nothing in a file is ever executed.

Text fields (title, description, source, notes) may not contain control characters: tab is
allowed everywhere and newline in description and notes only; CRLF line ends become LF. So a title
like "\x1b[31m" cannot reach a terminal, while markup-looking text such as "[bold]x[/]" loads and
is shown literally. File names and keys from a file are escaped when they appear in a message.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from pathlib import Path
from typing import NamedTuple

from . import maths
from .expectations import Expect, printed_decimals, text_decimals
from .layout import Layout, default_neuron_names, quantity_names

try:  # as the standard library's random.py does: hashlib loads OpenSSL, heavy for one digest at start-up
    from _sha256 import sha256
except ImportError:
    from hashlib import sha256

MAX_FILE_BYTES = 1_048_576
MAX_LAYERS = 16  # input and output layers included
MAX_NEURONS = 64  # in any one layer
MAX_SAMPLES = 10_000
MAX_TEXT = {"title": 200, "description": 4000, "source": 500, "source_short": 24}
MAX_NAME = 12
MAX_EXPECTS = 1000
MAX_EXPECT_EPOCH = 1_000_000
# What one round may cost (docs/scenarios.md#limits says how they were chosen): the samples times
# the weights and biases each pass goes through, and the sub-steps the round is made of.
MAX_WORK = 4_000_000
MAX_SUBSTEPS = 12_000_000

ACTIVATIONS = tuple(maths.ACTIVATIONS)  # every name with an entry in the table of maths.py
LOSSES = tuple(maths.LOSSES)
MODES = ("online", "batch")
BIAS_MODES = ("shared", "per-neuron", "none")
HIDDEN_DELTAS = ("original", "updated")
UPDATES = ("end", "after-gradient")  # where each new weight is written: see docs/scenarios.md

_TOP_KEYS = {"title", "description", "source", "source_short", "network", "training", "expect"}
_NETWORK_KEYS = {"layers", "activation", "weights", "bias", "biases", "names", "init"}
_TRAINING_KEYS = {
    "inputs", "targets", "learning_rate", "loss", "mode", "train_biases", "momentum",
    "hidden_deltas_use", "update",
}
_EXPECT_KEYS = {"quantity", "epoch", "value", "printed", "check", "sample", "note", "decimals"}
_PRINTED_FIGURE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_NAME_PATTERN = re.compile(r"\w+")
_RESERVED_NAME = re.compile(r"total|mean|[wb]\d+|b_\w+")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# What no text field may hold: C0/C1 controls except tab and newline (newline is checked per field),
# DEL, line/paragraph separators, and the bidirectional overrides that can make text read reversed.
# Both are patterns, compiled (and cached by re) the first time a text needs a closer look: none
# of their characters is printable, so a printable text needs none (start-up, issue 6).
_FORBIDDEN_IN_TEXT = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
# What `printable` escapes in a message: all of the above, tab and newline too, and lone surrogates
# (from file names that are not valid UTF-8).
_UNPRINTABLE = r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


class ScenarioError(ValueError):
    """A scenario could not be loaded; the message (one line) names the file and the field."""


def printable(text: str) -> str:
    """`text` with control characters, separators, bidi overrides and lone surrogates escaped
    (``\\x1b``, ``\\n``, ``\\udcff``): safe to print on one line of a terminal."""
    if text.isprintable():
        return text
    return re.sub(_UNPRINTABLE, lambda match: repr(match.group())[1:-1], text)


class Scenario(NamedTuple):
    """A validated scenario file: the network, its starting weights, the training set and settings."""

    layers: tuple[int, ...]
    activations: tuple[str, ...]  # one per non-input layer
    weights: tuple[tuple[tuple[float, ...], ...], ...]  # weights[l][j][k]: k in layer l -> j in l+1
    bias: str
    biases: tuple | None  # shared: one float per layer; per-neuron: a tuple per layer; none: None
    names: tuple[tuple[str, ...], ...]
    inputs: tuple[tuple[float, ...], ...]
    targets: tuple[tuple[float, ...], ...]
    learning_rate: float
    loss: str = "half-sse"
    mode: str = "online"
    train_biases: bool = False
    momentum: float = 0.0
    hidden_deltas_use: str = "original"
    update: str = "end"  # "after-gradient": each new value right after its gradient, as the article does
    expects: tuple[Expect, ...] = ()
    title: str = ""
    description: str = ""
    source: str = ""
    source_short: str = ""  # the source in a word, for labels ("article")
    origin: str = ""  # the path or "built-in NAME" it came from (for messages)
    digest: str = ""  # sha256 of the file's bytes

    @property
    def layout(self) -> Layout:
        return Layout(self.layers, self.names, self.bias)

    @property
    def display_title(self) -> str:
        return self.title or Path(self.origin).stem or "untitled scenario"


def builtin_dir() -> Path:
    """The folder of built-in scenarios: installed inside the package, or scenarios/ in a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "scenarios", package.parent / "scenarios"):
        if candidate.is_dir() and any(candidate.glob("*.toml")):
            return candidate
    return package / "scenarios"


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def resolve(name_or_path: str | Path) -> tuple[Path, str]:
    """(path, label for messages) of a scenario given as a path or a built-in name."""
    text = str(name_or_path)
    label = printable(text)
    path = Path(text)
    try:
        path = path.expanduser()
    except RuntimeError:  # "~someone/..." for a user that does not exist: keep it as written
        pass
    try:
        if path.exists() or "/" in text or text.endswith(".toml"):
            return path, label
        builtin = builtin_dir() / f"{text}.toml"
        if builtin.is_file():
            return builtin, f"built-in '{label}'"
    except (OSError, ValueError):  # a name too long for the system, or with a NUL in it
        return path, label
    raise ScenarioError(
        f"{label}: no such file, and no built-in scenario of that name (see `bp-tui list`)"
    )


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load and validate a scenario from a path or a built-in name (e.g. "mazur")."""
    path, label = resolve(name_or_path)
    try:
        with open(path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            # Read one byte past the limit, never more: a device like /dev/zero, a pipe or a file
            # that grows while we read reports a size of 0 (or a stale one) and could be endless.
            data = b"" if size > MAX_FILE_BYTES else stream.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise ScenarioError(f"{label}: is a folder, not a scenario file") from None
    except (FileNotFoundError, NotADirectoryError):
        raise ScenarioError(f"{label}: no such file") from None
    except PermissionError:
        raise ScenarioError(f"{label}: permission denied") from None
    except OSError as exc:
        raise ScenarioError(f"{label}: cannot read: {printable(exc.strerror or str(exc))}") from None
    except ValueError:  # a NUL in the name, or a lone surrogate the file system cannot encode
        raise ScenarioError(f"{label}: no such file (that is not a possible file name)") from None
    if size > MAX_FILE_BYTES:
        raise ScenarioError(f"{label}: file is {size} bytes; the limit is {MAX_FILE_BYTES}")
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(f"{label}: file is larger than the limit of {MAX_FILE_BYTES} bytes")
    return parse_scenario(data, label)


def parse_scenario(data: bytes | str, label: str = "<scenario>") -> Scenario:
    """Validate scenario text (bytes or str); `label` names it in error messages.

    A UTF-8 byte order mark at the start (as some Windows editors write) is skipped.
    """
    label = printable(str(label))
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(f"{label}: {len(raw)} bytes; the limit is {MAX_FILE_BYTES}")
    if b"\x00" in raw:
        raise ScenarioError(f"{label}: is a binary file, not TOML text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{label}: is not UTF-8 text (a binary file?)") from None
    text = text.removeprefix("\ufeff")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{label}: not valid TOML: {printable(str(exc))}") from None
    except RecursionError:
        raise ScenarioError(f"{label}: not valid TOML: nested too deeply") from None
    except ValueError:  # Python refuses to convert a whole number of more than 4300 digits
        raise ScenarioError(f"{label}: not valid TOML: a number has too many digits") from None
    digest = sha256(raw).hexdigest()
    return _Validator(label).scenario(document, digest)


class _Validator:
    """Turns a parsed TOML document into a Scenario, naming the field of every problem."""

    def __init__(self, label: str):
        self.label = label

    def fail(self, where: str, message: str) -> ScenarioError:
        return ScenarioError(f"{self.label}: {where}: {message}")

    # --- primitive checks -------------------------------------------------------------------

    def table(self, value, where: str, allowed: set[str]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a table, got {_kind(value)}")
        unknown = sorted(set(value) - allowed)
        if unknown:
            key = _key_text(unknown[0])
            raise self.fail(
                f"{where}.{key}" if where else key,
                f"unknown key (allowed: {', '.join(sorted(allowed))})",
            )
        return value

    def number(self, value, where: str, low=None, high=None, low_open=False, high_open=False) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(where, f"expected a number, got {_kind(value)}")
        try:
            number = float(value)
        except OverflowError:  # a whole number too large for a float
            number = math.inf
        if not math.isfinite(number):
            raise self.fail(where, f"must be a finite number, got {_number_text(value)}")
        if low is not None and (number < low or (low_open and number == low)):
            raise self.fail(where, f"must be {'>' if low_open else '>='} {low}, got {_number_text(value)}")
        if high is not None and (number > high or (high_open and number == high)):
            raise self.fail(where, f"must be {'<' if high_open else '<='} {high}, got {_number_text(value)}")
        return number

    def integer(self, value, where: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, f"expected a whole number, got {_kind(value)}")
        if not low <= value <= high:
            raise self.fail(where, f"must be between {low} and {high}, got {_number_text(value)}")
        return value

    def text(self, value, where: str, limit: int, lines: bool = False) -> str:
        """A string of at most `limit` characters with no control characters (tab allowed, and
        newline when `lines`); CRLF line ends become LF."""
        if not isinstance(value, str):
            raise self.fail(where, f"expected a string, got {_kind(value)}")
        if len(value) > limit:
            raise self.fail(where, f"is {len(value)} characters; the limit is {limit}")
        value = value.replace("\r\n", "\n")
        bad = None
        if not value.replace("\n", "").replace("\t", "").isprintable():  # something to look at closer
            bad = re.search(_FORBIDDEN_IN_TEXT, value)
        if bad:
            raise self.fail(where, f"contains the control character '{printable(bad.group())}' at "
                            f"position {bad.start() + 1} (text may hold tab and newline only)")
        if not lines and "\n" in value:
            raise self.fail(where, f"must be one line (a line break at position {value.index(chr(10)) + 1})")
        return value

    def choice(self, value, where: str, options: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in options:
            raise self.fail(where, f"must be one of {', '.join(options)}; got {_kind(value)}")
        return value

    def array(self, value, where: str, length: int | None = None, most: int | None = None) -> list:
        if not isinstance(value, list):
            raise self.fail(where, f"expected an array, got {_kind(value)}")
        if length is not None and len(value) != length:
            raise self.fail(where, f"expected {length} entries, got {len(value)}")
        if most is not None and len(value) > most:
            raise self.fail(where, f"has {len(value)} entries; the limit is {most}")
        return value

    def vector(self, value, where: str, length: int) -> tuple[float, ...]:
        items = self.array(value, where, length)
        return tuple(self.number(item, f"{where}[{i}]") for i, item in enumerate(items))

    def matrix(self, value, where: str, rows: int, cols: int) -> tuple[tuple[float, ...], ...]:
        items = self.array(value, where, rows)
        return tuple(self.vector(row, f"{where}[{j}]", cols) for j, row in enumerate(items))

    # --- the document -----------------------------------------------------------------------

    def scenario(self, doc: dict, digest: str) -> Scenario:
        self.table(doc, "", _TOP_KEYS)
        texts = {key: self.text(doc.get(key, ""), key, MAX_TEXT[key], lines=key == "description")
                 for key in MAX_TEXT}
        if "network" not in doc:
            raise self.fail("network", "missing table [network]")
        if "training" not in doc:
            raise self.fail("training", "missing table [training]")
        net = self.table(doc["network"], "network", _NETWORK_KEYS)
        train = self.table(doc["training"], "training", _TRAINING_KEYS)

        layers = self.layers(net)
        activations = self.activations(net, layers)
        bias = self.choice(net.get("bias", "shared"), "network.bias", BIAS_MODES)
        weights, biases = self.parameters(net, layers, bias)
        names = self.names(net, layers)

        loss = self.choice(train.get("loss", "half-sse"), "training.loss", LOSSES)
        self.check_loss_pairing(activations, loss)
        samples = self.samples(train, layers, loss)
        self.check_work(len(samples[0]), layers, bias)
        learning_rate = self.number(
            _required(train, "learning_rate", self, "training"), "training.learning_rate",
            low=0.0, high=1000.0, low_open=True)
        mode = self.choice(train.get("mode", "online"), "training.mode", MODES)
        train_biases = train.get("train_biases", False)
        if not isinstance(train_biases, bool):
            raise self.fail("training.train_biases", f"expected true or false, got {_kind(train_biases)}")
        if train_biases and bias == "none":
            raise self.fail("training.train_biases", 'cannot train biases when network.bias = "none"')
        momentum = self.number(train.get("momentum", 0.0), "training.momentum",
                               low=0.0, high=1.0, high_open=True)
        hidden_deltas = self.choice(train.get("hidden_deltas_use", "original"),
                                    "training.hidden_deltas_use", HIDDEN_DELTAS)
        if hidden_deltas == "updated" and mode == "batch":
            raise self.fail("training.hidden_deltas_use",
                            '"updated" needs mode = "online" (a batch updates once, after every delta)')
        update = self.choice(train.get("update", "end"), "training.update", UPDATES)
        if update == "after-gradient" and mode == "batch":
            raise self.fail("training.update", '"after-gradient" needs mode = "online" (a batch update '
                            "needs every sample's gradient first)")

        layout = Layout(layers, names, bias)
        expects = self.expects(doc.get("expect", []), layout, len(samples[0]), loss, train_biases,
                               momentum, activations, mode, texts["source_short"])
        scenario = Scenario(
            layers=layers, activations=activations, weights=weights, bias=bias, biases=biases,
            names=names, inputs=samples[0], targets=samples[1], learning_rate=learning_rate,
            loss=loss, mode=mode, train_biases=train_biases, momentum=momentum,
            hidden_deltas_use=hidden_deltas, update=update, expects=expects, origin=self.label,
            digest=digest, **texts,
        )
        self.check_substeps(scenario)
        return scenario

    def check_work(self, samples: int, layers: tuple[int, ...], bias: str) -> None:
        """A round passes every sample through every weight and bias: at most MAX_WORK of those."""
        params = parameter_count(layers, bias)
        if samples * params > MAX_WORK:
            raise self.fail("training.inputs", f"{samples:,} samples × {params:,} weights and biases = "
                            f"{samples * params:,} a round; the limit is {MAX_WORK:,} (fewer samples or a "
                            "smaller network)")

    def check_substeps(self, scenario: Scenario) -> None:
        from .plan import RoundPlan

        count = RoundPlan(scenario).count
        if count > MAX_SUBSTEPS:
            samples = len(scenario.inputs)
            raise self.fail("training.inputs", f"a round of {samples:,} samples would have {count:,} sub-steps; "
                            f"the limit is {MAX_SUBSTEPS:,} (fewer samples, a smaller network, or no "
                            "momentum or trained biases)")

    def layers(self, net: dict) -> tuple[int, ...]:
        raw = self.array(_required(net, "layers", self, "network"), "network.layers", most=MAX_LAYERS)
        if len(raw) < 2:
            raise self.fail("network.layers", f"needs at least 2 layers (input and output), got {len(raw)}")
        return tuple(self.integer(n, f"network.layers[{i}]", 1, MAX_NEURONS) for i, n in enumerate(raw))

    def activations(self, net: dict, layers: tuple[int, ...]) -> tuple[str, ...]:
        raw = net.get("activation", "sigmoid")
        count = len(layers) - 1
        if isinstance(raw, str):
            name = self.choice(raw, "network.activation", ACTIVATIONS)
            found = (name,) * count if name != "softmax" else ("sigmoid",) * (count - 1) + ("softmax",)
            if name == "softmax" and count > 1:
                raise self.fail("network.activation",
                                'softmax is for the output layer only: give a list, e.g. ["sigmoid", "softmax"]')
        else:
            items = self.array(raw, "network.activation", count)
            found = tuple(self.choice(a, f"network.activation[{i}]", ACTIVATIONS) for i, a in enumerate(items))
        for i, name in enumerate(found[:-1]):
            if name == "softmax":
                raise self.fail(f"network.activation[{i}]", "softmax is allowed on the output layer only")
        return found

    def parameters(self, net: dict, layers: tuple[int, ...], bias: str):
        if "init" in net:
            if "weights" in net or "biases" in net:
                raise self.fail("network.init", "give either init or weights/biases, not both")
            init = self.table(net["init"], "network.init", {"seed", "scale"})
            seed = self.integer(_required(init, "seed", self, "network.init"), "network.init.seed", 0, 2**32 - 1)
            scale = self.number(init.get("scale", 0.5), "network.init.scale", low=0.0, high=100.0, low_open=True)
            return random_parameters(layers, bias, seed, scale)
        raw = self.array(_required(net, "weights", self, "network"), "network.weights", len(layers) - 1)
        weights = tuple(
            self.matrix(m, f"network.weights[{l}]", layers[l + 1], layers[l]) for l, m in enumerate(raw)
        )
        if bias == "none":
            if "biases" in net:
                raise self.fail("network.biases", 'must be absent when network.bias = "none"')
            return weights, None
        raw_b = self.array(_required(net, "biases", self, "network"), "network.biases", len(layers) - 1)
        if bias == "shared":
            return weights, tuple(self.number(b, f"network.biases[{l}]") for l, b in enumerate(raw_b))
        return weights, tuple(
            self.vector(b, f"network.biases[{l}]", layers[l + 1]) for l, b in enumerate(raw_b)
        )

    def names(self, net: dict, layers: tuple[int, ...]) -> tuple[tuple[str, ...], ...]:
        if "names" not in net:
            return default_neuron_names(layers)
        raw = self.array(net["names"], "network.names", len(layers))
        names = []
        for l, row in enumerate(raw):
            items = self.array(row, f"network.names[{l}]", layers[l])
            for j, name in enumerate(items):
                where = f"network.names[{l}][{j}]"
                self.text(name, where, MAX_NAME)
                if not _NAME_PATTERN.fullmatch(name):
                    raise self.fail(where, f"{name!r}: use letters, digits and _ only")
                if _RESERVED_NAME.fullmatch(name):
                    raise self.fail(where, f"{name!r} would read like E_total/E_mean or a weight or "
                                           "bias name in formulas; choose another")
            names.append(tuple(items))
        flat = [n for row in names for n in row]
        duplicate = next((n for n in flat if flat.count(n) > 1), None)
        if duplicate is not None:
            raise self.fail("network.names", f"{duplicate!r} is used twice")
        return tuple(names)

    def check_loss_pairing(self, activations: tuple[str, ...], loss: str) -> None:
        if (activations[-1] == "softmax") != (loss == "cross-entropy"):
            raise self.fail("training.loss", 'cross-entropy goes with a softmax output layer, and '
                            f'softmax with cross-entropy (got output {activations[-1]}, loss {loss})')

    def samples(self, train: dict, layers: tuple[int, ...], loss: str):
        inputs = self.array(_required(train, "inputs", self, "training"), "training.inputs", most=MAX_SAMPLES)
        targets = self.array(_required(train, "targets", self, "training"), "training.targets", most=MAX_SAMPLES)
        if not inputs:
            raise self.fail("training.inputs", "needs at least one sample")
        if len(targets) != len(inputs):
            raise self.fail("training.targets", f"expected {len(inputs)} rows (one per input row), got {len(targets)}")
        xs = tuple(self.vector(row, f"training.inputs[{s}]", layers[0]) for s, row in enumerate(inputs))
        ts = tuple(self.vector(row, f"training.targets[{s}]", layers[-1]) for s, row in enumerate(targets))
        if loss == "cross-entropy":
            for s, row in enumerate(ts):
                if min(row) < 0 or abs(sum(row) - 1.0) > 1e-9:
                    raise self.fail(f"training.targets[{s}]",
                                    "with cross-entropy each target row must be >= 0 and sum to 1")
        return xs, ts

    def expects(self, raw, layout: Layout, samples: int, loss, train_biases, momentum, activations,
                mode, source_word: str = "") -> tuple:
        items = self.array(raw, "expect", most=MAX_EXPECTS)

        known = quantity_names(layout, loss=loss, train_biases=train_biases, momentum=momentum,
                               samples=samples, activations=activations, mode=mode)
        found = []
        for i, item in enumerate(items):
            where = f"expect[{i}]"
            entry = self.table(item, where, _EXPECT_KEYS)
            quantity = self.text(_required(entry, "quantity", self, where), f"{where}.quantity", 80)
            if quantity not in known:
                lone = layout.neuron_names[-1]
                hint = " (with one output neuron, its error is E_total)" if quantity == f"E_{lone[0]}" else ""
                raise self.fail(f"{where}.quantity", f"{quantity!r} is not a quantity this network computes{hint}")
            epoch = self.integer(_required(entry, "epoch", self, where), f"{where}.epoch", 1, MAX_EXPECT_EPOCH)
            printed = self.printed_figure(entry, where)
            if "value" not in entry and not printed:
                raise self.fail(f"{where}.value", "is required (or printed, the figure as the source printed it)")
            value = self.number(entry["value"], f"{where}.value") if "value" in entry else float(printed)
            check = self.text(entry.get("check", ""), f"{where}.check", 60)
            if printed and "check" in entry:
                raise self.fail(f"{where}.check", "a figure is either the source's (printed) or a check of "
                                "the computation (check), not both")
            sample = self.integer(entry.get("sample", 1), f"{where}.sample", 1, samples)
            note = self.text(entry.get("note", ""), f"{where}.note", 1000, lines=True)
            decimals = printed_decimals(value) if "value" in entry else text_decimals(printed)
            if "decimals" in entry:  # e.g. an exact 0, which would otherwise count as one decimal
                decimals = self.integer(entry["decimals"], f"{where}.decimals", 0, 20)
            expect = Expect(quantity, epoch, value, decimals, sample - 1, note, printed, check, source_word)
            if printed and not expect.printed_agrees and not note.strip():
                raise self.fail(f"{where}.note", f"is required when the printed figure ({printed}) is not the "
                                f"exact value ({expect.figure}): say why the source differs")
            found.append(expect)
        return tuple(found)

    def printed_figure(self, entry: dict, where: str) -> str:
        """The source's figure as printed: a number written as text, so its digits stay as printed."""
        if "printed" not in entry:
            return ""
        text = entry["printed"]
        if not isinstance(text, str):
            raise self.fail(f"{where}.printed", f'expected the figure as text, e.g. "0.291027924" (text keeps '
                            f"every digit as printed), got {_kind(text)}")
        text = self.text(text, f"{where}.printed", 40).strip()
        if not _PRINTED_FIGURE.fullmatch(text):
            raise self.fail(f"{where}.printed", f"{text!r} is not a number as printed (digits, a point, a sign)")
        if not math.isfinite(float(text)):
            raise self.fail(f"{where}.printed", f"must be a finite number, got {text!r}")
        return text


def _required(table: dict, key: str, validator: _Validator, where: str):
    if key not in table:
        raise validator.fail(f"{where}.{key}", "is required")
    return table[key]


def _key_text(key: str) -> str:
    """A key from a file as it would be written in TOML: bare when it can be, else quoted and escaped."""
    if _BARE_KEY.fullmatch(key):
        return key
    shown = key if len(key) <= 40 else key[:37] + "..."
    return '"' + printable(shown.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def _number_text(value) -> str:
    """A number from a file for a message; a whole number of hundreds of digits is not spelled out."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return f"{'-' if value < 0 else ''}a whole number of {len(str(abs(value)))} digits"
    return repr(value)


def _kind(value) -> str:
    kinds = {bool: "a boolean", int: "a whole number", float: "a number", str: "a string",
             list: "an array", dict: "a table"}
    described = kinds.get(type(value), type(value).__name__)
    if isinstance(value, str):
        shown = value if len(value) <= 20 else value[:17] + "..."
        return f"{described} {shown!r}"
    return described


def parameter_count(layers: tuple[int, ...], bias: str) -> int:
    """Weights and biases of a network with these layer sizes."""
    weights = sum(a * b for a, b in zip(layers, layers[1:]))
    biases = {"shared": len(layers) - 1, "per-neuron": sum(layers[1:]), "none": 0}[bias]
    return weights + biases


def random_parameters(layers: tuple[int, ...], bias: str, seed: int, scale: float):
    """Seeded uniform start in [-scale, scale]: the same seed gives the same network everywhere."""
    import random  # only scenarios that ask for a random start need it

    rng = random.Random(seed)
    draw = lambda: rng.uniform(-scale, scale)  # noqa: E731 - one-line helper
    weights = tuple(
        tuple(tuple(draw() for _k in range(layers[l])) for _j in range(layers[l + 1]))
        for l in range(len(layers) - 1)
    )
    if bias == "none":
        return weights, None
    if bias == "shared":
        return weights, tuple(draw() for _l in range(len(layers) - 1))
    return weights, tuple(tuple(draw() for _j in range(layers[l + 1])) for l in range(len(layers) - 1))
