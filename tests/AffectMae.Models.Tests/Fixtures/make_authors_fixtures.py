#!/usr/bin/python3
"""PyTorch twin of the paper authors' released temporal model and recipe, and the PyTorch-file fixtures.

Usage (from the repository root; Debian's python3-torch and python3-scipy, development time only):

    /usr/bin/python3 tests/AffectMae.Models.Tests/Fixtures/make_authors_fixtures.py

The authors' code (GitHub upczww/abaw6, VA|EXPR|AU/model/{model,tcn,trans_encoder}.py, */solver.py, */test.py)
has no licence. Nothing of it is copied here: this twin is written from the facts listed in issue 13 (and
README.md beside this script). The TCN block has the layout of locuslab/TCN (MIT License, Copyright (c) 2018 CMU
Locus Lab), which the authors' code follows. Weight norm, PReLU, BatchNorm1d, the transformer encoder and the
learning-rate scheduler CosineAnnealingWarmRestarts are PyTorch's own; scipy.stats.mode is the mode the authors'
test.py uses.

Writes next to this script:
  authors_tiny_{va,expr,au}.pt            torch.save of a DataParallel state dict (module. prefix, alias keys)
  authors_tiny_va.safetensors             the same keys and values as safetensors
  authors_tiny.io.safetensors             inputs, outputs of the three models, short-window and training-mode head checks
  authors_recipe.io.safetensors           lr sequences of the schedule, mode-filter cases, the released CCC loss
  mae_tiny_official.pth                   mae_tiny.weights in the layout of MAE's training checkpoints
  mae_classifier_tiny_official.pth        mae_classifier_tiny.weights as a fine-tuned models_vit checkpoint
  pickle_os_system.pth                    a torch.save file whose pickle calls os.system when loaded in Python
  pickle_os_system_protocol4.pth          the same with pickle protocol 4 (STACK_GLOBAL instead of GLOBAL)
  fuzz_seed_state_dict.pt                 a small state dict of five dtypes, the seed of the .pth fuzz test
  fuzz_seed_checkpoint.pth                a small checkpoint ({'model', 'epoch', 'args'}), the fuzz test's second seed
"""

import argparse
import math
import os
from collections import OrderedDict

import numpy as np
import scipy.stats
import torch
import torch.nn as nn
from torch.nn.utils import weight_norm

from make_fixtures import OUT_DIR, load_safetensors, save_safetensors

torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)


def write(filename, tensors, **metadata):
    path = os.path.join(OUT_DIR, filename)
    tensors = OrderedDict((k, v.detach().contiguous()) for k, v in tensors.items())
    meta = OrderedDict([("producer", "make_authors_fixtures.py"), ("torch_version", torch.__version__)])
    meta.update((k, str(v)) for k, v in metadata.items())
    save_safetensors(path, tensors, meta)
    loaded, _ = load_safetensors(path)
    assert list(loaded) == list(tensors) and all(torch.equal(loaded[k], tensors[k]) for k in tensors), filename
    print(f"  wrote {filename}: {len(tensors)} tensors, {os.path.getsize(path)} bytes")


def check_close(a, b, atol, what):
    err = (a - b).abs().max().item()
    assert err <= atol, f"{what}: max abs diff {err} > {atol}"
    print(f"  check ok: {what} (max abs diff {err:.3g})")


# ---------------------------------------------------------------------------------------------------------------
# 1. The authors' architecture, written from the issue's description
# ---------------------------------------------------------------------------------------------------------------


class CausalCut(nn.Module):
    """Drops the last `cut` time steps, so a convolution padded by `cut` on both sides becomes causal."""

    def __init__(self, cut):
        super().__init__()
        self.cut = cut

    def forward(self, x):
        return x[:, :, : -self.cut].contiguous()


