#!/usr/bin/python3
"""PyTorch twin of the AffectMae benchmarks: the same architectures, the same work, the same thread count.

Usage (from the repository root; Debian's python3-torch, not in CI):

    /usr/bin/python3 benchmarks/pytorch_twin.py [all|extract|mae|temporal|memory|blas] [options]

Every case runs in a fresh child process (so the peak resident memory, VmHWM, is that case's alone) after waiting for
other processes to go quiet (a case they disturbed anyway is measured again, up to three times), and the results are
merged into benchmarks/results/pytorch.json, with the same field names as the C# harness
(benchmarks/AffectMae.Benchmarks). compare.py turns both files into the tables of RESULTS.md.

The models are written like facebookresearch/mae models_mae.py and models_vit.py (timm 0.3.2 layers, no timm import)
and like the temporal model of tests/AffectMae.Models.Tests/Fixtures/make_fixtures.py, at the paper's sizes:
ViT-B/16 (768 wide, 12 blocks, 12 heads), decoder 512 wide, 8 blocks, 16 heads; TCN 768 -> [512, 512] (kernel 3,
dilations 1, 2, dropout 0.3) -> TransformerEncoder (d 512, 8 heads, 4 layers, ff 1024, batch_first, sinusoidal
positions) -> heads 512 -> 256 -> {2, 8, 12}; loss 1 - CCC + CE + BCE, AdamW.
"""

import argparse
import ctypes
import json
import math
import os
import platform
import subprocess
import sys
import time


