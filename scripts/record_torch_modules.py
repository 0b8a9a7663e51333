#!/usr/bin/env python3
"""Record what torch and torchinfo say of PyTorch models written as classes.

The output, ``tests/data/torch_modules.json``, is the ground truth for the code reader's
PyTorch modules (``model-summary`` with a ``class Net(nn.Module)`` cell, or a ``print(model)``
tree, as its body): ``nn.Module`` classes nested two and three deep, ``nn.Sequential`` (also
from an ``OrderedDict``), ``nn.ModuleList`` and ``nn.ModuleDict`` (built by comprehensions and
``for`` loops), a module called twice, one never called, ``nn.Parameter`` and
``register_buffer``, frozen parameters, and what ``forward`` does to the shapes. The tool reads
each cell without running it; here each cell is *run*, for real, so every total, row and
character is torch's and torchinfo's own.

Each case: ``code`` (the cell as pasted), ``define`` (what the tool is given for values the
cell cannot know; the recorder checks each key evaluates to its value after the prelude),
``prelude`` (code run before the cell to make those values, never shown to the tool),
``model_variable`` (the variable that holds the model), ``source``, and ``summaries``: calls
of ``torchinfo.summary`` as a cell writes them, each run after the cell (``printed`` is the
text it returns: ``str()`` of its result, which ``verbose=1`` prints). Recorded for each case:
``total`` and ``trainable`` (``sum(p.numel() for p in model.parameters())``, and those with
``requires_grad``), ``buffers`` (elements of ``model.buffers()``, which no total counts),
``printed_model`` (``print(model)``, i.e. ``repr(model)``), and for the first summary of each
case torchinfo's own rows (``summary_list``: depth, depth index, class, variable name,
recursive, executed, leaf, parameters, trainable, input and output size) beside the text.
Besides the cases, ``layer_reprs``: what ``print(model)`` writes for every PyTorch layer of
``tests/data/layer_kinds.json`` (its line, its repr, its parameters), for the tree reader.

Setup: the framework venv of scripts/record_framework_counts.py (torch 2.13.0+cpu,
torchinfo 1.8.0)::

    /work/fwvenv/bin/python scripts/record_torch_modules.py
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Any

from recording import command_line, kept_records, run_workers, write_records

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "tests" / "data" / "torch_modules.json"
FRAMEWORKS = ("pytorch",)

Case = dict[str, Any]

IMPORTS = """\
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchinfo import summary
"""

# -- the cells --------------------------------------------------------------------------------

CIFAR_NET = (
    IMPORTS
    + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1) # flatten all dimensions except batch
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


net = Net()
"""
)

QUICKSTART = """\
import torch
from torch import nn
from torchinfo import summary

class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28*28, 512),
            nn.ReLU(),
            nn.Linear(512, 512),
            nn.ReLU(),
            nn.Linear(512, 10)
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits

device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
model = NeuralNetwork().to(device)
print(model)
"""

ORDERED_DICT = """\
from collections import OrderedDict
import torch.nn as nn
from torchinfo import summary

model = nn.Sequential(OrderedDict([
          ('conv1', nn.Conv2d(1,20,5)),
          ('relu1', nn.ReLU()),
          ('conv2', nn.Conv2d(20,64,5)),
          ('relu2', nn.ReLU())
        ]))
"""

SENTIMENT_LSTM = (
    IMPORTS
    + """
class RNN(nn.Module):
    def __init__(self, vocab_size, embedding_dim, hidden_dim, output_dim, n_layers,
                 bidirectional, dropout, pad_idx):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx = pad_idx)
        self.rnn = nn.LSTM(embedding_dim,
                           hidden_dim,
                           num_layers=n_layers,
                           bidirectional=bidirectional,
                           dropout=dropout,
                           batch_first=True)
        self.fc = nn.Linear(hidden_dim * 2, output_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, text):
        #text = [batch size, sent len]
        embedded = self.dropout(self.embedding(text))
        output, (hidden, cell) = self.rnn(embedded)
        #hidden = [num layers * num directions, batch size, hid dim]
        hidden = self.dropout(torch.cat((hidden[-2,:,:], hidden[-1,:,:]), dim = 1))
        return self.fc(hidden)

INPUT_DIM = len(TEXT.vocab)
EMBEDDING_DIM = 100
HIDDEN_DIM = 256
OUTPUT_DIM = 1
N_LAYERS = 2
BIDIRECTIONAL = True
DROPOUT = 0.5
PAD_IDX = TEXT.vocab.stoi[TEXT.pad_token]

model = RNN(INPUT_DIM,
            EMBEDDING_DIM,
            HIDDEN_DIM,
            OUTPUT_DIM,
            N_LAYERS,
            BIDIRECTIONAL,
            DROPOUT,
            PAD_IDX)
"""
)

SENTIMENT_PRELUDE = """\
class _Vocab:
    def __init__(self, n):
        self.itos = ["<unk>", "<pad>"] + [str(i) for i in range(n - 2)]
        self.stoi = {word: i for i, word in enumerate(self.itos)}
    def __len__(self):
        return len(self.itos)
class _Field:
    pad_token = "<pad>"
    vocab = _Vocab(25002)
TEXT = _Field()
"""

GRU_STEPS = (
    IMPORTS
    + """
class GRUNet(nn.Module):
    def __init__(self, input_dim, hidden_dim, output_dim, n_layers, drop_prob=0.2):
        super(GRUNet, self).__init__()
        self.hidden_dim = hidden_dim
        self.n_layers = n_layers
        self.gru = nn.GRU(input_dim, hidden_dim, n_layers, batch_first=True, dropout=drop_prob)
        self.fc = nn.Linear(hidden_dim, output_dim)
        self.relu = nn.ReLU()

    def forward(self, x):
        h = torch.zeros(self.n_layers, x.size(0), self.hidden_dim)
        out, h = self.gru(x, h)
        out = self.fc(self.relu(out[:, -1]))
        return out

model = GRUNet(input_dim=5, hidden_dim=256, output_dim=1, n_layers=2)
"""
)

