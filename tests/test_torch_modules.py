"""PyTorch models as written: ``nn.Module`` classes, containers, ``forward`` read for the order
of the calls and the shapes, torchinfo's nested layout with its depth and columns, and
``print(model)`` trees read back.

Ground truth: ``tests/data/torch_modules.json`` (``scripts/record_torch_modules.py``): each
cell run for real in torch 2.13, each ``torchinfo.summary(...)`` call's text kept, and
``sum(p.numel() for p in model.parameters())``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_lstmparams import model_summary, summary_text
from sphinxcontrib_lstmparams.model.body import parse_model_directive
from sphinxcontrib_lstmparams.model.layout import breakdown_label
from sphinxcontrib_lstmparams.model.summary import ModelError
from sphinxcontrib_lstmparams.model.torch import shapes
from sphinxcontrib_lstmparams.model.torch.printed_tree import looks_like_tree

TESTS = Path(__file__).parent
DATA = json.loads((TESTS / "data" / "torch_modules.json").read_text(encoding="utf-8"))
CASES = {case["name"]: case for case in DATA["cases"]}
CALLS = [(name, index) for name, case in CASES.items() for index in range(len(case["summaries"]))]
Project = Callable[..., Any]


def torchinfo_as_meant(text: str) -> str:
    """torchinfo 1.8 on Python 3.11+ writes its unit enum's name; we write the unit."""
    return re.sub(r"\(Units\.(MEGA|GIGA|TERA)BYTES\)", lambda m: f"({m[1][0]})", text)


def without_hidden(text: str) -> str:
    """The text without our line on what print(model) cannot show."""
    return "\n".join(
        line for line in text.splitlines() if not line.startswith("print(model) does not show")
    )


def read(case: dict[str, Any], call: str = "", **options: Any) -> Any:
    """The case's cell (and a summary call after it), read as the directive reads it."""
    variable = case["model_variable"]
    return model_summary(
        case["code"] + "\n" + call,
        define=case["define"],
        model_variable=None if variable == "model" else variable,
        **options,
    )


# -- the recording -------------------------------------------------------------------------------


def test_the_recording_covers_what_the_issue_asks() -> None:
    code = "\n".join(case["code"] for case in DATA["cases"])
    for form in (
        "nn.ModuleList([", "nn.ModuleList()", ".append(", "nn.ModuleDict({", "nn.ModuleDict([",
        "OrderedDict(", "nn.Parameter(", "register_buffer(", "super().__init__()",
        "super(GRUNet, self).__init__()", "nn.Module.__init__(self)", "from_pretrained(",
        "requires_grad = False", "F.relu(", "torch.relu(", "torch.flatten(x, 1)",
        "x.view(x.size(0), -1)", ".reshape(", ".permute(", "torch.cat(", "out[:, -1]",
        "output, (hidden, cell) = self.rnn(", "h[-1]", "hidden[-2,:,:]", "torch.bmm(",
    ):  # fmt: skip
        assert form in code, form
    printed = [s["printed"] for case in DATA["cases"] for s in case["summaries"]]
    assert any("(recursive)" in text for text in printed)
    assert any("│    │    │    │    └─" in text for text in printed)  # five deep
    assert any("+ Linear (project)" in text for text in printed)  # ascii_only, var_names
    calls = [s["call"] for case in DATA["cases"] for s in case["summaries"]]
    for word in ("depth=0", "depth=1", "depth=2", "depth=4", "depth=5", "col_width=16",
                 *COLUMNS, "input_data=", "dtypes=", "hide_recursive_layers"):  # fmt: skip
        assert any(word in call for call in calls), word
    models = [case["printed_model"] for case in DATA["cases"]]
    assert any("(0-3): 4 x Block(" in text for text in models)
    assert len(CASES) >= 15


COLUMNS = ("input_size", "output_size", "num_params", "params_percent", "kernel_size",
           "mult_adds", "trainable")  # fmt: skip