def _choose_openblas_coretype():
    """Debian 12's OpenBLAS 0.3.21 does not know CPUs newer than it (e.g. Sapphire/Emerald Rapids) and falls back to
    its generic 'Prescott' SSE3 kernels, ~6x slower at sgemm on this machine. Unless --openblas-coretype none is given
    or OPENBLAS_CORETYPE is already set, pick the newest kernel family the CPU flags allow. Must run before numpy or
    torch load libblas.so.3."""
    argv = sys.argv
    wanted = argv[argv.index("--openblas-coretype") + 1] if "--openblas-coretype" in argv else "auto"
    if wanted == "none" or "OPENBLAS_CORETYPE" in os.environ:
        return
    if wanted != "auto":
        os.environ["OPENBLAS_CORETYPE"] = wanted
        return
    with open("/proc/cpuinfo") as f:
        flags = set(next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), []))
    if {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= flags:
        os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"
    elif {"avx2", "fma"} <= flags:
        os.environ["OPENBLAS_CORETYPE"] = "Haswell"


_choose_openblas_coretype()

import numpy as np  # noqa: E402  (after the OpenBLAS choice)
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

GFLOP_PER_IMAGE = 35.2  # ViT-B/16 forward at 224x224: 17.6 GMAC, 2 FLOPs each
RESULT_PREFIX = "RESULT "
HERE = os.path.dirname(os.path.abspath(__file__))

BF16_MODES = ("autocast", "cast")  # torch.autocast("cpu", bfloat16) around float32 weights, or the model cast once
GROUPS = {
    "all": ["blas", "blas-bf16", "extract-b1", "extract-b8", *[f"extract-b8-bf16-{m}" for m in BF16_MODES], "extract-b32",
            *[f"extract-b32-bf16-{m}" for m in BF16_MODES], "mae-b8", "temporal-b32", "memory-temporal"],
    "extract": ["extract-b1", "extract-b8", *[f"extract-b8-bf16-{m}" for m in BF16_MODES], "extract-b32",
                *[f"extract-b32-bf16-{m}" for m in BF16_MODES]],
    "precision": ["blas", "blas-bf16", "extract-b8", *[f"extract-b8-bf16-{m}" for m in BF16_MODES], "extract-b32",
                  *[f"extract-b32-bf16-{m}" for m in BF16_MODES]],
    "mae": ["mae-b8"],
    "temporal": ["temporal-b32"],
    "memory": ["memory-temporal"],
    "blas": ["blas", "blas-bf16"],
    "profile": ["profile-temporal", "profile-mae"],
}


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# measuring: /proc, the same way the C# harness does it
# ---------------------------------------------------------------------------


def _status_kib(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {key}")


def rss_mib():
    return _status_kib("VmRSS:") / 1024.0


def peak_rss_mib():
    return _status_kib("VmHWM:") / 1024.0


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


_LIBC = ctypes.CDLL("libc.so.6")
_LIBC.mallinfo2.restype = _MallInfo2


def malloc_in_use_mib():
    """Bytes glibc's malloc has handed out and not had back (mallinfo2: uordblks + hblkhd, all arenas)."""
    info = _LIBC.mallinfo2()
    return (info.uordblks + info.hblkhd) / 1048576.0


def reset_peak():
    """Reset VmHWM to the current resident size (Linux: "5" into /proc/self/clear_refs)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_snapshot():
    """(machine busy ticks, machine total ticks, own ticks) from /proc/stat and /proc/self/stat."""
    with open("/proc/stat") as f:
        cpu = [int(v) for v in f.readline().split()[1:]]
    busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7]  # user nice system irq softirq steal
    total = busy + cpu[3] + cpu[4]  # + idle iowait
    with open("/proc/self/stat") as f:
        stat = f.read()
    after = stat[stat.rindex(")") + 2:].split()  # field 3 (state) onwards
    own = int(after[11]) + int(after[12])  # utime + stime, all threads
    return busy, total, own


def foreign_cores(start, end):
    total = end[1] - start[1]
    if total <= 0:
        return 0.0
    return max(0.0, os.cpu_count() * ((end[0] - start[0]) - (end[2] - start[2])) / total)


def own_cores(start, end):
    total = end[1] - start[1]
    return 0.0 if total <= 0 else os.cpu_count() * (end[2] - start[2]) / total


MAX_FOREIGN_CORES = 0.25
ATTEMPTS = 3  # runs of a case at most, when another process disturbed the previous one


def wait_for_quiet(max_wait_s):
    deadline = time.time() + max_wait_s
    while True:
        start = cpu_snapshot()
        time.sleep(5)
        foreign = foreign_cores(start, cpu_snapshot())
        if foreign < MAX_FOREIGN_CORES:
            log(f"quiet: other processes use {foreign:.2f} cores; load average {load_average()}")
            return foreign
        if time.time() >= deadline:
            log(f"WARNING: still busy after {max_wait_s / 60:.0f} min ({foreign:.2f} cores); measuring anyway")
            return foreign
        log(f"busy: other processes use {foreign:.2f} cores (load average {load_average()}); waiting 60 s")
        time.sleep(60)


def median(values):
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def minor_faults():
    """Minor page faults of this process so far (fresh pages the kernel mapped and zeroed), as the C# harness reads."""
    with open("/proc/self/stat") as f:
        stat = f.read()
    return int(stat[stat.rindex(")") + 2:].split()[7])


def time_runs(label, warmup, iterations, body):
    for i in range(warmup):
        t0 = time.perf_counter()
        body()
        log(f"  {label} warm-up {i + 1}/{warmup}: {time.perf_counter() - t0:.3f} s")
    seconds = []
    faults_before = minor_faults()
    for i in range(iterations):
        t0 = time.perf_counter()
        body()
        seconds.append(time.perf_counter() - t0)
        log(f"  {label} run {i + 1}/{iterations}: {seconds[-1]:.3f} s")
    return seconds, (minor_faults() - faults_before) / max(1, iterations)


# ---------------------------------------------------------------------------
# MAE / ViT (facebookresearch/mae models_mae.py, models_vit.py, util/pos_embed.py; timm 0.3.2 layers)
# ---------------------------------------------------------------------------


def get_2d_sincos_pos_embed(embed_dim, grid_size, cls_token=False):
    grid_h = np.arange(grid_size, dtype=np.float32)
    grid_w = np.arange(grid_size, dtype=np.float32)
    grid = np.meshgrid(grid_w, grid_h)  # here w goes first
    grid = np.stack(grid, axis=0).reshape([2, 1, grid_size, grid_size])
    emb_h = get_1d_sincos_pos_embed_from_grid(embed_dim // 2, grid[0])  # (H*W, D/2)
    emb_w = get_1d_sincos_pos_embed_from_grid(embed_dim // 2, grid[1])  # (H*W, D/2)
    pos_embed = np.concatenate([emb_h, emb_w], axis=1)  # (H*W, D)
    if cls_token:
        pos_embed = np.concatenate([np.zeros([1, embed_dim]), pos_embed], axis=0)
    return pos_embed


def get_1d_sincos_pos_embed_from_grid(embed_dim, pos):
    omega = np.arange(embed_dim // 2, dtype=np.float32)
    omega /= embed_dim / 2.0
    omega = 1.0 / 10000**omega  # (D/2,)
    out = np.einsum("m,d->md", pos.reshape(-1), omega)  # (M, D/2)
    return np.concatenate([np.sin(out), np.cos(out)], axis=1)  # (M, D)


class PatchEmbed(nn.Module):
    def __init__(self, img_size, patch_size, in_chans, embed_dim):
        super().__init__()
        self.patch_size = (patch_size, patch_size)
        self.grid_size = img_size // patch_size
        self.num_patches = self.grid_size * self.grid_size
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)  # [N, L, D]


class Attention(nn.Module):
    """timm 0.3.2 Attention (qkv_bias=True), as MAE uses it: explicit softmax(q k^T * scale) v."""

    def __init__(self, dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=True)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, C // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q @ k.transpose(-2, -1)) * self.scale
        attn = attn.softmax(dim=-1)
        x = (attn @ v).transpose(1, 2).reshape(B, N, C)
        return self.proj(x)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, num_heads, mlp_ratio=4.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        x = x + self.mlp(self.norm2(x))
        return x


def _init_weights(m):
    if isinstance(m, nn.Linear):
        torch.nn.init.xavier_uniform_(m.weight)  # following official JAX ViT
        if m.bias is not None:
            nn.init.constant_(m.bias, 0)
    elif isinstance(m, nn.LayerNorm):
        nn.init.constant_(m.bias, 0)
        nn.init.constant_(m.weight, 1.0)


class MaskedAutoencoderViT(nn.Module):
    """models_mae.py mae_vit_base_patch16_dec512d8b (norm_pix_loss=False)."""

    def __init__(self, img_size=224, patch_size=16, in_chans=3, embed_dim=768, depth=12, num_heads=12,
                 decoder_embed_dim=512, decoder_depth=8, decoder_num_heads=16, mlp_ratio=4.0):
        super().__init__()
        # encoder specifics
        self.patch_embed = PatchEmbed(img_size, patch_size, in_chans, embed_dim)
        num_patches = self.patch_embed.num_patches
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, num_patches + 1, embed_dim), requires_grad=False)
        self.blocks = nn.ModuleList([Block(embed_dim, num_heads, mlp_ratio) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=1e-6)
        # decoder specifics
        self.decoder_embed = nn.Linear(embed_dim, decoder_embed_dim, bias=True)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, decoder_embed_dim))
        self.decoder_pos_embed = nn.Parameter(torch.zeros(1, num_patches + 1, decoder_embed_dim), requires_grad=False)
        self.decoder_blocks = nn.ModuleList([Block(decoder_embed_dim, decoder_num_heads, mlp_ratio)
                                             for _ in range(decoder_depth)])
        self.decoder_norm = nn.LayerNorm(decoder_embed_dim, eps=1e-6)
        self.decoder_pred = nn.Linear(decoder_embed_dim, patch_size**2 * in_chans, bias=True)
        self.initialize_weights()

    def initialize_weights(self):
        grid = self.patch_embed.grid_size
        self.pos_embed.data.copy_(torch.from_numpy(get_2d_sincos_pos_embed(self.pos_embed.shape[-1], grid, True)).float().unsqueeze(0))
        self.decoder_pos_embed.data.copy_(torch.from_numpy(
            get_2d_sincos_pos_embed(self.decoder_pos_embed.shape[-1], grid, True)).float().unsqueeze(0))
        w = self.patch_embed.proj.weight.data
        torch.nn.init.xavier_uniform_(w.view([w.shape[0], -1]))
        torch.nn.init.normal_(self.cls_token, std=0.02)
        torch.nn.init.normal_(self.mask_token, std=0.02)
        self.apply(_init_weights)

    def patchify(self, imgs):
        p = self.patch_embed.patch_size[0]
        h = w = imgs.shape[2] // p
        x = imgs.reshape(shape=(imgs.shape[0], 3, h, p, w, p))
        x = torch.einsum("nchpwq->nhwpqc", x)
        return x.reshape(shape=(imgs.shape[0], h * w, p**2 * 3))

    def random_masking(self, x, mask_ratio):
        N, L, D = x.shape  # batch, length, dim
        len_keep = int(L * (1 - mask_ratio))
        noise = torch.rand(N, L, device=x.device)  # noise in [0, 1]
        ids_shuffle = torch.argsort(noise, dim=1)  # ascend: small is keep, large is remove
        ids_restore = torch.argsort(ids_shuffle, dim=1)
        ids_keep = ids_shuffle[:, :len_keep]
        x_masked = torch.gather(x, dim=1, index=ids_keep.unsqueeze(-1).repeat(1, 1, D))
        mask = torch.ones([N, L], device=x.device)  # 0 is keep, 1 is remove
        mask[:, :len_keep] = 0
        mask = torch.gather(mask, dim=1, index=ids_restore)
        return x_masked, mask, ids_restore

    def forward_encoder(self, x, mask_ratio):
        x = self.patch_embed(x)  # embed patches
        x = x + self.pos_embed[:, 1:, :]  # add pos embed w/o cls token
        x, mask, ids_restore = self.random_masking(x, mask_ratio)  # masking: length -> length * mask_ratio
        cls_token = self.cls_token + self.pos_embed[:, :1, :]  # append cls token
        x = torch.cat((cls_token.expand(x.shape[0], -1, -1), x), dim=1)
        for blk in self.blocks:  # apply Transformer blocks
            x = blk(x)
        x = self.norm(x)
        return x, mask, ids_restore

    def forward_decoder(self, x, ids_restore):
        x = self.decoder_embed(x)  # embed tokens
        mask_tokens = self.mask_token.repeat(x.shape[0], ids_restore.shape[1] + 1 - x.shape[1], 1)
        x_ = torch.cat([x[:, 1:, :], mask_tokens], dim=1)  # no cls token
        x_ = torch.gather(x_, dim=1, index=ids_restore.unsqueeze(-1).repeat(1, 1, x.shape[2]))  # unshuffle
        x = torch.cat([x[:, :1, :], x_], dim=1)  # append cls token
        x = x + self.decoder_pos_embed  # add pos embed
        for blk in self.decoder_blocks:
            x = blk(x)
        x = self.decoder_norm(x)
        x = self.decoder_pred(x)  # predictor projection
        return x[:, 1:, :]  # remove cls token

    def forward_loss(self, imgs, pred, mask):
        target = self.patchify(imgs)
        loss = (pred - target) ** 2
        loss = loss.mean(dim=-1)  # [N, L], mean loss per patch
        return (loss * mask).sum() / mask.sum()  # mean loss on removed patches

    def forward(self, imgs, mask_ratio=0.75):
        latent, mask, ids_restore = self.forward_encoder(imgs, mask_ratio)
        pred = self.forward_decoder(latent, ids_restore)  # [N, L, p*p*3]
        loss = self.forward_loss(imgs, pred, mask)
        return loss, pred, mask


class VisionTransformer(nn.Module):
    """models_vit.py vit_base_patch16 with global_pool=True: features = fc_norm(mean of patch tokens)."""

    def __init__(self, img_size=224, patch_size=16, in_chans=3, embed_dim=768, depth=12, num_heads=12,
                 mlp_ratio=4.0, num_classes=8):
        super().__init__()
        self.patch_embed = PatchEmbed(img_size, patch_size, in_chans, embed_dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.pos_embed = nn.Parameter(torch.from_numpy(
            get_2d_sincos_pos_embed(embed_dim, self.patch_embed.grid_size, True)).float().unsqueeze(0))
        self.pos_drop = nn.Dropout(p=0.0)
        self.blocks = nn.ModuleList([Block(embed_dim, num_heads, mlp_ratio) for _ in range(depth)])
        self.fc_norm = nn.LayerNorm(embed_dim, eps=1e-6)
        self.head = nn.Linear(embed_dim, num_classes)
        self.apply(_init_weights)

    def forward_features(self, x):
        B = x.shape[0]
        x = self.patch_embed(x)
        cls_tokens = self.cls_token.expand(B, -1, -1)
        x = torch.cat((cls_tokens, x), dim=1)
        x = x + self.pos_embed
        x = self.pos_drop(x)
        for blk in self.blocks:
            x = blk(x)
        x = x[:, 1:, :].mean(dim=1)  # global pool without cls token
        return self.fc_norm(x)


# ---------------------------------------------------------------------------
# temporal model (as make_fixtures.py, at the Base768D512 sizes) and the masked losses
# ---------------------------------------------------------------------------


class TemporalBlock(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, dilation, dropout):
        super().__init__()
        padding = dilation * (kernel_size - 1) // 2
        self.conv1 = nn.Conv1d(in_channels, out_channels, kernel_size, padding=padding, dilation=dilation)
        self.conv2 = nn.Conv1d(out_channels, out_channels, kernel_size, padding=padding, dilation=dilation)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)
        self.downsample = nn.Conv1d(in_channels, out_channels, 1) if in_channels != out_channels else None

    def forward(self, x, keep):  # x [B, C, T], keep [B, 1, T] float
        x = x * keep
        h = self.dropout1(F.relu(self.conv1(x))) * keep
        h = self.dropout2(F.relu(self.conv2(h)))
        res = self.downsample(x) if self.downsample is not None else x
        return F.relu(h + res) * keep


class TemporalConvNet(nn.Module):
    def __init__(self, input_dim=768, channels=(512, 512), kernel_size=3, dilations=(1, 2), dropout=0.3):
        super().__init__()
        blocks, in_ch = [], input_dim
        for out_ch, d in zip(channels, dilations):
            blocks.append(TemporalBlock(in_ch, out_ch, kernel_size, d, dropout))
            in_ch = out_ch
        self.network = nn.ModuleList(blocks)

    def forward(self, x, valid):  # x [B, T, D], valid [B, T] bool
        keep = valid[:, None, :].float()
        h = x.transpose(1, 2)
        for block in self.network:
            h = block(h, keep)
        return h.transpose(1, 2)


def sinusoidal_table(max_length, d_model):
    position = torch.arange(max_length).unsqueeze(1).float()
    div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
    pe = torch.zeros(max_length, d_model)
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    return pe


class SegmentTransformer(nn.Module):
    def __init__(self, d_model=512, nhead=8, dim_feedforward=1024, num_layers=4, max_length=300, dropout=0.1):
        super().__init__()
        self.register_buffer("pos_encoding", sinusoidal_table(max_length, d_model))
        self.dropout = nn.Dropout(dropout)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation="relu",
                                           layer_norm_eps=1e-5, batch_first=True, norm_first=False)
        self.encoder = nn.TransformerEncoder(layer, num_layers, norm=None, enable_nested_tensor=False)

    def forward(self, x, valid):  # x [B, T, D], valid [B, T] bool
        h = self.dropout(x + self.pos_encoding[: x.shape[1]])
        padding = (~valid) & valid.any(1, keepdim=True)  # as SegmentTransformer.KeyPaddingMask
        return self.encoder(h, src_key_padding_mask=padding)