TEXT_CNN = (
    IMPORTS
    + """
class TextCNN(nn.Module):
    def __init__(self, vocab_size, embed_dim=64, n_filters=32, kernel=3, n_classes=4):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.conv = nn.Conv1d(embed_dim, n_filters, kernel)
        self.pool = nn.MaxPool1d(2)
        self.fc = nn.Linear(n_filters * 29, n_classes)

    def forward(self, x):
        x = self.embedding(x)           # [batch, seq, embed]
        x = x.permute(0, 2, 1)          # [batch, embed, seq]
        x = self.pool(F.relu(self.conv(x)))
        x = x.view(x.size(0), -1)
        return self.fc(x)

model = TextCNN(vocab_size=1000)
"""
)

NESTED = (
    IMPORTS
    + """
class FeedForward(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(dim, hidden),
            nn.GELU(),
            nn.Linear(hidden, dim),
        )

    def forward(self, x):
        return self.net(x)


class Block(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.ff = FeedForward(dim, hidden)

    def forward(self, x):
        return x + self.ff(self.norm(x))


class Encoder(nn.Module):
    def __init__(self, dim, depth, hidden):
        super().__init__()
        self.layers = nn.ModuleList([Block(dim, hidden) for _ in range(depth)])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class Classifier(nn.Module):
    def __init__(self, in_features=12, dim=16, depth=4, hidden=32, n_classes=3, seq_len=10):
        super().__init__()
        self.embed = nn.Linear(in_features, dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embedding = nn.Parameter(torch.randn(1, seq_len + 1, dim))
        self.register_buffer("positions", torch.arange(seq_len + 1))
        self.encoder = Encoder(dim, depth, hidden)
        self.head = nn.Linear(dim, n_classes)

    def forward(self, x):
        x = self.embed(x)
        cls_tokens = self.cls_token.expand(x.size(0), -1, -1)
        x = torch.cat([cls_tokens, x], dim=1)
        x = x + self.pos_embedding
        x = self.encoder(x)
        return self.head(x[:, 0])


model = Classifier()
"""
)

LAYER_LOOP = (
    IMPORTS
    + """
sizes = [20, 64, 32, 16, 2]

class MLP(nn.Module):
    def __init__(self, sizes, dropout=0.1):
        super().__init__()
        self.layers = nn.ModuleList()
        for i in range(len(sizes) - 1):
            self.layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = self.dropout(F.relu(x))
        return x

model = MLP(sizes)
"""
)

MODULE_DICT = (
    IMPORTS
    + """
class MultiHead(nn.Module):
    def __init__(self, d_in=8, d=16):
        super().__init__()
        self.body = nn.Linear(d_in, d)
        self.acts = nn.ModuleDict([["relu", nn.ReLU()], ["tanh", nn.Tanh()]])
        self.heads = nn.ModuleDict({
            "label": nn.Linear(d, 5),
            "score": nn.Linear(d, 1),
        })

    def forward(self, x):
        x = self.acts["relu"](self.body(x))
        return {name: head(x) for name, head in self.heads.items()}

model = MultiHead()
"""
)

SHARED_UNUSED = (
    IMPORTS
    + """
class Siamese(nn.Module):
    def __init__(self, d=10, h=20):
        super().__init__()
        self.tower = nn.Sequential(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, h))
        self.left = self.tower
        self.project = nn.Linear(h, h)
        self.aux_head = nn.Linear(h, 3)
        self.scale = nn.Parameter(torch.ones(1))

    def forward(self, a, b):
        x = self.project(self.tower(a))
        y = self.project(self.left(b))
        return self.scale * (x - y).abs()

model = Siamese()
"""
)

FROZEN = (
    IMPORTS
    + """
class Tagger(nn.Module):
    def __init__(self, weights, hidden=32, tags=9):
        super().__init__()
        self.embedding = nn.Embedding.from_pretrained(weights)
        self.encoder = nn.Sequential(nn.Linear(weights.shape[1], hidden), nn.Tanh())
        self.lstm = nn.LSTM(hidden, hidden, batch_first=True)
        self.out = nn.Linear(hidden, tags)
        for p in self.encoder.parameters():
            p.requires_grad = False

    def forward(self, words):
        x = self.encoder(self.embedding(words))
        x, _ = self.lstm(x)
        return self.out(x)

model = Tagger(torch.zeros(500, 50))
"""
)

SUPER_SPELLINGS = (
    IMPORTS
    + """
class Base(nn.Module):
    def __init__(self, d):
        nn.Module.__init__(self)
        self.d = d
        self.inp = nn.Linear(d, d)

    def block(self, x):
        return torch.relu(self.inp(x))


class Middle(Base):
    def __init__(self, d, k=4):
        super(Middle, self).__init__(d)
        self.mid = nn.Linear(d, k)


class Top(Middle):
    def __init__(self, d=6):
        super().__init__(d, k=5)
        self.top = nn.Linear(5, 2)

    def forward(self, x):
        x = self.block(x)
        return self.top(self.mid(x))

model = Top()
"""
)

TWO_INPUTS = (
    IMPORTS
    + """
class Fusion(nn.Module):
    def __init__(self):
        super().__init__()
        self.image = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(8))
        self.text = nn.GRU(12, 16, batch_first=True)
        self.classify = nn.Linear(8 + 16, 2)

    def forward(self, image, tokens):
        a = self.image(image).reshape(image.shape[0], -1)
        _, h = self.text(tokens)
        return self.classify(torch.cat([a, h[-1]], dim=1))

model = Fusion()
"""
)