@pytest.mark.parametrize(("name", "index"), CALLS)
def test_torchinfo_prints_what_torchinfo_printed(name: str, index: int) -> None:
    case = CASES[name]
    recorded = case["summaries"][index]
    summary = read(case, recorded["call"])
    assert summary_text(summary) == torchinfo_as_meant(recorded["printed"])
    assert summary.step_problems == () and summary.complete


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_totals_are_what_parameters_holds(name: str) -> None:
    case = CASES[name]
    summary = read(case)
    assert (summary.total, summary.trainable) == (case["total"], case["trainable"])
    assert summary.non_trainable == case["total"] - case["trainable"]
    assert summary.as_dict()["modules"]["parameters"] == case["total"]


def test_the_rows_are_torchinfos_own() -> None:
    """Row by row against torchinfo's summary_list: depth, number, class, name, recursive."""
    for case in DATA["cases"]:
        recorded = case["summaries"][0]
        summary = read(case, recorded["call"])
        ours = [
            (r.module.depth, r.module.depth_index, r.cls, r.module.var_name, r.module.recursive)
            for r in summary.rows
        ]
        theirs = [
            (row["depth"], row["depth_index"], row["class"], row["var_name"], row["recursive"])
            for row in recorded["rows"][1:]
        ]
        assert ours == theirs, case["name"]


def test_the_seq2seq_tutorials_give_their_printed_totals() -> None:
    """bentrevett/pytorch-seq2seq (commit b3cd54c), notebooks 1, 2 and 3: their Encoder,
    Decoder (and Attention) and Seq2Seq cells and the cell that makes the model, as written,
    with the vocabulary sizes defined (``len(de_vocab), len(en_vocab)`` prints ``(7853,
    5893)`` there). The notebooks print "The model has 13,898,501 trainable parameters",
    14,219,781 and 20,518,405."""
    totals = {}
    for name in ("seq2seq-1-lstm", "seq2seq-2-gru", "seq2seq-3-attention"):
        summary = read(CASES[name])
        totals[name] = summary.trainable
        assert summary.complete and summary.title == "Seq2Seq"
        assert f"Total params: {summary.total:,}\n" in summary_text(summary)
    assert totals == {
        "seq2seq-1-lstm": 13_898_501,
        "seq2seq-2-gru": 14_219_781,
        "seq2seq-3-attention": 20_518_405,
    }


def test_a_recurrent_rows_breakdown_is_headed_as_a_person_says_it() -> None:
    summary = read(CASES["seq2seq-1-lstm"])
    labels = [breakdown_label(summary, i) for i, row in enumerate(summary.rows) if row.recurrent]
    assert labels == ["encoder.rnn: LSTM (LSTM: 2-2)", "decoder.rnn: LSTM (LSTM: 2-5)"]


def test_the_docs_show_what_torchinfo_printed_beside_each_example() -> None:
    """models.rst shows each PyTorch example next to what torchinfo printed for the same
    code: the snippet's body is the recorded cell (or print(model) text), and it gives that
    text (we write the unit torchinfo means)."""
    docs = TESTS.parent / "docs" / "snippets"
    examples = {  # snippet: (case, the summary call shown beside it, body = the model's text)
        "model-torch-class": ("cifar-net", 2, False),
        "model-torch-define": ("sentiment-bilstm", 0, False),
        "model-torch-depth": ("nested-three-deep", 2, False),
        "model-torch-tree": ("seq2seq-1-lstm", 0, True),
    }
    for snippet, (name, index, tree) in examples.items():
        case = CASES[name]
        source = (docs / "rst" / f"{snippet}.rst").read_text(encoding="utf-8")
        body = "\n".join(line[3:] for line in source.partition("\n\n")[2].splitlines())
        expected = case["printed_model"] if tree else case["code"]
        written = (
            expected,
            expected.rpartition("\n\nnet = ")[0],  # the class alone, with :model-class:
            expected + "summary(model, input_size=(2, 10, 12))",  # its own summary() call
        )
        assert body.strip() in [text.strip() for text in written]
        lines = [line[3:] for line in source.splitlines()[1:]]
        given = parse_model_directive(lines, ("summary",), lambda text: text)
        printed = (docs / "printed" / f"{name}.txt").read_text(encoding="utf-8").rstrip("\n")
        assert printed == case["summaries"][index]["printed"]
        text = without_hidden(summary_text(given.summary))
        assert text.replace("at least ", "") == torchinfo_as_meant(printed), snippet