class Head(nn.Module):
    def __init__(self, d, hidden, out, dropout=0.1):
        super().__init__()
        self.fc1 = nn.Linear(d, hidden)
        self.dropout = nn.Dropout(dropout)
        self.fc2 = nn.Linear(hidden, out)

    def forward(self, x):
        return self.fc2(self.dropout(F.relu(self.fc1(x))))


class TaskHeads(nn.Module):
    def __init__(self, d=512, hidden=256):
        super().__init__()
        self.va = Head(d, hidden, 2)
        self.expr = Head(d, hidden, 8)
        self.au = Head(d, hidden, 12)

    def forward(self, x):
        return torch.tanh(self.va(x)), self.expr(x), self.au(x)


class AffectSequenceModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.tcn = TemporalConvNet()
        self.transformer = SegmentTransformer()
        self.heads = TaskHeads()

    def forward(self, x, valid):
        return self.heads(self.transformer(self.tcn(x, valid), valid))


def concordance(x, y, counted):
    """As CccLoss.Concordance: masked population moments, no data-dependent branch."""
    w = counted.to(x.dtype)
    n = w.sum().clamp_min(1)
    xs = torch.where(counted, x, torch.zeros((), dtype=x.dtype))
    ys = torch.where(counted, y, torch.zeros((), dtype=y.dtype))
    mx, my = xs.sum() / n, ys.sum() / n
    dx, dy = (xs - mx) * w, (ys - my) * w
    vx, vy = dx.square().sum() / n, dy.square().sum() / n
    cov = (dx * dy).sum() / n
    return 2 * cov / (vx + vy + (mx - my).square() + 1e-8)