EVERY_LEAF = """\
import torch.nn as nn
from torchinfo import summary

model = nn.Sequential(
    nn.Linear(8, 16),
    nn.Linear(16, 16, bias=False),
    nn.LSTM(16, 32, num_layers=2, batch_first=True, dropout=0.5, bidirectional=True),
    nn.LSTM(10, 20, proj_size=5),
    nn.GRU(16, 24, bias=False),
    nn.RNN(16, 8, nonlinearity='relu'),
    nn.LSTMCell(4, 8),
    nn.GRUCell(4, 8),
    nn.RNNCell(4, 8, nonlinearity='relu'),
    nn.Embedding(100, 16, padding_idx=0),
    nn.Conv1d(4, 8, 3, stride=2, padding=1),
    nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False),
    nn.Conv2d(8, 8, 3, groups=4, dilation=2),
    nn.Conv3d(2, 4, (3, 3, 3)),
    nn.BatchNorm1d(16),
    nn.BatchNorm1d(16, bias=False),
    nn.BatchNorm2d(64, affine=False),
    nn.BatchNorm3d(4),
    nn.LayerNorm(768),
    nn.LayerNorm((4, 5), elementwise_affine=False),
    nn.Dropout(0.25),
    nn.Dropout1d(),
    nn.Dropout2d(p=0.1),
    nn.ReLU(inplace=True),
    nn.GELU(approximate='tanh'),
    nn.Tanh(),
    nn.Sigmoid(),
    nn.Softmax(dim=-1),
    nn.LogSoftmax(dim=1),
    nn.LeakyReLU(0.2),
    nn.ELU(),
    nn.SELU(),
    nn.Identity(),
    nn.Flatten(),
    nn.MaxPool1d(2),
    nn.MaxPool2d(kernel_size=3, stride=2, padding=1),
    nn.AvgPool1d(3, stride=1),
    nn.AvgPool2d(2),
)
"""

TRANSFORMER = (
    IMPORTS
    + """
class TransformerClassifier(nn.Module):
    def __init__(self, vocab_size=1000, d_model=32, nhead=4, num_layers=2, n_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers)
        self.attn = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.fc = nn.Linear(d_model, n_classes)

    def forward(self, tokens):
        x = self.encoder(self.embedding(tokens))
        x, _ = self.attn(x, x, x)
        return self.fc(x.mean(dim=1))

model = TransformerClassifier()
"""
)

SEQ2SEQ_PRELUDE = """\
de_vocab = list(range(7853))
en_vocab = list(range(5893))
"""
SEQ2SEQ_DEFINE = {"len(de_vocab)": 7853, "len(en_vocab)": 5893}
SEQ2SEQ_SOURCE = (
    "bentrevett/pytorch-seq2seq, '{title}.ipynb' (commit b3cd54c): its Encoder, Decoder and "
    "Seq2Seq cells and the cell that makes the model, as written; the notebook prints "
    "'The model has {total} trainable parameters' with len(de_vocab), len(en_vocab) = "
    "(7853, 5893)"
)

SEQ2SEQ_1 = """\
import random
import torch
import torch.nn as nn
from torchinfo import summary

class Encoder(nn.Module):
    def __init__(self, input_dim, embedding_dim, hidden_dim, n_layers, dropout):
        super().__init__()
        self.hidden_dim = hidden_dim
        self.n_layers = n_layers
        self.embedding = nn.Embedding(input_dim, embedding_dim)
        self.rnn = nn.LSTM(embedding_dim, hidden_dim, n_layers, dropout=dropout)
        self.dropout = nn.Dropout(dropout)

    def forward(self, src):
        # src = [src length, batch size]
        embedded = self.dropout(self.embedding(src))
        # embedded = [src length, batch size, embedding dim]
        outputs, (hidden, cell) = self.rnn(embedded)
        # outputs = [src length, batch size, hidden dim * n directions]
        # hidden = [n layers * n directions, batch size, hidden dim]
        # cell = [n layers * n directions, batch size, hidden dim]
        # outputs are always from the top hidden layer
        return hidden, cell

class Decoder(nn.Module):
    def __init__(self, output_dim, embedding_dim, hidden_dim, n_layers, dropout):
        super().__init__()
        self.output_dim = output_dim
        self.hidden_dim = hidden_dim
        self.n_layers = n_layers
        self.embedding = nn.Embedding(output_dim, embedding_dim)
        self.rnn = nn.LSTM(embedding_dim, hidden_dim, n_layers, dropout=dropout)
        self.fc_out = nn.Linear(hidden_dim, output_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, input, hidden, cell):
        # input = [batch size]
        # hidden = [n layers * n directions, batch size, hidden dim]
        # cell = [n layers * n directions, batch size, hidden dim]
        # n directions in the decoder will both always be 1, therefore:
        # hidden = [n layers, batch size, hidden dim]
        # context = [n layers, batch size, hidden dim]
        input = input.unsqueeze(0)
        # input = [1, batch size]
        embedded = self.dropout(self.embedding(input))
        # embedded = [1, batch size, embedding dim]
        output, (hidden, cell) = self.rnn(embedded, (hidden, cell))
        # output = [seq length, batch size, hidden dim * n directions]
        # hidden = [n layers * n directions, batch size, hidden dim]
        # cell = [n layers * n directions, batch size, hidden dim]
        # seq length and n directions will always be 1 in this decoder, therefore:
        # output = [1, batch size, hidden dim]
        # hidden = [n layers, batch size, hidden dim]
        # cell = [n layers, batch size, hidden dim]
        prediction = self.fc_out(output.squeeze(0))
        # prediction = [batch size, output dim]
        return prediction, hidden, cell

class Seq2Seq(nn.Module):
    def __init__(self, encoder, decoder, device):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
        self.device = device
        assert (
            encoder.hidden_dim == decoder.hidden_dim
        ), "Hidden dimensions of encoder and decoder must be equal!"
        assert (
            encoder.n_layers == decoder.n_layers
        ), "Encoder and decoder must have equal number of layers!"

    def forward(self, src, trg, teacher_forcing_ratio):
        # src = [src length, batch size]
        # trg = [trg length, batch size]
        # teacher_forcing_ratio is probability to use teacher forcing
        # e.g. if teacher_forcing_ratio is 0.75 we use ground-truth inputs 75% of the time
        batch_size = trg.shape[1]
        trg_length = trg.shape[0]
        trg_vocab_size = self.decoder.output_dim
        # tensor to store decoder outputs
        outputs = torch.zeros(trg_length, batch_size, trg_vocab_size).to(self.device)
        # last hidden state of the encoder is used as the initial hidden state of the decoder
        hidden, cell = self.encoder(src)
        # hidden = [n layers * n directions, batch size, hidden dim]
        # cell = [n layers * n directions, batch size, hidden dim]
        # first input to the decoder is the <sos> tokens
        input = trg[0, :]
        # input = [batch size]
        for t in range(1, trg_length):
            # insert input token embedding, previous hidden and previous cell states
            # receive output tensor (predictions) and new hidden and cell states
            output, hidden, cell = self.decoder(input, hidden, cell)
            # output = [batch size, output dim]
            # hidden = [n layers, batch size, hidden dim]
            # cell = [n layers, batch size, hidden dim]
            # place predictions in a tensor holding predictions for each token
            outputs[t] = output
            # decide if we are going to use teacher forcing or not
            teacher_force = random.random() < teacher_forcing_ratio
            # get the highest predicted token from our predictions
            top1 = output.argmax(1)
            # if teacher forcing, use actual next token as next input
            # if not, use predicted token
            input = trg[t] if teacher_force else top1
            # input = [batch size]
        return outputs

input_dim = len(de_vocab)
output_dim = len(en_vocab)
encoder_embedding_dim = 256
decoder_embedding_dim = 256
hidden_dim = 512
n_layers = 2
encoder_dropout = 0.5
decoder_dropout = 0.5
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

encoder = Encoder(
    input_dim,
    encoder_embedding_dim,
    hidden_dim,
    n_layers,
    encoder_dropout,
)

decoder = Decoder(
    output_dim,
    decoder_embedding_dim,
    hidden_dim,
    n_layers,
    decoder_dropout,
)

model = Seq2Seq(encoder, decoder, device).to(device)
"""