# -- modules made of modules (issue 22's layer kinds) -----------------------------------------

KINDS = json.loads((TESTS / "data" / "layer_kinds.json").read_text(encoding="utf-8"))
NESTED_KINDS = [
    case for case in KINDS["cases"] if case["framework"] == "pytorch" and "torchinfo_rows" in case
]
TUPLES = re.compile(r"\b(LSTM|GRU|RNN|MultiheadAttention)\(")  # what returns (output, ...)


def kinds_cell(case: dict[str, Any], depth: str) -> str:
    """The recorder's model (tests/data/layer_kinds.json) written as a class: its modules
    made in __init__ and called in turn in forward (a tuple's first item passed on)."""
    head = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
    head += "from torchinfo import summary\n\nclass Model(nn.Module):\n    def __init__(self):\n"
    head += "        super().__init__()\n"
    if case["sort"] == "several":
        args = ", ".join(f"xs[{i}]" for i in case["call"])
        tail = "[0]" if TUPLES.search(case["line"]) else ""
        data = ", ".join(f"torch.zeros{tuple(size)}" for size in case["inputs"])
        return (
            f"{head}        self.layer0 = {case['line']}\n    def forward(self, *xs):\n"
            f"        return self.layer0({args}){tail}\nmodel = Model()\n"
            f"summary(model, input_data=[{data}], depth={depth})\n"
        )
    made, calls = [], []
    for i, line in enumerate(case["lines"]):
        if line.startswith("x"):
            calls.append(f"        x = {line}")
            continue
        made.append(f"        self.layer{i} = {line}")
        calls.append(f"        x = self.layer{i}(x)" + ("[0]" if TUPLES.search(line) else ""))
    dtype = "torch.long" if case["input_dtype"] == "int64" else "torch.float32"
    return (
        head + "\n".join(made) + "\n    def forward(self, x):\n" + "\n".join(calls)
        + "\n        return x\nmodel = Model()\n"
        + f"summary(model, input_size={tuple(case['input_shape'])}, dtypes=[{dtype}], "
        + f"depth={depth})\n"
    )  # fmt: skip


def table_rows(text: str) -> list[str]:
    lines = text.splitlines()
    rules = [i for i, line in enumerate(lines) if line and set(line) == {"="}]
    return lines[rules[1] + 1 : rules[2]]


def test_layers_made_of_modules_nest_as_torchinfo_nests_them() -> None:
    """Every nested torchinfo table issue 22 recorded (nn.MultiheadAttention, the Transformer
    layers and stacks, at depth 1, 3 and 10): its children called in torch's order, the ones
    forward never calls (MultiheadAttention's out_proj) without a row, ModuleList put in."""
    assert len(NESTED_KINDS) >= 15
    for case in NESTED_KINDS:
        for depth, rows in case["torchinfo_rows"].items():
            summary = model_summary(kinds_cell(case, depth))
            assert table_rows(summary_text(summary)) == rows, (case["name"], depth)


# -- print(model) ---------------------------------------------------------------------------------

# cases whose print(model) text shows every parameter (no nn.Parameter of their own, no
# module set on two attributes, none frozen)
TREES = sorted(
    name
    for name, case in CASES.items()
    if name not in ("nested-three-deep", "shared-and-unused", "frozen-parameters")
    and any(s["call"].endswith(("(model)", "(net)")) for s in case["summaries"])
)