def affect_loss(va, expr, au, gold_va, gold_expr, gold_au, valid):
    """AffectObjective: (1 - CCC) + CE + BCE over valid, labelled frames, as the C# masked losses compute them."""
    counted = valid.unsqueeze(-1) & gold_va.ge(-1.0)
    ccc = torch.stack([concordance(va[..., 0], gold_va[..., 0], counted[..., 0]),
                       concordance(va[..., 1], gold_va[..., 1], counted[..., 1])])
    present = counted.flatten(0, 1).any(0).to(va.dtype)
    ccc_loss = (present * (1 - ccc)).sum() / present.sum().clamp_min(1)

    counted_e = valid & gold_expr.ne(-1)
    target = torch.where(counted_e, gold_expr, torch.full_like(gold_expr, -1)).flatten()
    per_frame = F.cross_entropy(expr.flatten(0, 1), target, ignore_index=-1, reduction="none")
    ce = per_frame.sum() / counted_e.sum().to(expr.dtype).clamp_min(1)

    counted_a = valid.unsqueeze(-1) & gold_au.ne(-1.0)
    w = counted_a.to(au.dtype)
    bce = F.binary_cross_entropy_with_logits(au, torch.where(counted_a, gold_au, torch.zeros((), dtype=au.dtype)),
                                             weight=w, reduction="sum") / w.sum().clamp_min(1)
    return torch.stack([ccc_loss, ce, bce]).sum()