class TwinBlock(nn.Module):
    """locuslab layout: weight-normed causal conv -> PReLU -> dropout, twice; PReLU(net(x) + residual).

    Every conv and PReLU is registered twice, once by name and once inside `net`, as in the released checkpoints."""

    def __init__(self, c_in, c_out, kernel, dilation, dropout):
        super().__init__()
        pad = (kernel - 1) * dilation
        self.conv1 = weight_norm(nn.Conv1d(c_in, c_out, kernel, padding=pad, dilation=dilation))
        self.chomp1 = CausalCut(pad)
        self.relu1 = nn.PReLU()
        self.dropout1 = nn.Dropout(dropout)
        self.conv2 = weight_norm(nn.Conv1d(c_out, c_out, kernel, padding=pad, dilation=dilation))
        self.chomp2 = CausalCut(pad)
        self.relu2 = nn.PReLU()
        self.dropout2 = nn.Dropout(dropout)
        self.net = nn.Sequential(self.conv1, self.chomp1, self.relu1, self.dropout1,
                                 self.conv2, self.chomp2, self.relu2, self.dropout2)
        self.downsample = nn.Conv1d(c_in, c_out, 1) if c_in != c_out else None
        self.relu = nn.PReLU()

    def forward(self, x):
        residual = x if self.downsample is None else self.downsample(x)
        return self.relu(self.net(x) + residual)


class TwinTcn(nn.Module):
    def __init__(self, c_in, channels, kernel, dropout):
        super().__init__()
        blocks, previous = [], c_in
        for i, c in enumerate(channels):
            blocks.append(TwinBlock(previous, c, kernel, 2 ** i, dropout))
            previous = c
        self.network = nn.Sequential(*blocks)

    def forward(self, x):  # [B, C, T]
        return self.network(x)


class TwinTransformer(nn.Module):
    """1x1 Conv1d projection, then PyTorch's sequence-first post-norm encoder (ReLU); no positional encoding."""

    def __init__(self, c_in, d_model, heads, layers, dropout):
        super().__init__()
        self.conv1 = nn.Conv1d(c_in, d_model, kernel_size=1)
        layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=heads, dim_feedforward=d_model, dropout=dropout)
        self.transformer_encoder = nn.TransformerEncoder(layer, num_layers=layers)

    def forward(self, x, key_padding=None):  # [B, C, T] -> [T, B, D]
        return self.transformer_encoder(self.conv1(x).permute(2, 0, 1), src_key_padding_mask=key_padding)


class TwinModel(nn.Module):
    def __init__(self, c_in, channels, kernel, d_model, heads, layers, hidden, outputs, dropout=0.0):
        super().__init__()
        self.temporal = TwinTcn(c_in, channels, kernel, dropout)
        self.encoder = TwinTransformer(channels[-1], d_model, heads, layers, dropout)
        self.head = nn.Sequential(nn.Linear(d_model, hidden), nn.BatchNorm1d(hidden), nn.Linear(hidden, outputs))

    def forward(self, x):  # [B, T, D] -> [B*T, outputs], frames batch-major
        b, t, _ = x.shape
        h = self.encoder(self.temporal(x.transpose(1, 2)))  # [T, B, D]
        return self.head(h.transpose(0, 1).reshape(b * t, -1))


TASK_OUTPUTS = OrderedDict([("va", 2), ("expr", 8), ("au", 12)])
TINY = dict(c_in=24, channels=[24, 32, 16], kernel=5, d_model=32, heads=4, layers=2, hidden=16)
FULL = dict(c_in=768, channels=[768, 256, 128], kernel=5, d_model=512, heads=4, layers=8, hidden=256)


@torch.no_grad()
def randomize(model):
    """Non-trivial values everywhere, buffers of the BatchNorm included (eval mode uses them)."""
    for module in model.modules():
        if isinstance(module, nn.PReLU):
            module.weight.copy_(0.25 + 0.1 * torch.randn_like(module.weight))
        elif isinstance(module, nn.BatchNorm1d):
            module.weight.copy_(1 + 0.1 * torch.randn_like(module.weight))
            module.bias.copy_(0.1 * torch.randn_like(module.bias))
            module.running_mean.copy_(0.2 * torch.randn_like(module.running_mean))
            module.running_var.copy_(0.5 + torch.rand_like(module.running_var))
            module.num_batches_tracked.fill_(37)
        elif isinstance(module, nn.LayerNorm):
            module.weight.copy_(1 + 0.1 * torch.randn_like(module.weight))
            module.bias.copy_(0.1 * torch.randn_like(module.bias))
    for name, p in model.named_parameters():
        if name.endswith("weight_g"):
            p.copy_(0.5 + torch.rand_like(p))          # any positive length per output channel
        elif name.endswith("weight_v"):
            p.copy_(torch.randn_like(p))               # its norm must not matter
        elif "relu" not in name and "head.1." not in name and "norm" not in name:
            p.copy_(0.2 * torch.randn_like(p) / math.sqrt(max(1, p[0].numel() if p.dim() > 1 else 1)))