@pytest.mark.parametrize("name", TREES)
def test_a_print_model_tree_gives_torchinfos_rows_without_an_input(name: str) -> None:
    case = CASES[name]
    summary = model_summary(case["printed_model"])
    recorded = next(s for s in case["summaries"] if s["call"].endswith(("(model)", "(net)")))
    text = summary_text(summary)
    assert without_hidden(text).replace("at least ", "") == torchinfo_as_meant(recorded["printed"])
    assert summary.total == case["total"]
    custom = [line for line in case["printed_model"].splitlines() if "Sequential(" not in line]
    if any(re.match(r"^\s*(\(\w+\): )?[A-Z]\w*\($", line) for line in custom):
        assert "Total params: at least" in text and not summary.complete
        assert any("print(model) does not show an nn.Parameter" in n for _l, n in summary.notes)
    else:
        assert summary.complete


def test_every_layer_we_count_reads_back_from_its_repr() -> None:
    """What print(model) writes for each PyTorch layer of issue 22's recording counts what
    parameters() holds; nn.MultiheadAttention shows only its out_proj, so its in_proj is
    assumed (key and value as wide as the query) and a note says so."""
    assumed = 0
    for line, text, numel in DATA["layer_reprs"]:
        tree = "Sequential(\n  (0): " + "\n  ".join(text.splitlines()) + "\n)"
        summary = model_summary(tree, framework="pytorch")
        if "MultiheadAttention" in text:
            assert any("its in_proj is counted as" in note for _l, note in summary.notes)
            if summary.total != numel:
                assumed += 1
                assert "kdim" in line or "add_bias_kv" in line, line
                continue
        assert (summary.total, summary.complete) == (numel, True), line
    assert len(DATA["layer_reprs"]) >= 150 and assumed == 3


def test_a_tree_names_where_its_parameters_may_hide() -> None:
    summary = model_summary(CASES["nested-three-deep"]["printed_model"])
    assert summary.total == 4_867 - 1 * 1 * 16 - 1 * 11 * 16  # cls_token, pos_embedding unseen
    [(line, note)] = [(line, n) for line, n in summary.notes if "nn.Parameter" in n]
    assert line == 0 and "Classifier, Encoder, Block, FeedForward may hold more" in note
    text = summary_text(summary)
    assert "Total params: at least 4,675" in text
    assert "holds itself (Classifier, Encoder, Block, FeedForward): the totals are at least" in text


def test_tree_detection_and_errors() -> None:
    tree = CASES["every-leaf"]["printed_model"].splitlines()
    assert looks_like_tree(tree)
    assert not looks_like_tree(["Linear(in_features=3, out_features=4, bias=True)", "ReLU()"])
    with pytest.raises(ModelError) as caught:
        model_summary("\n".join(tree[:-1]))
    assert "never closed" in str(caught.value) and caught.value.line == 0
    with pytest.raises(ModelError) as caught:
        model_summary("\n".join([*tree, ")"]))
    assert caught.value.line == len(tree)
    odd = model_summary("Net(\n  (fc): Linear(in_features=3, out_features=4, bias=True)\n"
                        "  (pool): FancyPool(output_size=(1, 1))\n)")  # fmt: skip
    assert [row.problem is not None for row in odd.rows] == [False, True]
    assert odd.rows[1].line == 2 and "at least 16" in summary_text(odd)


def test_a_tree_of_sequentials_runs_with_an_input() -> None:
    tree = "Sequential(\n  (0): Linear(in_features=8, out_features=4, bias=True)\n  (1): ReLU()\n)"
    summary = model_summary(tree, input_shape=(2, 8))
    assert summary.output_shape == (2, 4) and summary.complete
    custom = model_summary(CASES["cifar-net"]["printed_model"], input_shape=(1, 3, 32, 32))
    assert custom.input_shape is None  # Net's forward is not in the tree: no shapes
    assert any("does not show forward" in note for _line, note in custom.notes)


# -- the cell as a whole -------------------------------------------------------------------------