def adamw(model, lr, betas, weight_decay):
    """Two groups as WeightDecayGroups.CreateAdamW: no decay for 1-D parameters, tokens and pos_embed."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        (no_decay if p.ndim <= 1 or name.endswith("token") or name == "pos_embed" else decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                             lr=lr, betas=betas)


class Trainer:
    """Trainer.Step: per-step warm-up/cosine rate, zero_grad, loss, item, backward, AdamW step."""

    def __init__(self, optimizer, lr, warmup_epochs, epochs, steps_per_epoch=100):
        self.optimizer, self.lr, self.warmup, self.epochs, self.spe = optimizer, lr, warmup_epochs, epochs, steps_per_epoch
        self.step_count = 0

    def rate(self, step):
        epoch = step / self.spe
        if epoch < self.warmup:
            return self.lr * epoch / self.warmup
        progress = min(1.0, (epoch - self.warmup) / (self.epochs - self.warmup))
        return self.lr * 0.5 * (1.0 + math.cos(math.pi * progress))

    def step(self, compute_loss):
        for group in self.optimizer.param_groups:
            group["lr"] = self.rate(self.step_count)
        self.optimizer.zero_grad()
        loss = compute_loss()
        value = loss.item()
        if not math.isfinite(value):
            raise RuntimeError(f"loss is {value}")
        loss.backward()
        self.optimizer.step()
        self.step_count += 1
        return value


class TemporalRun:
    def __init__(self, windows):
        self.model = AffectSequenceModel()
        self.model.train()
        self.trainer = Trainer(adamw(self.model, 3e-5, (0.9, 0.999), 1e-5), 3e-5, 1, 20)  # OptimizationOptions.Temporal
        g = torch.Generator().manual_seed(0)
        T, D = 300, 768
        self.x = torch.rand(windows, T, D, generator=g) * 2 - 1
        self.valid = torch.ones(windows, T, dtype=torch.bool)
        self.va = torch.rand(windows, T, 2, generator=g) * 2 - 1
        self.expr = torch.randint(0, 8, (windows, T), generator=g)
        self.au = torch.randint(0, 2, (windows, T, 12), generator=g).float()

    def loss(self):
        va, expr, au = self.model(self.x, self.valid)
        return affect_loss(va, expr, au, self.va, self.expr, self.au, self.valid)

    def step(self):
        self.trainer.step(self.loss)


# ---------------------------------------------------------------------------
# cases
# ---------------------------------------------------------------------------


def measure(name, work, batch, warmup, iterations, body, rss_start, rss_model, rates):
    load_before = load_average()
    cpu_start = cpu_snapshot()
    seconds, faults = time_runs(name, warmup, iterations, body)
    cpu_end = cpu_snapshot()
    med = median(seconds)
    result = dict(case=name, side=f"PyTorch {torch.__version__}", work=work, batch=batch, warmup=warmup,
                  iterations=iterations, seconds=seconds, median_seconds=med, images_per_second=None,
                  gflops_per_second=None, ms_per_step=None, rss_start_mib=rss_start, rss_model_mib=rss_model,
                  peak_rss_mib=peak_rss_mib(), threads=torch.get_num_threads(),
                  interop_threads=torch.get_num_interop_threads(), own_cores=own_cores(cpu_start, cpu_end),
                  foreign_cores=foreign_cores(cpu_start, cpu_end), load_average_before=load_before,
                  load_average_after=load_average(), memory_trace=None, extra=None,
                  minor_faults_per_iteration=faults)
    result.update(rates(med))
    return result


def case_extract(batch, args, warmup, iterations, bf16_mode=None):
    """float32 (bf16_mode None), or bfloat16 by autocast ("autocast": weights stay float32, autocast casts them for
    every linear/conv) or by casting the model once ("cast": like UseInferencePrecision, but every layer bfloat16);
    float32 images in, float32 features out either way."""
    rss_start = rss_mib()
    model = VisionTransformer()
    model.eval()
    if bf16_mode == "cast":
        model = model.bfloat16()
    images = torch.randn(batch, 3, 224, 224)
    rss_model = rss_mib()

    def body():
        with torch.no_grad():
            if bf16_mode == "autocast":
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    features = model.forward_features(images).float()
            elif bf16_mode == "cast":
                features = model.forward_features(images.bfloat16()).float()
            else:
                features = model.forward_features(images)
            assert features.shape[1] == 768 and features.dtype == torch.float32

    suffix = "" if bf16_mode is None else f"-bf16-{bf16_mode}"
    return measure(f"extract-b{batch}{suffix}", f"VisionTransformer(ViT-B/16, global pool).forward_features, [{batch}, 3, 224, 224], eval + no_grad, {bf16_mode or 'float32'}",
                   batch, args.warmup or warmup, args.iterations or iterations, body, rss_start, rss_model,
                   lambda m: dict(images_per_second=batch / m, gflops_per_second=batch * GFLOP_PER_IMAGE / m))


def case_mae(batch, args, warmup, iterations):
    rss_start = rss_mib()
    mae = MaskedAutoencoderViT()
    mae.train()
    trainer = Trainer(adamw(mae, 5e-4, (0.9, 0.95), 0.05), 5e-4, 40, 500)  # OptimizationOptions.Pretraining
    images = torch.randn(batch, 3, 224, 224)
    rss_model = rss_mib()
    return measure(f"mae-b{batch}", f"MaskedAutoencoderViT(mae_vit_base_patch16_dec512d8b) step, [{batch}, 3, 224, 224], mask 0.75, AdamW",
                   batch, args.warmup or warmup, args.iterations or iterations,
                   lambda: trainer.step(lambda: mae(images, 0.75)[0]), rss_start, rss_model,
                   lambda m: dict(ms_per_step=m * 1000))


def case_temporal(batch, args, warmup, iterations):
    rss_start = rss_mib()
    run = TemporalRun(batch)
    rss_model = rss_mib()
    return measure(f"temporal-b{batch}", f"AffectSequenceModel(TCN -> Transformer -> heads) step on [{batch}, 300, 768], 1-CCC + CE + BCE, AdamW",
                   batch, args.warmup or warmup, args.iterations or iterations, run.step, rss_start, rss_model,
                   lambda m: dict(ms_per_step=m * 1000))


def case_memory(args):
    rss_start = rss_mib()
    run = TemporalRun(args.memory_batch)
    rss_model = rss_mib()
    steps = args.memory_steps
    record = sorted({1, 2, 5, 10, 25, 50, 100, 150, 200, steps})
    trace, seconds = [], []
    load_before = load_average()
    cpu_start = cpu_snapshot()
    for step in range(1, steps + 1):
        t0 = time.perf_counter()
        run.step()
        seconds.append(time.perf_counter() - t0)
        if step in record:
            point = dict(step=step, rss_mib=rss_mib(), live_tensors=-1, managed_mib=0.0, step_seconds=seconds[-1],
                         malloc_in_use_mib=malloc_in_use_mib())
            trace.append(point)
            log(f"  memory-temporal after step {step}/{steps}: RSS {point['rss_mib']:.1f} MiB, "
                f"malloc in use {point['malloc_in_use_mib']:.1f} MiB, step {seconds[-1]:.3f} s")
    cpu_end = cpu_snapshot()
    _LIBC.malloc_trim(0)  # freed pages back to the system: what is left is really held
    rss_trimmed = rss_mib()
    log(f"  memory-temporal after malloc_trim(0): RSS {rss_trimmed:.1f} MiB")
    med = median(seconds)
    return dict(case="memory-temporal", side=f"PyTorch {torch.__version__}",
                work=f"temporal training step on [{args.memory_batch}, 300, 768], repeated", batch=args.memory_batch,
                warmup=0, iterations=steps, seconds=seconds, median_seconds=med, images_per_second=None,
                gflops_per_second=None, ms_per_step=med * 1000, rss_start_mib=rss_start, rss_model_mib=rss_model,
                peak_rss_mib=peak_rss_mib(), threads=torch.get_num_threads(),
                interop_threads=torch.get_num_interop_threads(), own_cores=own_cores(cpu_start, cpu_end),
                foreign_cores=foreign_cores(cpu_start, cpu_end), load_average_before=load_before,
                load_average_after=load_average(), memory_trace=trace,
                extra=dict(rss_after_malloc_trim_mib=rss_trimmed))


def case_blas(args, dtype=torch.float32):
    """Plain matrix product, [2048, 2048] @ [2048, 2048]: how fast the BLAS (float32) or oneDNN (bfloat16) underneath
    is, apart from any framework."""
    rss_start = rss_mib()
    a, b = torch.randn(2048, 2048).to(dtype), torch.randn(2048, 2048).to(dtype)

    def body():
        torch.mm(a, b)

    name = "blas" if dtype == torch.float32 else "blas-bf16"
    return measure(name, f"torch.mm [2048, 2048] @ [2048, 2048] {str(dtype).replace('torch.', '')}", 0,
                   args.warmup or 3, args.iterations or 10,
                   body, rss_start, rss_mib(), lambda m: dict(gflops_per_second=2 * 2048**3 / m / 1e9))


class Phases:
    """Median seconds of named phases."""

    def __init__(self):
        self.samples = {}

    def add(self, phase, seconds):
        self.samples.setdefault(phase, []).append(seconds)

    def start_peak(self):
        reset_peak()
        self.add("rss_step_start_mib", rss_mib())

    def end_peak(self, phase):
        self.add(f"peak_rss_{phase}_mib", peak_rss_mib())
        reset_peak()

    def component(self, name, warmup, iterations, forward):
        """Forward and backward (of the sum of the outputs) of a module alone, in training mode."""
        for i in range(warmup + iterations):
            t0 = time.perf_counter()
            total = forward().sum()
            t_forward = time.perf_counter() - t0
            total.backward()
            t_all = time.perf_counter() - t0
            if i >= warmup:
                self.add(f"{name}_forward_s", t_forward)
                self.add(f"{name}_backward_s", t_all - t_forward)

    def result(self, name, work, batch, warmup, iterations, rss_start):
        extra = {k: median(v) for k, v in self.samples.items()}
        for k, v in extra.items():
            log(f"  {name} {k}: {v:.3f}")
        return dict(case=name, side=f"PyTorch {torch.__version__}", work=work, batch=batch, warmup=warmup,
                    iterations=iterations, seconds=[], median_seconds=0, images_per_second=None,
                    gflops_per_second=None, ms_per_step=None, rss_start_mib=rss_start, rss_model_mib=0,
                    peak_rss_mib=peak_rss_mib(), threads=torch.get_num_threads(),
                    interop_threads=torch.get_num_interop_threads(), own_cores=0, foreign_cores=0,
                    load_average_before=load_average(), load_average_after=load_average(), memory_trace=None,
                    extra=extra)


def case_profile_temporal(args):
    """As the C# profile-temporal: step phases, then the TCN, transformer and heads alone."""
    batch, warmup, iterations = 32, args.warmup or 1, args.iterations or 3
    rss_start = rss_mib()
    phases = Phases()
    run = TemporalRun(batch)
    for i in range(warmup + iterations):
        run.trainer.optimizer.zero_grad()
        phases.start_peak()
        t0 = time.perf_counter()
        loss = run.loss()
        loss.item()
        t_forward = time.perf_counter() - t0
        phases.end_peak("forward")
        loss.backward()
        t_backward = time.perf_counter() - t0
        phases.end_peak("backward")
        run.trainer.optimizer.step()
        t_all = time.perf_counter() - t0
        phases.end_peak("adamw")
        if i >= warmup:
            phases.add("step_forward_s", t_forward)
            phases.add("step_backward_s", t_backward - t_forward)
            phases.add("step_adamw_s", t_all - t_backward)
    del run
    valid = torch.ones(batch, 300, dtype=torch.bool)
    x, h = torch.randn(batch, 300, 768), torch.randn(batch, 300, 512)
    tcn, transformer, heads = TemporalConvNet().train(), SegmentTransformer().train(), TaskHeads().train()
    phases.component("tcn", warmup, iterations, lambda: tcn(x, valid))
    phases.component("transformer", warmup, iterations, lambda: transformer(h, valid))
    phases.component("heads", warmup, iterations, lambda: sum(o.sum() for o in heads(h)))
    return phases.result("profile-temporal", f"temporal step phases and components on [{batch}, 300, .]", batch,
                         warmup, iterations, rss_start)