def make_authors_model():
    print("[1] the authors' model, tiny")
    for name, outputs in TASK_OUTPUTS.items():
        full = TwinModel(**FULL, outputs=outputs)
        count = sum(p.numel() for p in full.parameters())
        print(f"  full-size {name}: {count:,} parameters")
        assert count == {"va": 20_511_371, "expr": 20_512_913, "au": 20_513_941}[name]

    B, T, short = 2, 12, 7
    torch.manual_seed(131)
    x = torch.randn(B, T, TINY["c_in"])
    io = OrderedDict([("x", x)])
    for index, (name, outputs) in enumerate(TASK_OUTPUTS.items()):
        torch.manual_seed(140 + index)
        model = TwinModel(**TINY, outputs=outputs)
        randomize(model)
        model.eval()
        with torch.no_grad():
            y = model(x).reshape(B, T, outputs)
            y_short = model(x[1:2, :short]).reshape(1, short, outputs)
        io[f"{name}_y"] = y
        io[f"{name}_y_short"] = y_short

        # The causal TCN: frames before t never see frame t.
        with torch.no_grad():
            changed = x.clone()
            changed[:, 5:] += 1.0
            tcn_a = model.temporal(x.transpose(1, 2))
            tcn_b = model.temporal(changed.transpose(1, 2))
        assert torch.equal(tcn_a[:, :, :5], tcn_b[:, :, :5]) and not torch.equal(tcn_a[:, :, 5:], tcn_b[:, :, 5:])

        # The checkpoint exactly as the authors' training saves it: DataParallel's state dict.
        state = nn.DataParallel(model).state_dict()
        assert "module.temporal.network.0.net.0.weight_v" in state and "module.head.1.num_batches_tracked" in state
        assert state["module.head.1.num_batches_tracked"].dtype == torch.int64
        torch.save(state, os.path.join(OUT_DIR, f"authors_tiny_{name}.pt"))
        print(f"  wrote authors_tiny_{name}.pt: {len(state)} keys")

        if name == "va":
            save_safetensors(os.path.join(OUT_DIR, "authors_tiny_va.safetensors"), state,
                             OrderedDict([("producer", "make_authors_fixtures.py"), ("layout", "DataParallel state dict")]))
            print(f"  wrote authors_tiny_va.safetensors: the same {len(state)} keys")

            # A padded window: with the key padding mask, valid frames match the short window alone.
            with torch.no_grad():
                padded = torch.cat([x[1:2, :short], torch.zeros(1, T - short, TINY["c_in"])], 1)
                h = model.encoder(model.temporal(padded.transpose(1, 2)),
                                  key_padding=torch.arange(T)[None, :] >= short)
                y_padded = model.head(h.transpose(0, 1).reshape(T, -1))
            check_close(y_padded[:short], y_short[0], 2e-6, "padded window (key padding mask) == short window")

            # The head in training mode sees only the valid frames of a padded batch.
            head = model.head
            head.train()
            torch.manual_seed(150)
            tokens = torch.randn(B, T, TINY["d_model"])
            lengths = torch.tensor([T, short])
            valid = torch.arange(T)[None, :] < lengths[:, None]
            y_train = head(tokens[valid])                       # BatchNorm over the 19 valid frames only
            io["head_tokens"] = tokens
            io["head_valid"] = valid.float()
            io["head_train_y"] = y_train.detach()
            io["head_running_mean"] = head[1].running_mean.clone()
            io["head_running_var"] = head[1].running_var.clone()
            io["head_num_batches_tracked"] = head[1].num_batches_tracked.clone()
            head.eval()
    write("authors_tiny.io.safetensors", io, config=TINY, short=short)


# ---------------------------------------------------------------------------------------------------------------
# 2. The recipe: schedule, mode filter, CCC loss
# ---------------------------------------------------------------------------------------------------------------


class LinearWarmup(torch.optim.lr_scheduler._LRScheduler):
    """The released warm-up: lr = start + base * k / (total + 1e-8) after k steps."""

    def __init__(self, optimizer, total, start):
        self.total, self.start = total, start
        super().__init__(optimizer)

    def get_lr(self):
        return [self.start + base * self.last_epoch / (self.total + 1e-8) for base in self.base_lrs]