def test_a_summary_call_before_the_model_is_made_still_finds_it() -> None:
    case = CASES["quickstart-sequential-in-a-class"]
    call = case["summaries"][1]["call"]
    head, _, tail = case["code"].partition("device = ")
    summary = model_summary(head + call + "\ndevice = " + tail)
    assert summary_text(summary) == torchinfo_as_meant(case["summaries"][1]["printed"])


def test_the_model_by_its_class_and_arguments() -> None:
    case = CASES["gru-last-step"]
    code = case["code"].rpartition("model = ")[0]  # the class only: no model made
    with_args = model_summary(code, model_class="GRUNet(5, 256, 1, 2)", input_shape=(32, 24, 5))
    assert with_args.total == case["total"] and with_args.output_shape == (32, 1)
    missing = model_summary(code)  # made with its defaults: no hidden_dim
    assert not missing.complete
    assert (
        "`input_dim` is an argument the call does not give: give it with define={'input_dim'"
        in (missing.rows[0].problem or "")
    )
    defined = model_summary(
        code, define={"input_dim": 5, "hidden_dim": 256, "output_dim": 1, "n_layers": 2}
    )
    assert defined.total == case["total"]
    with pytest.raises(ModelError, match=r"model-class: Net is not an nn.Module class of the "
                       r"cell \(its classes: GRUNet\)"):  # fmt: skip
        model_summary(code, model_class="Net()")


def test_the_last_module_made_that_no_other_holds_is_the_model() -> None:
    summary = read(CASES["seq2seq-3-attention"])
    assert summary.title == "Seq2Seq"
    encoder = model_summary(CASES["seq2seq-3-attention"]["code"], model_variable="encoder",
                            define=CASES["seq2seq-3-attention"]["define"])  # fmt: skip
    gru = 2 * 3 * (512 * (256 + 512) + 2 * 512)  # bidirectional, two biases per gate
    assert encoder.title == "Encoder" and encoder.total == 7853 * 256 + gru + 1024 * 512 + 512


def test_a_step_that_cannot_be_followed_leaves_only_the_shapes_after_it_unknown() -> None:
    code = CASES["cifar-net"]["code"].replace(
        "x = torch.flatten(x, 1)", "x = x.unfold(1, 2, 2) # not followed"
    )
    summary = model_summary(code + "\nsummary(net, (4, 3, 32, 32))\n")
    line = next(i for i, text in enumerate(code.splitlines()) if "unfold" in text)
    assert summary.step_problems == (
        (line, "x.unfold(1, 2, 2): unfold is not a step the reader follows; the shapes after "
               "it are not known"),
    )  # fmt: skip
    shown = [row.output_shape for row in summary.rows]
    assert shown[:4] == [(4, 6, 28, 28), (4, 6, 14, 14), (4, 16, 10, 10), (4, 16, 5, 5)]
    assert shown[4:] == [None, None, None]
    assert summary.total == 62_006 and summary.complete  # every parameter is counted
    text = summary_text(summary)
    assert "├─Linear: 1-5                            ?" in text and "mult-adds" not in text


def test_shape_rules_say_what_does_not_fit() -> None:
    assert shapes.cat([(2, 3), (2, 5)], 1) == (2, 8)
    assert shapes.index((7, 2, 512), [-2, slice(None), slice(None)]) == (2, 512)
    assert shapes.reduce((2, 10, 16), 1) == (2, 16)
    assert shapes.matmul((2, 1, 7), (2, 7, 512)) == (2, 1, 512)
    assert shapes.expand((1, 1, 16), [2, -1, -1]) == (2, 1, 16)
    with pytest.raises(shapes.StepError, match=r"differ in dimension 0"):
        shapes.cat([(2, 3), (4, 5)], 1)
    with pytest.raises(shapes.StepError, match=r"do not broadcast"):
        shapes.broadcast((2, 3), (4,))