def case_profile_mae(args):
    """As the C# profile-mae: encoder, decoder, loss, backward, AdamW."""
    batch, warmup, iterations = 8, args.warmup or 1, args.iterations or 3
    rss_start = rss_mib()
    phases = Phases()
    mae = MaskedAutoencoderViT()
    mae.train()
    optimizer = adamw(mae, 5e-4, (0.9, 0.95), 0.05)
    images = torch.randn(batch, 3, 224, 224)
    for i in range(warmup + iterations):
        optimizer.zero_grad()
        phases.start_peak()
        t0 = time.perf_counter()
        latent, mask, ids_restore = mae.forward_encoder(images, 0.75)
        t_encoder = time.perf_counter() - t0
        pred = mae.forward_decoder(latent, ids_restore)
        t_decoder = time.perf_counter() - t0
        loss = mae.forward_loss(images, pred, mask)
        loss.item()
        t_loss = time.perf_counter() - t0
        phases.end_peak("forward")
        loss.backward()
        t_backward = time.perf_counter() - t0
        phases.end_peak("backward")
        optimizer.step()
        t_all = time.perf_counter() - t0
        phases.end_peak("adamw")
        if i >= warmup:
            phases.add("encoder_forward_s", t_encoder)
            phases.add("decoder_forward_s", t_decoder - t_encoder)
            phases.add("loss_forward_s", t_loss - t_decoder)
            phases.add("backward_s", t_backward - t_loss)
            phases.add("adamw_s", t_all - t_backward)
    return phases.result("profile-mae", f"MAE step phases, [{batch}, 3, 224, 224]", batch, warmup, iterations,
                         rss_start)