SEQ2SEQ_2 = """\
import random
import torch
import torch.nn as nn
from torchinfo import summary

class Encoder(nn.Module):
    def __init__(self, input_dim, embedding_dim, hidden_dim, dropout):
        super().__init__()
        self.hidden_dim = hidden_dim
        self.embedding = nn.Embedding(input_dim, embedding_dim)
        self.rnn = nn.GRU(embedding_dim, hidden_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, src):
        # src = [src length, batch size]
        embedded = self.dropout(self.embedding(src))
        # embedded = [src length, batch size, embedding dim]
        outputs, hidden = self.rnn(embedded)  # no cell state in GRU!
        # outputs = [src length, batch size, hidden dim * n directions]
        # hidden = [n layers * n directions, batch size, hidden dim]
        # outputs are always from the top hidden layer
        return hidden

class Decoder(nn.Module):
    def __init__(self, output_dim, embedding_dim, hidden_dim, dropout):
        super().__init__()
        self.hidden_dim = hidden_dim
        self.output_dim = output_dim
        self.embedding = nn.Embedding(output_dim, embedding_dim)
        self.rnn = nn.GRU(embedding_dim + hidden_dim, hidden_dim)
        self.fc_out = nn.Linear(embedding_dim + hidden_dim * 2, output_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, input, hidden, context):
        # input = [batch size]
        # hidden = [n layers * n directions, batch size, hidden dim]
        # context = [n layers * n directions, batch size, hidden dim]
        # n layers and n directions in the decoder will both always be 1, therefore:
        # hidden = [1, batch size, hidden dim]
        # context = [1, batch size, hidden dim]
        input = input.unsqueeze(0)
        # input = [1, batch size]
        embedded = self.dropout(self.embedding(input))
        # embedded = [1, batch size, embedding dim]
        emb_con = torch.cat((embedded, context), dim=2)
        # emb_con = [1, batch size, embedding dim + hidden dim]
        output, hidden = self.rnn(emb_con, hidden)
        # output = [seq len, batch size, hidden dim * n directions]
        # hidden = [n layers * n directions, batch size, hidden dim]
        # seq len, n layers and n directions will always be 1 in this decoder, therefore:
        # output = [1, batch size, hidden dim]
        # hidden = [1, batch size, hidden dim]
        output = torch.cat(
            (embedded.squeeze(0), hidden.squeeze(0), context.squeeze(0)), dim=1
        )
        # output = [batch size, embedding dim + hidden dim * 2]
        prediction = self.fc_out(output)
        # prediction = [batch size, output dim]
        return prediction, hidden

class Seq2Seq(nn.Module):
    def __init__(self, encoder, decoder, device):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
        self.device = device
        assert (
            encoder.hidden_dim == decoder.hidden_dim
        ), "Hidden dimensions of encoder and decoder must be equal!"

    def forward(self, src, trg, teacher_forcing_ratio):
        # src = [src length, batch size]
        # trg = [trg length, batch size]
        # teacher_forcing_ratio is probability to use teacher forcing
        # e.g. if teacher_forcing_ratio is 0.75 we use ground-truth inputs 75% of the time
        batch_size = trg.shape[1]
        trg_length = trg.shape[0]
        trg_vocab_size = self.decoder.output_dim
        # tensor to store decoder outputs
        outputs = torch.zeros(trg_length, batch_size, trg_vocab_size).to(self.device)
        # last hidden state of the encoder is the context
        context = self.encoder(src)
        # context = [n layers * n directions, batch size, hidden dim]
        # context also used as the initial hidden state of the decoder
        hidden = context
        # hidden = [n layers * n directions, batch size, hidden dim]
        # first input to the decoder is the <sos> tokens
        input = trg[0, :]
        for t in range(1, trg_length):
            # insert input token embedding, previous hidden state and the context state
            # receive output tensor (predictions) and new hidden state
            output, hidden = self.decoder(input, hidden, context)
            # output = [batch size, output dim]
            # hidden = [1, batch size, hidden dim]
            # place predictions in a tensor holding predictions for each token
            outputs[t] = output
            # decide if we are going to use teacher forcing or not
            teacher_force = random.random() < teacher_forcing_ratio
            # get the highest predicted token from our predictions
            top1 = output.argmax(1)
            # if teacher forcing, use actual next token as next input
            # if not, use predicted token
            input = trg[t] if teacher_force else top1
            # input = [batch size]
        return outputs

input_dim = len(de_vocab)
output_dim = len(en_vocab)
encoder_embedding_dim = 256
decoder_embedding_dim = 256
hidden_dim = 512
encoder_dropout = 0.5
decoder_dropout = 0.5
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

encoder = Encoder(
    input_dim,
    encoder_embedding_dim,
    hidden_dim,
    encoder_dropout,
)

decoder = Decoder(
    output_dim,
    decoder_embedding_dim,
    hidden_dim,
    decoder_dropout,
)

model = Seq2Seq(encoder, decoder, device).to(device)
"""