def released_lr_sequence(epochs, warmup, steps, base):
    """The lr of every optimiser step, stepping the schedulers as the released solver.py does."""
    parameter = nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.AdamW([parameter], lr=base, weight_decay=1e-5)
    warm = LinearWarmup(optimizer, steps * warmup, 1e-8)
    cosine = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=epochs - warmup + 1, T_mult=2, eta_min=1e-8)
    warm.step(0)
    rates = []
    for t in range(epochs):
        for i in range(steps):
            rates.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            if t >= warmup:
                cosine.step(t - warmup + i / steps)
            else:
                warm.step()
    return torch.tensor(rates, dtype=torch.float64)


def restart_lrs(t0, epochs):
    parameter = nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=3e-5)
    cosine = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=t0, T_mult=2, eta_min=1e-8)
    rates = []
    for e in epochs.tolist():
        cosine.step(e)
        rates.append(optimizer.param_groups[0]["lr"])
    return torch.tensor(rates, dtype=torch.float64)


def mode_filter(labels, k):
    """test.py's filter: the most frequent label in [i - k//2, i + k//2], clipped; scipy breaks ties to the smallest."""
    out = np.zeros_like(labels)
    for i in range(len(labels)):
        window = labels[max(0, i - k // 2): min(len(labels), i + k // 2 + 1)]
        out[i] = scipy.stats.mode(window, keepdims=True).mode[0]
    return out


def released_ccc(x, y):
    """1 - CCC with CCC = 2 rho sx sy / (sx^2 + sy^2 + (mx - my)^2), rho with 1e-8 in its denominator, unbiased std."""
    vx, vy = x - x.mean(), y - y.mean()
    rho = (vx * vy).sum() / (vx.pow(2).sum().sqrt() * vy.pow(2).sum().sqrt() + 1e-8)
    sx, sy = x.std(), y.std()
    return 2 * rho * sx * sy / (sx.pow(2) + sy.pow(2) + (x.mean() - y.mean()).pow(2))


def make_recipe():
    print("[2] the recipe")
    io = OrderedDict()
    io["lr_epochs5_warmup2_steps3"] = released_lr_sequence(5, 2, 3, 3e-5)
    io["lr_epochs4_warmup0_steps4"] = released_lr_sequence(4, 0, 4, 3e-5)
    io["lr_epochs40_warmup2_steps7"] = released_lr_sequence(40, 2, 7, 3e-5)
    grid = torch.tensor([0, 0.25, 1.5, 1.999, 2, 2.5, 5.75, 6, 6.1, 13.9, 14, 29.5, 31], dtype=torch.float64)
    io["restart_epochs"] = grid
    io["restart_lr_t0_2"] = restart_lrs(2, grid)
    assert io["lr_epochs5_warmup2_steps3"][0] == 1e-8

    rng = np.random.default_rng(7)
    runs = np.repeat(rng.integers(0, 8, 30), rng.integers(1, 9, 30))
    io["mode_labels"] = torch.from_numpy(runs.astype(np.int64))
    for k in (40, 5, 4, 1):
        io[f"mode_k{k}"] = torch.from_numpy(mode_filter(runs, k).astype(np.int64))
    ties = np.array([3, 1, 1, 3, 2, 2, 0, 5], dtype=np.int64)
    io["mode_ties"] = torch.from_numpy(ties)
    io["mode_ties_k4"] = torch.from_numpy(mode_filter(ties, 4).astype(np.int64))
    assert mode_filter(np.array([3, 1, 1, 3]), 4)[1] == 1, "ties go to the smallest label"

    torch.manual_seed(171)
    pred = torch.tanh(torch.randn(2, 10, 2))
    gold = torch.rand(2, 10, 2) * 2 - 1
    gold[0, 3] = -5
    gold[1, 1] = -5
    lengths = torch.tensor([10, 6])
    valid = torch.arange(10)[None, :] < lengths[:, None]
    counted = valid & (gold[..., 0] != -5)                     # the released loss masks by valence
    ccc_v = released_ccc(pred[..., 0][counted], gold[..., 0][counted])
    ccc_a = released_ccc(pred[..., 1][counted], gold[..., 1][counted])
    io.update(ccc_pred=pred, ccc_gold=gold, ccc_valid=valid.float(), ccc_valence=ccc_v.reshape([]),
              ccc_arousal=ccc_a.reshape([]), ccc_loss_sum=((1 - ccc_v) + (1 - ccc_a)).reshape([]))
    write("authors_recipe.io.safetensors", io)


# ---------------------------------------------------------------------------------------------------------------
# 3. PyTorch files: MAE checkpoint layouts and hostile pickles
# ---------------------------------------------------------------------------------------------------------------


def make_pytorch_files():
    print("[3] PyTorch files")
    mae, _ = load_safetensors(os.path.join(OUT_DIR, "mae_tiny.weights.safetensors"))
    # A real AdamW state, kept small: over the two tokens only (the layout is what matters, not the size).
    tokens = [nn.Parameter(mae["cls_token"].clone()), nn.Parameter(mae["mask_token"].clone())]
    optimizer = torch.optim.AdamW(tokens, lr=1.5e-4, betas=(0.9, 0.95), weight_decay=0.05)
    for p in tokens:
        p.grad = torch.ones_like(p)
    optimizer.step()
    args = argparse.Namespace(batch_size=64, epochs=400, model="mae_vit_base_patch16", input_size=224,
                              mask_ratio=0.75, norm_pix_loss=True, blr=1.5e-4, output_dir="./output_dir")
    checkpoint = {
        "model": OrderedDict((k, v.clone()) for k, v in mae.items()),
        "optimizer": optimizer.state_dict(),
        "epoch": 399,
        "scaler": {"scale": 65536.0, "growth_factor": 2.0, "backoff_factor": 0.5, "growth_interval": 2000, "_growth_tracker": 0},
        "args": args,
    }
    torch.save(checkpoint, os.path.join(OUT_DIR, "mae_tiny_official.pth"))
    loaded = torch.load(os.path.join(OUT_DIR, "mae_tiny_official.pth"))
    assert all(torch.equal(loaded["model"][k], mae[k]) for k in mae)
    print("  wrote mae_tiny_official.pth")

    classifier, _ = load_safetensors(os.path.join(OUT_DIR, "mae_classifier_tiny.weights.safetensors"))
    torch.save({"model": OrderedDict(classifier), "epoch": 99, "args": argparse.Namespace(global_pool=True, nb_classes=8)},
               os.path.join(OUT_DIR, "mae_classifier_tiny_official.pth"))
    print("  wrote mae_classifier_tiny_official.pth")

    class RunsAShellCommand:
        def __reduce__(self):
            return (os.system, ("echo this pickle ran a shell command",))

    hostile = {"weight": torch.zeros(2), "payload": RunsAShellCommand()}
    torch.save(hostile, os.path.join(OUT_DIR, "pickle_os_system.pth"))
    torch.save(hostile, os.path.join(OUT_DIR, "pickle_os_system_protocol4.pth"), pickle_protocol=4)
    print("  wrote pickle_os_system.pth, pickle_os_system_protocol4.pth (never load them in Python)")
    make_fuzz_seeds()


def make_fuzz_seeds():
    """Small files, so that mutations hit the zip structure and the pickle rather than tensor bytes."""
    state = OrderedDict(a=torch.arange(6, dtype=torch.float32).reshape(2, 3), b=torch.tensor([-1, 2 ** 40]),
                        c=torch.tensor([1.5, -2.0]).to(torch.bfloat16), d=torch.tensor([True, False]),
                        e=torch.tensor([0.25], dtype=torch.float16))
    torch.save(state, os.path.join(OUT_DIR, "fuzz_seed_state_dict.pt"))
    checkpoint = {"model": OrderedDict(w=torch.tensor([[0.5, -1.0]]), b=torch.zeros(1)), "epoch": 3,
                  "args": argparse.Namespace(mask_ratio=0.75, model="mae_vit_base_patch16")}
    torch.save(checkpoint, os.path.join(OUT_DIR, "fuzz_seed_checkpoint.pth"))
    print("  wrote fuzz_seed_state_dict.pt, fuzz_seed_checkpoint.pth")


def main():
    print(f"torch {torch.__version__}, scipy {scipy.__version__}, output dir {OUT_DIR}")
    make_authors_model()
    make_recipe()
    make_pytorch_files()


if __name__ == "__main__":
    main()