def test_what_torch_would_not_register_or_cannot_be_made_is_said() -> None:
    summary = model_summary(
        """
import torch.nn as nn
import torchvision

class Net(nn.Module):
    def __init__(self):
        self.early = nn.Linear(4, 4)
        super().__init__()
        self.backbone = torchvision.models.resnet18(weights=None)
        self.heads = [nn.Linear(10, 2), nn.Linear(10, 3)]
        self.fc = nn.Linear(1000, 10)

model = Net()
"""
    )
    assert [row.cls for row in summary.rows] == ["Linear", "resnet18", "Linear"]
    assert summary.rows[1].problem is not None and not summary.complete
    assert "at least 10,030" in summary_text(summary)
    warnings = dict(summary.step_problems)
    assert "before super().__init__()" in warnings[6]
    assert "plain list: torch does not register" in dict(summary.notes)[9]


def hostile(cell: str) -> str:
    code = "import torch.nn as nn\nclass Net(nn.Module):\n def __init__(self):\n"
    return code + f"  super().__init__()\n{cell}\n def forward(self, x):\n  return x\nmodel = Net()"


def test_a_hostile_module_is_one_message() -> None:
    huge = model_summary(
        hostile("  self.layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(10 ** 9)])"),
        input_shape=(1, 2),
    )
    assert any("range() of 1,000,000,000 numbers" in p for _line, p in huge.step_problems)
    assert "at least" in summary_text(huge)
    with pytest.raises(ModelError, match="me is the module Net itself: torchinfo would walk"):
        model_summary(hostile("  self.me = self"), input_shape=(1, 2))
    looped = hostile("  self.fc = nn.Linear(2, 2)").replace(
        "  return x", "  for _ in range(2_500):\n   x = self.fc(x)\n  return x"
    )
    with pytest.raises(ModelError, match="forward calls modules more than 2,000 times"):
        model_summary(looped, input_shape=(1, 2))
    many = "  for i in range(2_000):\n   self.add_module(str(i), nn.Linear(1, 1))"
    with pytest.raises(ModelError, match="more than 1,000 modules: a summary lists fewer"):
        model_summary(hostile(many))


# -- options ---------------------------------------------------------------------------------------


def test_depth_and_columns_as_options_win_over_the_cell() -> None:
    case = CASES["nested-three-deep"]
    call = case["summaries"][0]["call"]
    by_option = read(case, call, depth=1)
    assert summary_text(by_option) == torchinfo_as_meant(case["summaries"][1]["printed"])
    columns = read(case, call, depth=5, columns="output_size, num_params params_percent trainable")
    assert summary_text(columns) == torchinfo_as_meant(case["summaries"][4]["printed"])
    with pytest.raises(ModelError, match="columns: 'size' is not one of torchinfo's columns"):
        read(case, call, columns="size")
    with pytest.raises(ModelError, match="columns: input_size need an input"):
        read(case, "", columns="input_size")
    with pytest.raises(ModelError, match="depth: torchinfo's option"):
        model_summary("import keras\nmodel = keras.Sequential([keras.layers.Dense(2)])", depth=2)


def test_the_directive_nests_rows_and_links_the_recurrent_ones(
    project: Project, tmp_path: Path
) -> None:
    case = CASES["seq2seq-1-lstm"]
    body = "\n".join(f"   {line}" if line else "" for line in case["code"].splitlines())
    page = (
        "Models\n======\n\n.. model-summary::\n   :define: len(de_vocab)=7853, "
        "len(en_vocab)=5893\n   :depth: 2\n   :show: all\n\n" + body + "\n"
    )
    built = project(tmp_path / "src", {"index.rst": page})
    assert built.warnings == ""
    html = (built.outdir / "index.html").read_text(encoding="utf-8")
    assert "│\u00a0\u00a0\u00a0\u00a0└─LSTM: 2-2" in html and "13,898,501" in html
    links = re.findall(r'<a class="reference internal" href="#([^"]+)"[^>]*>([\d,]+)</a>', html)
    assert [count for _id, count in links] == ["3,678,208", "3,678,208"]
    assert "encoder.rnn: LSTM (LSTM: 2-2)" in html