SEQ2SEQ_3 = """\
import random
import torch
import torch.nn as nn
from torchinfo import summary

class Encoder(nn.Module):
    def __init__(
        self, input_dim, embedding_dim, encoder_hidden_dim, decoder_hidden_dim, dropout
    ):
        super().__init__()
        self.embedding = nn.Embedding(input_dim, embedding_dim)
        self.rnn = nn.GRU(embedding_dim, encoder_hidden_dim, bidirectional=True)
        self.fc = nn.Linear(encoder_hidden_dim * 2, decoder_hidden_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, src):
        # src = [src length, batch size]
        embedded = self.dropout(self.embedding(src))
        # embedded = [src length, batch size, embedding dim]
        outputs, hidden = self.rnn(embedded)
        # outputs = [src length, batch size, hidden dim * n directions]
        # hidden = [n layers * n directions, batch size, hidden dim]
        # hidden is stacked [forward_1, backward_1, forward_2, backward_2, ...]
        # outputs are always from the last layer
        # hidden [-2, :, : ] is the last of the forwards RNN
        # hidden [-1, :, : ] is the last of the backwards RNN
        # initial decoder hidden is final hidden state of the forwards and backwards
        # encoder RNNs fed through a linear layer
        hidden = torch.tanh(
            self.fc(torch.cat((hidden[-2, :, :], hidden[-1, :, :]), dim=1))
        )
        # outputs = [src length, batch size, encoder hidden dim * 2]
        # hidden = [batch size, decoder hidden dim]
        return outputs, hidden

class Attention(nn.Module):
    def __init__(self, encoder_hidden_dim, decoder_hidden_dim):
        super().__init__()
        self.attn_fc = nn.Linear(
            (encoder_hidden_dim * 2) + decoder_hidden_dim, decoder_hidden_dim
        )
        self.v_fc = nn.Linear(decoder_hidden_dim, 1, bias=False)

    def forward(self, hidden, encoder_outputs):
        # hidden = [batch size, decoder hidden dim]
        # encoder_outputs = [src length, batch size, encoder hidden dim * 2]
        batch_size = encoder_outputs.shape[1]
        src_length = encoder_outputs.shape[0]
        # repeat decoder hidden state src_length times
        hidden = hidden.unsqueeze(1).repeat(1, src_length, 1)
        encoder_outputs = encoder_outputs.permute(1, 0, 2)
        # hidden = [batch size, src length, decoder hidden dim]
        # encoder_outputs = [batch size, src length, encoder hidden dim * 2]
        energy = torch.tanh(self.attn_fc(torch.cat((hidden, encoder_outputs), dim=2)))
        # energy = [batch size, src length, decoder hidden dim]
        attention = self.v_fc(energy).squeeze(2)
        # attention = [batch size, src length]
        return torch.softmax(attention, dim=1)

class Decoder(nn.Module):
    def __init__(
        self,
        output_dim,
        embedding_dim,
        encoder_hidden_dim,
        decoder_hidden_dim,
        dropout,
        attention,
    ):
        super().__init__()
        self.output_dim = output_dim
        self.attention = attention
        self.embedding = nn.Embedding(output_dim, embedding_dim)
        self.rnn = nn.GRU((encoder_hidden_dim * 2) + embedding_dim, decoder_hidden_dim)
        self.fc_out = nn.Linear(
            (encoder_hidden_dim * 2) + decoder_hidden_dim + embedding_dim, output_dim
        )
        self.dropout = nn.Dropout(dropout)

    def forward(self, input, hidden, encoder_outputs):
        # input = [batch size]
        # hidden = [batch size, decoder hidden dim]
        # encoder_outputs = [src length, batch size, encoder hidden dim * 2]
        input = input.unsqueeze(0)
        # input = [1, batch size]
        embedded = self.dropout(self.embedding(input))
        # embedded = [1, batch size, embedding dim]
        a = self.attention(hidden, encoder_outputs)
        # a = [batch size, src length]
        a = a.unsqueeze(1)
        # a = [batch size, 1, src length]
        encoder_outputs = encoder_outputs.permute(1, 0, 2)
        # encoder_outputs = [batch size, src length, encoder hidden dim * 2]
        weighted = torch.bmm(a, encoder_outputs)
        # weighted = [batch size, 1, encoder hidden dim * 2]
        weighted = weighted.permute(1, 0, 2)
        # weighted = [1, batch size, encoder hidden dim * 2]
        rnn_input = torch.cat((embedded, weighted), dim=2)
        # rnn_input = [1, batch size, (encoder hidden dim * 2) + embedding dim]
        output, hidden = self.rnn(rnn_input, hidden.unsqueeze(0))
        # output = [seq length, batch size, decoder hid dim * n directions]
        # hidden = [n layers * n directions, batch size, decoder hid dim]
        # seq len, n layers and n directions will always be 1 in this decoder, therefore:
        # output = [1, batch size, decoder hidden dim]
        # hidden = [1, batch size, decoder hidden dim]
        # this also means that output == hidden
        assert (output == hidden).all()
        embedded = embedded.squeeze(0)
        output = output.squeeze(0)
        weighted = weighted.squeeze(0)
        prediction = self.fc_out(torch.cat((output, weighted, embedded), dim=1))
        # prediction = [batch size, output dim]
        return prediction, hidden.squeeze(0), a.squeeze(1)

class Seq2Seq(nn.Module):
    def __init__(self, encoder, decoder, device):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
        self.device = device

    def forward(self, src, trg, teacher_forcing_ratio):
        # src = [src length, batch size]
        # trg = [trg length, batch size]
        # teacher_forcing_ratio is probability to use teacher forcing
        # e.g. if teacher_forcing_ratio is 0.75 we use teacher forcing 75% of the time
        batch_size = src.shape[1]
        trg_length = trg.shape[0]
        trg_vocab_size = self.decoder.output_dim
        # tensor to store decoder outputs
        outputs = torch.zeros(trg_length, batch_size, trg_vocab_size).to(self.device)
        # encoder_outputs is all hidden states of the input sequence, back and forwards
        # hidden is the final forward and backward hidden states, passed through a linear layer
        encoder_outputs, hidden = self.encoder(src)
        # outputs = [src length, batch size, encoder hidden dim * 2]
        # hidden = [batch size, decoder hidden dim]
        # first input to the decoder is the <sos> tokens
        input = trg[0, :]
        for t in range(1, trg_length):
            # insert input token embedding, previous hidden state and all encoder hidden states
            # receive output tensor (predictions) and new hidden state
            output, hidden, _ = self.decoder(input, hidden, encoder_outputs)
            # output = [batch size, output dim]
            # hidden = [n layers, batch size, decoder hidden dim]
            # place predictions in a tensor holding predictions for each token
            outputs[t] = output
            # decide if we are going to use teacher forcing or not
            teacher_force = random.random() < teacher_forcing_ratio
            # get the highest predicted token from our predictions
            top1 = output.argmax(1)
            # if teacher forcing, use actual next token as next input
            # if not, use predicted token
            input = trg[t] if teacher_force else top1
            # input = [batch size]
        return outputs

input_dim = len(de_vocab)
output_dim = len(en_vocab)
encoder_embedding_dim = 256
decoder_embedding_dim = 256
encoder_hidden_dim = 512
decoder_hidden_dim = 512
encoder_dropout = 0.5
decoder_dropout = 0.5
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

attention = Attention(encoder_hidden_dim, decoder_hidden_dim)

encoder = Encoder(
    input_dim,
    encoder_embedding_dim,
    encoder_hidden_dim,
    decoder_hidden_dim,
    encoder_dropout,
)

decoder = Decoder(
    output_dim,
    decoder_embedding_dim,
    encoder_hidden_dim,
    decoder_hidden_dim,
    decoder_dropout,
    attention,
)

model = Seq2Seq(encoder, decoder, device).to(device)
"""