def run_case(name, args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if name == "extract-b1":
        return case_extract(1, args, 3, 15)
    if name == "extract-b8":
        return case_extract(8, args, 2, 7)
    if name == "extract-b32":
        return case_extract(32, args, 2, 5)
    for mode in BF16_MODES:
        if name == f"extract-b8-bf16-{mode}":
            return case_extract(8, args, 2, 7, mode)
        if name == f"extract-b32-bf16-{mode}":
            return case_extract(32, args, 2, 5, mode)
    if name == "mae-b8":
        return case_mae(8, args, 2, 5)
    if name == "temporal-b32":
        return case_temporal(32, args, 2, 5)
    if name == "memory-temporal":
        return case_memory(args)
    if name == "blas":
        return case_blas(args)
    if name == "blas-bf16":
        return case_blas(args, torch.bfloat16)
    if name == "profile-temporal":
        return case_profile_temporal(args)
    if name == "profile-mae":
        return case_profile_mae(args)
    raise SystemExit(f"unknown case {name}")


# ---------------------------------------------------------------------------
# orchestration
# ---------------------------------------------------------------------------


INTERESTING_FLAGS = ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16",
                     "amx_tile", "amx_bf16", "amx_int8"]


def cpu_model_and_flags():
    """The CPU model and the flags that decide float32 and bfloat16 speed (as MachineInfo in the C# harness)."""
    with open("/proc/cpuinfo") as f:
        lines = f.read().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "?")
    flags = set(next((line.split(":", 1)[1].split() for line in lines if line.startswith("flags")), []))
    return cpu, [flag for flag in INTERESTING_FLAGS if flag in flags]