SEQ2SEQ_INPUT = (
    "summary(model, input_data=[torch.zeros(7, 2, dtype=torch.long), "
    "torch.zeros(4, 2, dtype=torch.long)], teacher_forcing_ratio=0.0)"
)

ALL_COLUMNS = (
    'col_names=("input_size", "output_size", "num_params", "params_percent", "kernel_size", '
    '"mult_adds", "trainable")'
)

CELLS: list[dict[str, Any]] = [
    {
        "name": "cifar-net",
        "source": "PyTorch tutorial 'Training a Classifier' (CIFAR-10), its Net as written",
        "code": CIFAR_NET,
        "model_variable": "net",
        "summaries": [
            "summary(net, input_size=(4, 3, 32, 32))",
            "summary(net, (4, 3, 32, 32), col_names=('input_size', 'output_size', "
            "'num_params', 'kernel_size', 'mult_adds'))",
            "summary(net, input_size=(4, 3, 32, 32), col_names=('output_size', 'num_params', "
            "'mult_adds'))",
            "summary(net)",
        ],
    },
    {
        "name": "quickstart-sequential-in-a-class",
        "source": "PyTorch Quickstart tutorial, its NeuralNetwork as written",
        "code": QUICKSTART,
        "summaries": [
            "summary(model, input_size=(1, 28, 28))",
            "summary(model, input_size=(1, 28, 28), depth=1)",
            f"summary(model, input_size=(1, 28, 28), {ALL_COLUMNS})",
            "summary(model, input_size=(1, 28, 28), row_settings=('var_names',))",
            "summary(model)",
        ],
    },
    {
        "name": "sequential-ordereddict",
        "source": "torch.nn.Sequential docs, the OrderedDict example",
        "code": ORDERED_DICT,
        "summaries": [
            "summary(model, input_size=(1, 1, 28, 28), row_settings=('depth', 'var_names'))",
            "summary(model, (2, 1, 28, 28), col_names=('kernel_size', 'output_size', "
            "'num_params', 'mult_adds'))",
        ],
    },
    {
        "name": "sentiment-bilstm",
        "source": "after bentrevett/pytorch-sentiment-analysis, '2 - Upgraded Sentiment "
        "Analysis' (its RNN class and instantiation)",
        "code": SENTIMENT_LSTM,
        "prelude": SENTIMENT_PRELUDE,
        "define": {"len(TEXT.vocab)": 25002, "TEXT.vocab.stoi[TEXT.pad_token]": 1},
        "summaries": [
            "summary(model, input_size=(64, 50), dtypes=[torch.long])",
            f"summary(model, input_size=(64, 50), dtypes=[torch.long], {ALL_COLUMNS})",
            "summary(model)",
        ],
    },
    {
        "name": "gru-last-step",
        "source": "synthetic (a GRU regressor: torch.zeros for h0, out[:, -1], super(Cls, "
        "self).__init__())",
        "code": GRU_STEPS,
        "summaries": [
            "summary(model, input_size=(32, 24, 5))",
            "summary(model, input_size=(32, 24, 5), col_names=('input_size', 'output_size', "
            "'num_params', 'mult_adds'))",
        ],
    },
    {
        "name": "text-cnn-permute-view",
        "source": "synthetic (a text CNN: permute, Conv1d, MaxPool1d, view(x.size(0), -1))",
        "code": TEXT_CNN,
        "summaries": [
            "summary(model, input_size=(8, 60), dtypes=[torch.long])",
            "summary(model, input_size=(8, 60), dtypes=[torch.long], col_names=("
            "'input_size', 'output_size', 'kernel_size', 'num_params', 'params_percent'))",
        ],
    },
    {
        "name": "nested-three-deep",
        "source": "synthetic (a small transformer-like classifier: classes nested three "
        "deep, a ModuleList from a comprehension, a Sequential in a class, nn.Parameter, "
        "register_buffer, expand, torch.cat, x[:, 0])",
        "code": NESTED,
        "summaries": [
            "summary(model, input_size=(2, 10, 12))",
            "summary(model, input_size=(2, 10, 12), depth=1)",
            "summary(model, input_size=(2, 10, 12), depth=2)",
            "summary(model, input_size=(2, 10, 12), depth=4)",
            "summary(model, input_size=(2, 10, 12), depth=5, "
            "col_names=('output_size', 'num_params', 'params_percent', 'trainable'))",
            "summary(model, input_size=(2, 10, 12), depth=0)",
            "summary(model)",
            "summary(model, depth=2)",
        ],
    },
    {
        "name": "modulelist-for-loop",
        "source": "synthetic (an MLP whose ModuleList a for loop over range grows)",
        "code": LAYER_LOOP,
        "summaries": [
            "summary(model, input_size=(16, 20))",
            "summary(model, input_size=(16, 20), depth=1, "
            "col_names=('output_size', 'num_params', 'mult_adds'))",
            "summary(model)",
        ],
    },
    {
        "name": "moduledict",
        "source": "synthetic (nn.ModuleDict from a list of pairs and from a dict; a dict of "
        "outputs)",
        "code": MODULE_DICT,
        "summaries": [
            "summary(model, input_size=(4, 8))",
            "summary(model, input_size=(4, 8), row_settings=('var_names',))",
            "summary(model)",
        ],
    },
    {
        "name": "shared-and-unused",
        "source": "synthetic (a Siamese network: a module under two names and called twice, "
        "one never called, an nn.Parameter; two inputs)",
        "code": SHARED_UNUSED,
        "summaries": [
            "summary(model, input_size=[(3, 10), (3, 10)])",
            "summary(model, input_size=[(3, 10), (3, 10)], depth=1)",
            "summary(model, input_size=[(3, 10), (3, 10)], "
            "row_settings=('ascii_only', 'var_names', 'hide_recursive_layers'))",
            "summary(model, input_size=[(3, 10), (3, 10)], col_names=('num_params', "
            "'params_percent', 'trainable'), col_width=16)",
            "summary(model)",
        ],
    },
    {
        "name": "frozen-parameters",
        "source": "synthetic (nn.Embedding.from_pretrained, requires_grad = False in a loop "
        "over a module's parameters(), an LSTM's tuple output unpacked)",
        "code": FROZEN,
        "summaries": [
            "summary(model, input_size=(2, 7), dtypes=[torch.long], "
            "col_names=('output_size', 'num_params', 'trainable'))",
            "summary(model)",
        ],
    },
    {
        "name": "super-spellings",
        "source": "synthetic (nn.Module.__init__(self), super(Cls, self).__init__(...), "
        "super().__init__(...), classes deriving from classes of the cell, a method of a "
        "base class called in forward)",
        "code": SUPER_SPELLINGS,
        "summaries": ["summary(model, input_size=(3, 6))", "summary(model)"],
    },
    {
        "name": "two-inputs",
        "source": "synthetic (forward(image, tokens): input_size of two shapes, reshape, "
        "h[-1], torch.cat)",
        "code": TWO_INPUTS,
        "summaries": [
            "summary(model, input_size=[(2, 3, 8, 8), (2, 5, 12)])",
            "summary(model, input_size=[(2, 3, 8, 8), (2, 5, 12)], col_names=('input_size', "
            "'output_size', 'num_params'), depth=1)",
        ],
    },
    {
        "name": "transformer-classifier",
        "source": "synthetic (nn.TransformerEncoder of nn.TransformerEncoderLayer and "
        "nn.MultiheadAttention inside a class: modules made of modules, counted as layers)",
        "code": TRANSFORMER,
        "summaries": [
            "summary(model, input_size=(2, 12), dtypes=[torch.long])",
            "summary(model, input_size=(2, 12), dtypes=[torch.long], depth=5, "
            "col_names=('output_size', 'num_params', 'mult_adds'))",
            "summary(model)",
            "summary(model, depth=6)",
        ],
    },
    {
        "name": "every-leaf",
        "source": "synthetic (every PyTorch layer class the package counts, with its "
        "arguments, in one Sequential: their print(model) reprs)",
        "code": EVERY_LEAF,
        "summaries": ["summary(model)"],
    },
    {
        "name": "seq2seq-1-lstm",
        "source": SEQ2SEQ_SOURCE.format(
            title="1 - Sequence to Sequence Learning with Neural Networks", total="13,898,501"
        ),
        "code": SEQ2SEQ_1,
        "prelude": SEQ2SEQ_PRELUDE,
        "define": SEQ2SEQ_DEFINE,
        "summaries": ["summary(model)", "summary(model, depth=1)", SEQ2SEQ_INPUT],
    },
    {
        "name": "seq2seq-2-gru",
        "source": SEQ2SEQ_SOURCE.format(
            title="2 - Learning Phrase Representations using RNN Encoder-Decoder for "
            "Statistical Machine Translation",
            total="14,219,781",
        ),
        "code": SEQ2SEQ_2,
        "prelude": SEQ2SEQ_PRELUDE,
        "define": SEQ2SEQ_DEFINE,
        "summaries": ["summary(model)", SEQ2SEQ_INPUT],
    },
    {
        "name": "seq2seq-3-attention",
        "source": SEQ2SEQ_SOURCE.format(
            title="3 - Neural Machine Translation by Jointly Learning to Align and Translate",
            total="20,518,405",
        ),
        "code": SEQ2SEQ_3,
        "prelude": SEQ2SEQ_PRELUDE,
        "define": SEQ2SEQ_DEFINE,
        "summaries": ["summary(model)", SEQ2SEQ_INPUT],
    },
]


# -- the worker ---------------------------------------------------------------------------------


def _eval_define(key: str, namespace: dict[str, Any]) -> Any:
    value = eval(key, dict(namespace))  # the recorder runs the framework; the tool never does
    if isinstance(value, tuple):
        value = list(value)
    return value


def _size(size: Any) -> Any:
    """torchinfo's input or output size as JSON (a list of ints, or of lists)."""
    if isinstance(size, (list, tuple)):
        return [_size(item) for item in size]
    return int(size)


def record_cell(cell: dict[str, Any]) -> Case:
    import torch
    import torchinfo

    namespace: dict[str, Any] = {"__name__": "__main__"}
    case: Case = {
        "framework": "pytorch",
        "name": cell["name"],
        "source": cell["source"],
        "code": cell["code"],
        "define": cell.get("define", {}),
        "model_variable": cell.get("model_variable", "model"),
    }
    torch.manual_seed(0)
    with contextlib.redirect_stdout(io.StringIO()):
        exec(cell.get("prelude", ""), namespace)
        for key, value in case["define"].items():
            assert _eval_define(key, namespace) == value, (cell["name"], key)
        exec(cell["code"], namespace)
    model = namespace[case["model_variable"]]
    case["total"] = sum(p.numel() for p in model.parameters())
    case["trainable"] = sum(p.numel() for p in model.parameters() if p.requires_grad)
    case["buffers"] = sum(b.numel() for b in model.buffers())
    case["printed_model"] = repr(model)
    summaries = []
    for number, call in enumerate(cell["summaries"]):
        torchinfo.torchinfo.clear_cached_forward_pass()
        torch.manual_seed(0)
        with contextlib.redirect_stdout(io.StringIO()):
            stats = eval(call, namespace)
        rows = [
            {
                "depth": info.depth,
                "depth_index": info.depth_index,
                "class": info.class_name,
                "var_name": info.var_name,
                "recursive": info.is_recursive,
                "executed": info.executed,
                "leaf": info.is_leaf_layer,
                "params": info.num_params,
                "trainable": info.trainable_params,
                "input_size": _size(info.input_size),
                "output_size": _size(info.output_size),
            }
            for info in stats.summary_list
        ]
        record = {
            "call": call,
            "printed": str(stats),
            "total_params": stats.total_params,
            "trainable_params": stats.trainable_params,
        }
        if number == 0:  # torchinfo's own rows, for the first call (the others print them)
            record["rows"] = rows
        summaries.append(record)
    case["summaries"] = summaries
    return case