def environment():
    config = torch.__config__.show()
    blas = next((part.split("=", 1)[1] for part in config.replace(",", "\n").split() if part.startswith("BLAS_INFO=")), "?")
    cpu, flags = cpu_model_and_flags()
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    try:
        openblas = ctypes.CDLL("libblas.so.3")
        openblas.openblas_get_corename.restype = ctypes.c_char_p
        corename = openblas.openblas_get_corename().decode()
    except (OSError, AttributeError):
        corename = None
    return dict(cpu=cpu, cpu_flags=" ".join(flags), logical_cpus=os.cpu_count(), memory_gib=round(mem_kib / 1048576, 1),
                os=platform.platform(), python=platform.python_version(), torch=torch.__version__,
                torch_blas_info=blas, libblas=os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3"),
                openblas_coretype_env=os.environ.get("OPENBLAS_CORETYPE"), openblas_core=corename,
                mkldnn=torch.backends.mkldnn.is_available(), dtype="float32; bfloat16 in the -bf16 cases", device="cpu")


def merge(output, result):
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    root = {}
    if os.path.exists(output):
        with open(output) as f:
            root = json.load(f)
    root["side"] = f"PyTorch {torch.__version__}"
    root["environment"] = environment()
    root.setdefault("results", {})[result["case"]] = result
    with open(output, "w") as f:
        json.dump(root, f, indent=2)
        f.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=[*GROUPS, "case"])
    parser.add_argument("case_name", nargs="?")
    parser.add_argument("--warmup", type=int)
    parser.add_argument("--iterations", type=int)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-batch", type=int, default=8)
    parser.add_argument("--memory-steps", type=int, default=200)
    parser.add_argument("--out", default=os.path.join(HERE, "results", "pytorch.json"))
    parser.add_argument("--no-wait", action="store_true")
    parser.add_argument("--max-wait-minutes", type=int, default=15)
    parser.add_argument("--openblas-coretype", default="auto",
                        help="auto (default): SkylakeX on AVX-512 CPUs, Haswell on AVX2; none: OpenBLAS's own detection; or a core name")
    args = parser.parse_args()

    cpu, flags = cpu_model_and_flags()
    log(f"CPU: {cpu}, {os.cpu_count()} logical CPUs; flags: {' '.join(flags)}; torch {torch.__version__}")
    if args.command == "case":
        result = run_case(args.case_name, args)
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return 0

    pass_through = ["--threads", str(args.threads), "--memory-batch", str(args.memory_batch),
                    "--memory-steps", str(args.memory_steps), "--openblas-coretype", args.openblas_coretype]
    if args.warmup:
        pass_through += ["--warmup", str(args.warmup)]
    if args.iterations:
        pass_through += ["--iterations", str(args.iterations)]
    results = []
    for name in GROUPS[args.command]:
        best = None
        for attempt in range(1, ATTEMPTS + 1):
            if not args.no_wait:
                wait_for_quiet(args.max_wait_minutes * 60)
            log(f"case {name}: starting a fresh process (load average {load_average()})")
            child = subprocess.run([sys.executable, os.path.abspath(__file__), "case", name, *pass_through],
                                   stdout=subprocess.PIPE, text=True)
            result = None
            for line in child.stdout.splitlines():
                if line.startswith(RESULT_PREFIX):
                    result = json.loads(line[len(RESULT_PREFIX):])
                else:
                    print(line)
            if child.returncode != 0 or result is None:
                log(f"case {name} failed (exit code {child.returncode})")
                return 1
            result["attempt"] = attempt
            if best is None or result["foreign_cores"] < best["foreign_cores"]:
                best = result
            if args.no_wait or result["foreign_cores"] < MAX_FOREIGN_CORES or name.startswith("memory"):
                break  # memory figures do not depend on contention
            log(f"case {name}: other processes used {result['foreign_cores']:.2f} cores while it ran; "
                f"the figures are disturbed, measuring again ({attempt}/{ATTEMPTS})")
        results.append(best)
        merge(args.out, best)

    print(f"\n{'case':<16} {'median s':>10} {'img/s':>8} {'GFLOP/s':>8} {'ms/step':>9} {'peak RSS MiB':>13} {'others cores':>13}")
    for r in results:
        def f(v, fmt):
            return "-" if v is None else format(v, fmt)
        print(f"{r['case']:<16} {f(r['median_seconds'], '.3f'):>10} {f(r['images_per_second'], '.2f'):>8} "
              f"{f(r['gflops_per_second'], '.1f'):>8} {f(r['ms_per_step'], '.0f'):>9} {f(r['peak_rss_mib'], '.0f'):>13} "
              f"{f(r['foreign_cores'], '.2f'):>13}")
    log(f"results merged into {os.path.abspath(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