def layer_reprs() -> list[list[Any]]:
    """What print(model) writes for every PyTorch layer the layer kinds recorded
    (tests/data/layer_kinds.json's lines), with its parameters: [line, repr, numel]."""
    import warnings

    import torch
    import torch.nn.functional as F
    from torch import nn

    kinds = json.loads((REPO_ROOT / "tests" / "data" / "layer_kinds.json").read_text())
    lines = sorted(
        {
            line
            for case in kinds["cases"]
            if case["framework"] == "pytorch"
            for line in case.get("lines", [case.get("line")])
            if line and not line.startswith("x")
        }
    )
    found = []
    for line in lines:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = eval(line, {"torch": torch, "nn": nn, "F": F})
        found.append([line, repr(module), sum(p.numel() for p in module.parameters())])
    return found


def worker_pytorch() -> dict[str, Any]:
    import torch
    import torchinfo

    cases = [record_cell(cell) for cell in CELLS]
    notes = [
        "Each cell is run with exec in a fresh namespace (its prelude first); each summary "
        "call is then evaluated in that namespace after torchinfo's forward-pass cache is "
        "cleared, and printed is str() of what it returns (verbose=1 prints the same).",
        "torchinfo 1.8 on Python 3.11+ writes its unit enum's name: 'Total mult-adds "
        "(Units.MEGABYTES)'; the package writes the unit it means, '(M)' (see "
        "model_summaries_NOTES.md).",
        "rows are torchinfo's summary_list: every module call in forward order (or every "
        "module in registration order when no input is given), containers that forward "
        "never calls put in by add_missing_container_layers, at every depth (the printed "
        "text shows those up to depth=).",
    ]
    return {
        "cases": cases,
        "layer_reprs": layer_reprs(),
        "notes": notes,
        "versions": {"torch": torch.__version__, "torchinfo": torchinfo.__version__},
    }


WORKERS = {"pytorch": worker_pytorch}


def main(argv: list[str] | None = None) -> int:
    args = command_line(__doc__, FRAMEWORKS, DEFAULT_OUT, WORKERS, argv=argv)
    if args is None:
        return 0
    records = kept_records(args, FRAMEWORKS)
    results = run_workers(__file__, args.selected)
    for fw in args.selected:
        records.record(fw, results[fw])
    write_records(args.out, __file__, records, layer_reprs=results["pytorch"]["layer_reprs"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
