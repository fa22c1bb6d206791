#!/usr/bin/python3
"""Regenerate the PyTorch reference fixtures for the AffectMae numeric-parity tests.

Usage (from the repository root):

    /usr/bin/python3 tests/AffectMae.Models.Tests/Fixtures/make_fixtures.py

Writes every ``*.safetensors`` file next to this script. Only torch and numpy are
needed (no timm, no safetensors package): the safetensors format is written and
read back by the small helpers below.

Each model is built, then EVERY trainable parameter is overwritten with
non-trivial random values (``0.1 * randn`` for weights/biases/tokens,
``1 + 0.1 * randn`` for LayerNorm weights) so that wiring mistakes show up.
Fixed sin-cos tables (MAE ``pos_embed`` / ``decoder_pos_embed``, the
SegmentTransformer ``pos_encoding`` buffer) keep their computed values and are
saved too. All models run in eval() mode (dropout off).

Every section re-seeds the RNG, so sections are independent of each other.
"""

import json
import math
import os
import struct
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT_DIR = os.path.dirname(os.path.abspath(__file__))

# Reproducibility: CPU only, single thread, deterministic kernels.
torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)


# ---------------------------------------------------------------------------
# safetensors writer / reader
# ---------------------------------------------------------------------------

_DTYPES = {
    torch.float32: ("F32", "<f4"),
    torch.float64: ("F64", "<f8"),
    torch.int64: ("I64", "<i8"),
    torch.bool: ("BOOL", "|b1"),
}
_NP_OF_TAG = {tag: np_dtype for tag, np_dtype in _DTYPES.values()}
_TORCH_OF_TAG = {tag: t for t, (tag, _) in _DTYPES.items()}


def save_safetensors(path, tensors, metadata=None):
    """Write ``tensors`` (an ordered name -> tensor mapping) in safetensors format.

    Layout: u64 little-endian header length N, N bytes of UTF-8 JSON header
    (padded with spaces to a multiple of 8), then the raw little-endian tensor
    bytes, contiguous, in header order.
    """
    header = OrderedDict()
    if metadata:
        header["__metadata__"] = OrderedDict((str(k), str(v)) for k, v in metadata.items())
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().cpu().contiguous()
        if t.dtype not in _DTYPES:
            raise TypeError(f"{name}: unsupported dtype {t.dtype}")
        tag, np_dtype = _DTYPES[t.dtype]
        data = np.ascontiguousarray(t.numpy().astype(np_dtype, copy=False)).tobytes()
        header[name] = OrderedDict(
            [("dtype", tag), ("shape", list(t.shape)), ("data_offsets", [offset, offset + len(data)])]
        )
        blobs.append(data)
        offset += len(data)
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header_bytes)))
        f.write(header_bytes)
        for data in blobs:
            f.write(data)


def load_safetensors(path):
    """Read a safetensors file back. Returns (OrderedDict name -> tensor, metadata)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    assert n % 8 == 0, "header length must be a multiple of 8"
    header = json.loads(raw[8 : 8 + n].decode("utf-8"), object_pairs_hook=OrderedDict)
    body = raw[8 + n :]
    metadata = header.pop("__metadata__", {})
    tensors = OrderedDict()
    expected_begin = 0
    for name, info in header.items():
        begin, end = info["data_offsets"]
        assert begin == expected_begin, f"{name}: tensors must be contiguous and in header order"
        np_dtype = _NP_OF_TAG[info["dtype"]]
        count = int(np.prod(info["shape"], dtype=np.int64))
        assert end - begin == count * np.dtype(np_dtype).itemsize, f"{name}: size mismatch"
        arr = np.frombuffer(body[begin:end], dtype=np_dtype).reshape(info["shape"])
        tensors[name] = torch.from_numpy(arr.copy()).to(_TORCH_OF_TAG[info["dtype"]])
        expected_begin = end
    assert expected_begin == len(body), "trailing bytes after the last tensor"
    return tensors, metadata


def write_fixture(filename, tensors, metadata):
    """Save, read back and check the round trip bit for bit."""
    path = os.path.join(OUT_DIR, filename)
    tensors = OrderedDict((k, v.detach().contiguous()) for k, v in tensors.items())
    for k, v in tensors.items():
        assert v.dtype in _DTYPES, f"{filename}:{k} has dtype {v.dtype}"
        if v.dtype == torch.float32:
            assert torch.isfinite(v).all(), f"{filename}:{k} has non-finite values"
    meta = OrderedDict([("producer", "make_fixtures.py"), ("torch_version", torch.__version__)])
    meta.update(metadata)
    save_safetensors(path, tensors, meta)
    loaded, loaded_meta = load_safetensors(path)
    assert list(loaded.keys()) == list(tensors.keys())
    for k in tensors:
        a, b = tensors[k], loaded[k]
        assert a.dtype == b.dtype and a.shape == b.shape, k
        assert torch.equal(a, b), f"{filename}:{k} round trip mismatch"
    assert dict(loaded_meta) == {k: str(v) for k, v in meta.items()}
    print(f"  wrote {filename}: {len(tensors)} tensors, {os.path.getsize(path)} bytes")


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


@torch.no_grad()
def randomize_parameters(model):
    """Overwrite every trainable parameter with non-trivial values (in named_parameters order)."""
    layer_norm_weights = {id(m.weight) for m in model.modules() if isinstance(m, nn.LayerNorm)}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue  # fixed sin-cos tables keep their computed values
        if id(p) in layer_norm_weights:
            p.copy_(1.0 + 0.1 * torch.randn_like(p))
        else:
            p.copy_(0.1 * torch.randn_like(p))


def valid_mask(length, lengths):
    """[len(lengths), length] bool, True for the first lengths[b] frames of sample b."""
    return torch.arange(length)[None, :] < torch.tensor(lengths)[:, None]


def assert_close(a, b, atol, what):
    err = (a - b).abs().max().item()
    assert err <= atol, f"{what}: max abs diff {err} > {atol}"
    print(f"  check ok: {what} (max abs diff {err:.3g})")


def config_json(**kwargs):
    return json.dumps(kwargs, separators=(",", ":"))


SEQ_B, SEQ_T, SEQ_LENGTHS = 2, 10, [10, 6]  # sample 0 fully valid, sample 1 valid for 6 frames


# ---------------------------------------------------------------------------
# 1. MAE (facebookresearch/mae models_mae.py + util/pos_embed.py, without timm)
# ---------------------------------------------------------------------------


def get_2d_sincos_pos_embed(embed_dim, grid_size, cls_token=False):
    """Verbatim logic of the official util/pos_embed.py (numpy)."""
    grid_h = np.arange(grid_size, dtype=np.float32)
    grid_w = np.arange(grid_size, dtype=np.float32)
    grid = np.meshgrid(grid_w, grid_h)  # here w goes first
    grid = np.stack(grid, axis=0)
    grid = grid.reshape([2, 1, grid_size, grid_size])
    pos_embed = get_2d_sincos_pos_embed_from_grid(embed_dim, grid)
    if cls_token:
        pos_embed = np.concatenate([np.zeros([1, embed_dim]), pos_embed], axis=0)
    return pos_embed


def get_2d_sincos_pos_embed_from_grid(embed_dim, grid):
    assert embed_dim % 2 == 0
    emb_h = get_1d_sincos_pos_embed_from_grid(embed_dim // 2, grid[0])  # (H*W, D/2)
    emb_w = get_1d_sincos_pos_embed_from_grid(embed_dim // 2, grid[1])  # (H*W, D/2)
    return np.concatenate([emb_h, emb_w], axis=1)  # (H*W, D)


def get_1d_sincos_pos_embed_from_grid(embed_dim, pos):
    assert embed_dim % 2 == 0
    omega = np.arange(embed_dim // 2, dtype=np.float32)
    omega /= embed_dim / 2.0
    omega = 1.0 / 10000**omega  # (D/2,)
    pos = pos.reshape(-1)  # (M,)
    out = np.einsum("m,d->md", pos, omega)  # (M, D/2), outer product
    emb_sin = np.sin(out)
    emb_cos = np.cos(out)
    return np.concatenate([emb_sin, emb_cos], axis=1)  # (M, D)


class PatchEmbed(nn.Module):
    """timm PatchEmbed: Conv2d(kernel = stride = patch), flatten, [N, L, D]."""

    def __init__(self, img_size, patch_size, in_chans, embed_dim):
        super().__init__()
        self.patch_size = (patch_size, patch_size)
        self.grid_size = img_size // patch_size
        self.num_patches = self.grid_size * self.grid_size
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class Attention(nn.Module):
    """timm Attention (qkv_bias=True, scale = head_dim ** -0.5)."""

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
        self.act = nn.GELU()  # exact (erf) GELU
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    """timm pre-norm ViT block."""

    def __init__(self, dim, num_heads, mlp_ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        x = x + self.mlp(self.norm2(x))
        return x


class MaskedAutoencoderViT(nn.Module):
    def __init__(self, img_size, patch_size, in_chans, embed_dim, depth, num_heads,
                 decoder_embed_dim, decoder_depth, decoder_num_heads, mlp_ratio, norm_pix_loss=False):
        super().__init__()
        self.in_chans = in_chans
        self.patch_embed = PatchEmbed(img_size, patch_size, in_chans, embed_dim)
        num_patches = self.patch_embed.num_patches
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, num_patches + 1, embed_dim), requires_grad=False)
        self.blocks = nn.ModuleList([Block(embed_dim, num_heads, mlp_ratio) for _ in range(depth)])
        self.norm = nn.LayerNorm(embed_dim, eps=1e-6)

        self.decoder_embed = nn.Linear(embed_dim, decoder_embed_dim, bias=True)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, decoder_embed_dim))
        self.decoder_pos_embed = nn.Parameter(torch.zeros(1, num_patches + 1, decoder_embed_dim), requires_grad=False)
        self.decoder_blocks = nn.ModuleList(
            [Block(decoder_embed_dim, decoder_num_heads, mlp_ratio) for _ in range(decoder_depth)])
        self.decoder_norm = nn.LayerNorm(decoder_embed_dim, eps=1e-6)
        self.decoder_pred = nn.Linear(decoder_embed_dim, patch_size**2 * in_chans, bias=True)

        self.norm_pix_loss = norm_pix_loss

        grid = self.patch_embed.grid_size
        pe = get_2d_sincos_pos_embed(embed_dim, grid, cls_token=True)
        self.pos_embed.data.copy_(torch.from_numpy(pe).float().unsqueeze(0))
        dpe = get_2d_sincos_pos_embed(decoder_embed_dim, grid, cls_token=True)
        self.decoder_pos_embed.data.copy_(torch.from_numpy(dpe).float().unsqueeze(0))

    def patchify(self, imgs):
        p = self.patch_embed.patch_size[0]
        assert imgs.shape[2] == imgs.shape[3] and imgs.shape[2] % p == 0
        h = w = imgs.shape[2] // p
        x = imgs.reshape(shape=(imgs.shape[0], 3, h, p, w, p))
        x = torch.einsum("nchpwq->nhwpqc", x)
        return x.reshape(shape=(imgs.shape[0], h * w, p**2 * 3))

    def unpatchify(self, x):
        p = self.patch_embed.patch_size[0]
        h = w = int(x.shape[1] ** 0.5)
        assert h * w == x.shape[1]
        x = x.reshape(shape=(x.shape[0], h, w, p, p, 3))
        x = torch.einsum("nhwpqc->nchpwq", x)
        return x.reshape(shape=(x.shape[0], 3, h * p, h * p))

    def random_masking(self, x, mask_ratio, noise):
        N, L, D = x.shape
        len_keep = int(L * (1 - mask_ratio))
        ids_shuffle = torch.argsort(noise, dim=1)  # ascend: small is keep, large is remove
        ids_restore = torch.argsort(ids_shuffle, dim=1)
        ids_keep = ids_shuffle[:, :len_keep]
        x_masked = torch.gather(x, dim=1, index=ids_keep.unsqueeze(-1).repeat(1, 1, D))
        mask = torch.ones([N, L], device=x.device)  # 0 is keep, 1 is remove
        mask[:, :len_keep] = 0
        mask = torch.gather(mask, dim=1, index=ids_restore)
        return x_masked, mask, ids_restore, ids_shuffle

    def forward_encoder(self, x, mask_ratio, noise):
        x = self.patch_embed(x)
        x = x + self.pos_embed[:, 1:, :]
        x, mask, ids_restore, ids_shuffle = self.random_masking(x, mask_ratio, noise)
        cls_token = self.cls_token + self.pos_embed[:, :1, :]
        x = torch.cat((cls_token.expand(x.shape[0], -1, -1), x), dim=1)
        for blk in self.blocks:
            x = blk(x)
        x = self.norm(x)
        return x, mask, ids_restore, ids_shuffle

    def forward_decoder(self, x, ids_restore):
        x = self.decoder_embed(x)
        mask_tokens = self.mask_token.repeat(x.shape[0], ids_restore.shape[1] + 1 - x.shape[1], 1)
        x_ = torch.cat([x[:, 1:, :], mask_tokens], dim=1)  # no cls token
        x_ = torch.gather(x_, dim=1, index=ids_restore.unsqueeze(-1).repeat(1, 1, x.shape[2]))  # unshuffle
        x = torch.cat([x[:, :1, :], x_], dim=1)  # append cls token
        x = x + self.decoder_pos_embed
        for blk in self.decoder_blocks:
            x = blk(x)
        x = self.decoder_norm(x)
        x = self.decoder_pred(x)
        return x[:, 1:, :]

    def forward_loss(self, imgs, pred, mask):
        target = self.patchify(imgs)
        if self.norm_pix_loss:
            mean = target.mean(dim=-1, keepdim=True)
            var = target.var(dim=-1, keepdim=True)  # unbiased, as in the official code
            target = (target - mean) / (var + 1.0e-6) ** 0.5
        loss = (pred - target) ** 2
        loss = loss.mean(dim=-1)  # [N, L], mean loss per patch
        return (loss * mask).sum() / mask.sum()  # mean loss on removed patches

    def forward(self, imgs, mask_ratio, noise):
        latent, mask, ids_restore, _ = self.forward_encoder(imgs, mask_ratio, noise)
        pred = self.forward_decoder(latent, ids_restore)
        loss = self.forward_loss(imgs, pred, mask)
        return loss, pred, mask

    def forward_features(self, imgs):
        """Encoder without masking; returns (mean-pooled, cls) features, both through `norm`."""
        x = self.patch_embed(imgs) + self.pos_embed[:, 1:, :]
        cls_token = self.cls_token + self.pos_embed[:, :1, :]
        x = torch.cat((cls_token.expand(x.shape[0], -1, -1), x), dim=1)
        for blk in self.blocks:
            x = blk(x)
        features_mean = self.norm(x[:, 1:, :].mean(dim=1))
        features_cls = self.norm(x)[:, 0]
        return features_mean, features_cls


def check_sincos_layout(table, grid_size):
    """Spell out the layout of the official table: row 0 (cls) is zero; row 1 + i*G + j
    (patch at grid row i, column j) is [sin(j*w), cos(j*w), sin(i*w), cos(i*w)],
    w_k = 10000^(-k/(D/4)), k = 0..D/4-1 (the column index j comes first)."""
    D = table.shape[-1]
    omega = 1.0 / 10000 ** (torch.arange(D // 4, dtype=torch.float64) / (D / 4))
    i, j = torch.meshgrid(torch.arange(grid_size), torch.arange(grid_size), indexing="ij")
    i, j = i.reshape(-1, 1).double(), j.reshape(-1, 1).double()
    expected = torch.cat([torch.sin(j * omega), torch.cos(j * omega), torch.sin(i * omega), torch.cos(i * omega)], 1)
    assert torch.equal(table[0], torch.zeros(D))
    assert_close(table[1:].double(), expected, 1e-6, f"sin-cos pos table layout (D={D})")


def check_block_attention(block):
    """timm attention == nn.MultiheadAttention with in_proj = qkv (q, k, v stacked, heads contiguous)."""
    D = block.attn.qkv.in_features
    mha = nn.MultiheadAttention(D, block.attn.num_heads, batch_first=True)
    with torch.no_grad():
        mha.in_proj_weight.copy_(block.attn.qkv.weight)
        mha.in_proj_bias.copy_(block.attn.qkv.bias)
        mha.out_proj.weight.copy_(block.attn.proj.weight)
        mha.out_proj.bias.copy_(block.attn.proj.bias)
    x = torch.randn(2, 5, D, generator=torch.Generator().manual_seed(123))
    with torch.enable_grad():
        expected = mha(x, x, x, need_weights=False)[0]
        assert_close(block.attn(x), expected, 1e-5, "timm-style attention == nn.MultiheadAttention")


MAE_TINY = dict(img_size=32, patch_size=8, in_chans=3, embed_dim=64, depth=2, num_heads=4,
                decoder_embed_dim=32, decoder_depth=1, decoder_num_heads=4, mlp_ratio=4)
MAE_VIT_B16 = dict(img_size=224, patch_size=16, in_chans=3, embed_dim=768, depth=12, num_heads=12,
                   decoder_embed_dim=512, decoder_depth=8, decoder_num_heads=16, mlp_ratio=4)


def make_mae():
    print("[1] MAE tiny")
    torch.manual_seed(1)
    model = MaskedAutoencoderViT(**MAE_TINY)
    randomize_parameters(model)
    model.eval()

    N, L, mask_ratio = 2, model.patch_embed.num_patches, 0.75
    images = torch.randn(N, 3, MAE_TINY["img_size"], MAE_TINY["img_size"])
    noise = torch.rand([N, L])
    assert all(len(set(row.tolist())) == L for row in noise), "noise must have no ties"

    with torch.no_grad():
        latent, mask_e, ids_restore, ids_shuffle = model.forward_encoder(images, mask_ratio, noise)
        model.norm_pix_loss = False
        loss, pred, mask = model(images, mask_ratio, noise)
        model.norm_pix_loss = True
        loss_np, pred_np, mask_np = model(images, mask_ratio, noise)
        model.norm_pix_loss = False
        patchified = model.patchify(images)
        features_mean, features_cls = model.forward_features(images)

    # The fixture must tell the unbiased variance (official) from the population one.
    target = patchified
    target = (target - target.mean(-1, keepdim=True)) / (target.var(-1, unbiased=False, keepdim=True) + 1e-6) ** 0.5
    loss_population_var = (((pred_np - target) ** 2).mean(-1) * mask).sum() / mask.sum()
    gap = (loss_population_var - loss_np).abs().item()
    assert gap > 1e-4, gap
    print(f"  check ok: norm_pix loss with population variance would differ by {gap:.3g}")

    len_keep = int(L * (1 - mask_ratio))
    assert latent.shape == (N, 1 + len_keep, MAE_TINY["embed_dim"])
    assert torch.equal(mask, mask_e) and torch.equal(mask, mask_np) and torch.equal(pred, pred_np)
    assert (mask.sum(1) == L - len_keep).all()
    assert torch.equal(model.unpatchify(patchified), images)
    check_sincos_layout(model.pos_embed[0], model.patch_embed.grid_size)
    check_sincos_layout(model.decoder_pos_embed[0], model.patch_embed.grid_size)
    check_block_attention(model.blocks[0])

    weights = model.state_dict()
    write_fixture("mae_tiny.weights.safetensors", weights,
                  dict(model="MaskedAutoencoderViT", config=config_json(**MAE_TINY), layer_norm_eps="1e-6"))
    io = OrderedDict([
        ("images", images),
        ("noise", noise),
        ("patchified", patchified),
        ("ids_shuffle", ids_shuffle),
        ("ids_restore", ids_restore),
        ("mask", mask),
        ("latent", latent),
        ("pred", pred),
        ("loss", loss.reshape([])),
        ("pred_norm_pix", pred_np),
        ("loss_norm_pix", loss_np.reshape([])),
        ("features_mean", features_mean),
        ("features_cls", features_cls),
    ])
    write_fixture("mae_tiny.io.safetensors", io,
                  dict(model="MaskedAutoencoderViT", config=config_json(**MAE_TINY), mask_ratio=str(mask_ratio)))
    return model


def count_mae_vit_b16():
    """Parameter counts of the full-size MAE ViT-B/16 (dec 512d, 8 blocks, 16 heads)."""
    print("[1b] MAE ViT-B/16 parameter counts")
    torch.manual_seed(0)
    model = MaskedAutoencoderViT(**MAE_VIT_B16)

    def n(params):
        return sum(p.numel() for p in params)

    total = n(model.parameters())
    trainable = n(p for p in model.parameters() if p.requires_grad)
    pos_tables = model.pos_embed.numel() + model.decoder_pos_embed.numel()
    encoder_modules = [model.patch_embed, model.blocks, model.norm]
    encoder_no_pos = n(p for m in encoder_modules for p in m.parameters()) + model.cls_token.numel()
    encoder_with_pos = encoder_no_pos + model.pos_embed.numel()
    decoder = total - encoder_with_pos
    counts = OrderedDict([
        ("total (incl. pos_embed + decoder_pos_embed)", total),
        ("trainable (pos tables excluded)", trainable),
        ("pos tables (pos_embed + decoder_pos_embed)", pos_tables),
        ("encoder = patch_embed + cls_token + pos_embed + blocks + norm", encoder_with_pos),
        ("encoder without pos_embed", encoder_no_pos),
        ("decoder = decoder_embed + mask_token + decoder_pos_embed + decoder_blocks + decoder_norm + decoder_pred",
         decoder),
    ])
    for k, v in counts.items():
        print(f"  {k}: {v:,}")
    assert total == 111_907_840
    assert trainable == 111_655_680
    assert encoder_with_pos == 85_798_656
    del model
    return counts


# ---------------------------------------------------------------------------
# 2. Fine-tuning classifier (official models_vit.py, global_pool=True)
# ---------------------------------------------------------------------------


class MaeClassifier(nn.Module):
    """timm VisionTransformer + MAE global_pool=True: no `norm`, `fc_norm` after mean pooling."""

    def __init__(self, img_size, patch_size, in_chans, embed_dim, depth, num_heads, mlp_ratio, num_classes):
        super().__init__()
        self.patch_embed = PatchEmbed(img_size, patch_size, in_chans, embed_dim)
        num_patches = self.patch_embed.num_patches
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        # In models_vit.py pos_embed is a (trainable) timm parameter loaded from the MAE
        # checkpoint; here it holds the MAE sin-cos table and is not randomised.
        self.pos_embed = nn.Parameter(torch.zeros(1, num_patches + 1, embed_dim), requires_grad=False)
        self.blocks = nn.ModuleList([Block(embed_dim, num_heads, mlp_ratio) for _ in range(depth)])
        self.fc_norm = nn.LayerNorm(embed_dim, eps=1e-6)
        self.head_drop = nn.Dropout(0.1)
        self.head = nn.Linear(embed_dim, num_classes)
        pe = get_2d_sincos_pos_embed(embed_dim, self.patch_embed.grid_size, cls_token=True)
        self.pos_embed.data.copy_(torch.from_numpy(pe).float().unsqueeze(0))

    def forward(self, imgs):
        x = self.patch_embed(imgs)
        cls_tokens = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat((cls_tokens, x), dim=1)
        x = x + self.pos_embed
        for blk in self.blocks:
            x = blk(x)
        x = x[:, 1:, :].mean(dim=1)  # global pool without cls token
        x = self.fc_norm(x)
        return self.head(self.head_drop(x))


def make_classifier():
    print("[2] MAE fine-tuning classifier tiny")
    cfg = dict(img_size=32, patch_size=8, in_chans=3, embed_dim=64, depth=2, num_heads=4, mlp_ratio=4,
               num_classes=8)
    torch.manual_seed(2)
    model = MaeClassifier(**cfg)
    randomize_parameters(model)
    model.eval()
    images = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        logits = model(images)
    assert "norm.weight" not in model.state_dict()
    write_fixture("mae_classifier_tiny.weights.safetensors", model.state_dict(),
                  dict(model="MaeClassifier(global_pool=True)", config=config_json(**cfg), layer_norm_eps="1e-6"))
    write_fixture("mae_classifier_tiny.io.safetensors", OrderedDict([("images", images), ("logits", logits)]),
                  dict(model="MaeClassifier(global_pool=True)", config=config_json(**cfg)))


# ---------------------------------------------------------------------------
# 3. TemporalConvNet (non-causal, masked)
# ---------------------------------------------------------------------------


class TemporalBlock(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, dilation, dropout):
        super().__init__()
        assert kernel_size % 2 == 1
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
    def __init__(self, input_dim, channels, kernel_size, dilations, dropout=0.1):
        super().__init__()
        blocks = []
        in_ch = input_dim
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


TCN_TINY = dict(input_dim=16, channels=[24, 24], kernel_size=3, dilations=[1, 2])


def padded_sequence_input(dim):
    """x [B, T, dim] = randn with padded frames set to 0, and the [B, T] bool valid mask."""
    valid = valid_mask(SEQ_T, SEQ_LENGTHS)
    x = torch.randn(SEQ_B, SEQ_T, dim) * valid[:, :, None].float()
    return x, valid


def check_padding_invariance(fn, x, valid, what):
    """Valid outputs must equal those of each unpadded sequence alone, and ignore padded inputs."""
    y = fn(x, valid)
    for b, length in enumerate(SEQ_LENGTHS):
        alone = fn(x[b : b + 1, :length], torch.ones(1, length, dtype=torch.bool))
        assert_close(y[b, :length], alone[0], 1e-5, f"{what}: sample {b} padded == unpadded alone")
    x_noisy = torch.where(valid[:, :, None], x, torch.randn_like(x) * 3.0)
    y_noisy = fn(x_noisy, valid)
    assert_close(y[valid], y_noisy[valid], 1e-5, f"{what}: valid outputs ignore padded inputs")
    return y


def make_tcn():
    print("[3] TemporalConvNet tiny")
    torch.manual_seed(3)
    model = TemporalConvNet(**TCN_TINY)
    randomize_parameters(model)
    model.eval()
    x, valid = padded_sequence_input(TCN_TINY["input_dim"])
    with torch.no_grad():
        y = check_padding_invariance(model, x, valid, "tcn")
    assert (y[~valid] == 0).all()
    assert "network.0.downsample.weight" in model.state_dict()
    assert "network.1.downsample.weight" not in model.state_dict()
    write_fixture("tcn_tiny.weights.safetensors", model.state_dict(),
                  dict(model="TemporalConvNet", config=config_json(**TCN_TINY)))
    write_fixture("tcn_tiny.io.safetensors", OrderedDict([("x", x), ("valid", valid.float()), ("y", y)]),
                  dict(model="TemporalConvNet", config=config_json(**TCN_TINY), valid_lengths=str(SEQ_LENGTHS)))


# ---------------------------------------------------------------------------
# 4. SegmentTransformer
# ---------------------------------------------------------------------------


def sinusoidal_table(max_length, d_model):
    """PyTorch-tutorial sinusoidal positional encoding, float32."""
    assert d_model % 2 == 0
    position = torch.arange(max_length).unsqueeze(1).float()
    div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
    pe = torch.zeros(max_length, d_model)
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term)
    return pe


class SegmentTransformer(nn.Module):
    def __init__(self, d_model, nhead, dim_feedforward, num_layers, max_length, dropout=0.1):
        super().__init__()
        self.register_buffer("pos_encoding", sinusoidal_table(max_length, d_model))
        self.dropout = nn.Dropout(dropout)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation="relu",
                                           layer_norm_eps=1e-5, batch_first=True, norm_first=False)
        self.encoder = nn.TransformerEncoder(layer, num_layers, norm=None, enable_nested_tensor=False)

    def forward(self, x, valid):  # x [B, T, D], valid [B, T] bool
        h = x + self.pos_encoding[: x.shape[1]]
        h = self.dropout(h)
        return self.encoder(h, src_key_padding_mask=~valid)


def reference_transformer(model, x, valid):
    """Hand-written post-norm encoder, used only to cross-check nn.TransformerEncoder (slow path)."""
    h = x + model.pos_encoding[: x.shape[1]]
    B, T, D = h.shape
    for layer in model.encoder.layers:
        attn = layer.self_attn
        H = attn.num_heads
        qkv = F.linear(h, attn.in_proj_weight, attn.in_proj_bias)
        q, k, v = qkv.split(D, dim=-1)
        q, k, v = (t.reshape(B, T, H, D // H).transpose(1, 2) for t in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(D // H)
        scores = scores.masked_fill(~valid[:, None, None, :], float("-inf"))
        a = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D)
        a = F.linear(a, attn.out_proj.weight, attn.out_proj.bias)
        h = layer.norm1(h + a)
        ff = layer.linear2(F.relu(layer.linear1(h)))
        h = layer.norm2(h + ff)
    return h


TRANSFORMER_TINY = dict(d_model=24, nhead=4, dim_feedforward=48, num_layers=2, max_length=32)


def make_transformer():
    print("[4] SegmentTransformer tiny")
    torch.manual_seed(4)
    model = SegmentTransformer(**TRANSFORMER_TINY)
    randomize_parameters(model)
    model.eval()
    assert all(p.requires_grad for p in model.parameters())
    x, valid = padded_sequence_input(TRANSFORMER_TINY["d_model"])
    # Grad enabled + parameters requiring grad: the native "fast path" is never taken.
    with torch.enable_grad():
        y = check_padding_invariance(model, x, valid, "segment transformer")
        assert_close(y, reference_transformer(model, x, valid), 1e-5, "nn.TransformerEncoder == hand-written reference")
    assert (y[~valid].abs().sum(-1) > 0).all(), "padded rows must not be zeroed (nested-tensor path)"
    expected_table = sinusoidal_table(TRANSFORMER_TINY["max_length"], TRANSFORMER_TINY["d_model"])
    assert torch.equal(model.pos_encoding, expected_table)
    write_fixture("segment_transformer_tiny.weights.safetensors", model.state_dict(),
                  dict(model="SegmentTransformer", config=config_json(**TRANSFORMER_TINY), layer_norm_eps="1e-5"))
    write_fixture("segment_transformer_tiny.io.safetensors",
                  OrderedDict([("x", x), ("valid", valid.float()), ("y", y)]),
                  dict(model="SegmentTransformer", config=config_json(**TRANSFORMER_TINY),
                       valid_lengths=str(SEQ_LENGTHS)))


# ---------------------------------------------------------------------------
# 5. TaskHeads
# ---------------------------------------------------------------------------


class Head(nn.Module):
    def __init__(self, d, hidden, out, dropout=0.1):
        super().__init__()
        self.fc1 = nn.Linear(d, hidden)
        self.dropout = nn.Dropout(dropout)
        self.fc2 = nn.Linear(hidden, out)

    def forward(self, x):
        return self.fc2(self.dropout(F.relu(self.fc1(x))))


class TaskHeads(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.va = Head(d, hidden, 2)
        self.expr = Head(d, hidden, 8)
        self.au = Head(d, hidden, 12)

    def forward(self, x):
        return torch.tanh(self.va(x)), self.expr(x), self.au(x)


HEADS_TINY = dict(d=24, hidden=16)


def make_heads():
    print("[5] TaskHeads tiny")
    torch.manual_seed(5)
    model = TaskHeads(**HEADS_TINY)
    randomize_parameters(model)
    model.eval()
    x = torch.randn(SEQ_B, SEQ_T, HEADS_TINY["d"])
    with torch.no_grad():
        va, expr, au = model(x)
    write_fixture("task_heads_tiny.weights.safetensors", model.state_dict(),
                  dict(model="TaskHeads", config=config_json(**HEADS_TINY)))
    write_fixture("task_heads_tiny.io.safetensors",
                  OrderedDict([("x", x), ("va", va), ("expr", expr), ("au", au)]),
                  dict(model="TaskHeads", config=config_json(**HEADS_TINY)))


# ---------------------------------------------------------------------------
# 6. AffectSequenceModel = TCN -> SegmentTransformer -> TaskHeads
# ---------------------------------------------------------------------------


class AffectSequenceModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.tcn = TemporalConvNet(**TCN_TINY)
        self.transformer = SegmentTransformer(**TRANSFORMER_TINY)
        self.heads = TaskHeads(**HEADS_TINY)

    def forward(self, x, valid):
        h = self.tcn(x, valid)
        h = self.transformer(h, valid)
        return self.heads(h)


def make_sequence_model():
    print("[6] AffectSequenceModel tiny")
    torch.manual_seed(6)
    model = AffectSequenceModel()
    randomize_parameters(model)
    model.eval()
    x, valid = padded_sequence_input(TCN_TINY["input_dim"])
    with torch.enable_grad():
        va, expr, au = model(x, valid)
        va_ref, expr_ref, au_ref = model.heads(
            reference_transformer(model.transformer, model.tcn(x, valid), valid))
        for name, a, b in (("va", va, va_ref), ("expr", expr, expr_ref), ("au", au, au_ref)):
            assert_close(a, b, 1e-5, f"sequence model {name} == hand-written transformer reference")
        x_noisy = torch.where(valid[:, :, None], x, torch.randn_like(x) * 3.0)
        for a, b in zip((va, expr, au), model(x_noisy, valid)):
            assert_close(a[valid], b[valid], 1e-5, "sequence model: valid outputs ignore padded inputs")
    cfg = config_json(tcn=TCN_TINY, transformer=TRANSFORMER_TINY, heads=HEADS_TINY)
    write_fixture("sequence_model_tiny.weights.safetensors", model.state_dict(),
                  dict(model="AffectSequenceModel", config=cfg))
    write_fixture("sequence_model_tiny.io.safetensors",
                  OrderedDict([("x", x), ("valid", valid.float()), ("va", va), ("expr", expr), ("au", au)]),
                  dict(model="AffectSequenceModel", config=cfg, valid_lengths=str(SEQ_LENGTHS)))


# ---------------------------------------------------------------------------
# 7. Losses
# ---------------------------------------------------------------------------


def ccc(x, y):
    mx, my = x.mean(), y.mean()
    vx = ((x - mx) ** 2).mean()
    vy = ((y - my) ** 2).mean()
    cov = ((x - mx) * (y - my)).mean()
    return 2 * cov / (vx + vy + (mx - my) ** 2 + 1e-8)


def make_losses():
    print("[7] Losses")
    torch.manual_seed(7)
    B, T = SEQ_B, SEQ_T
    valid = valid_mask(T, SEQ_LENGTHS)

    va_pred = torch.tanh(torch.randn(B, T, 2))
    # Gold values are realistic labels everywhere (also on padded frames, so a missing
    # valid mask changes the result); some valid frames are unlabelled.
    va_gold = torch.rand(B, T, 2) * 2 - 1
    va_gold[0, 2, 0] = -5.0  # valence unlabelled only
    va_gold[0, 7, 1] = -5.0  # arousal unlabelled only
    va_gold[1, 3, :] = -5.0  # both unlabelled
    va_gold[1, 1, 0] = -1.0  # boundary value -1 is a real label

    expr_logits = torch.randn(B, T, 8)
    expr_gold = torch.randint(0, 8, (B, T))
    expr_gold[0, 4] = -1
    expr_gold[1, 0] = -1

    au_logits = torch.randn(B, T, 12)
    au_gold = torch.randint(0, 2, (B, T, 12)).float()
    au_gold[0, 1, :] = -1.0  # whole frame unlabelled
    au_gold[0, 5, 3] = -1.0
    au_gold[1, 2, 7] = -1.0
    au_gold[1, 4, 0] = -1.0

    ccc_per_dim = []
    for d in range(2):
        m = valid & (va_gold[..., d] >= -1)
        ccc_per_dim.append(ccc(va_pred[..., d][m], va_gold[..., d][m]))
    ccc_valence, ccc_arousal = ccc_per_dim
    ccc_loss = 1 - (ccc_valence + ccc_arousal) / 2

    m_expr = valid & (expr_gold != -1)
    expr_ce = F.cross_entropy(expr_logits[m_expr], expr_gold[m_expr], reduction="mean")

    m_au = valid[:, :, None] & (au_gold != -1)
    au_bce = F.binary_cross_entropy_with_logits(au_logits[m_au], au_gold[m_au], reduction="mean")

    print(f"  ccc_valence={ccc_valence.item():.6f} ccc_arousal={ccc_arousal.item():.6f} "
          f"ccc_loss={ccc_loss.item():.6f} expr_ce={expr_ce.item():.6f} au_bce={au_bce.item():.6f}")
    print(f"  counted: valence {int((valid & (va_gold[..., 0] >= -1)).sum())}, "
          f"arousal {int((valid & (va_gold[..., 1] >= -1)).sum())}, expr {int(m_expr.sum())}, "
          f"au {int(m_au.sum())} elements")

    io = OrderedDict([
        ("va_pred", va_pred),
        ("va_gold", va_gold),
        ("expr_logits", expr_logits),
        ("expr_gold", expr_gold),
        ("au_logits", au_logits),
        ("au_gold", au_gold),
        ("valid", valid.float()),
        ("ccc_valence", ccc_valence.reshape([])),
        ("ccc_arousal", ccc_arousal.reshape([])),
        ("ccc_loss", ccc_loss.reshape([])),
        ("expr_ce", expr_ce.reshape([])),
        ("au_bce", au_bce.reshape([])),
    ])
    write_fixture("losses.io.safetensors", io,
                  dict(content="masked CCC / CE / BCE losses", valid_lengths=str(SEQ_LENGTHS)))


def main():
    print(f"torch {torch.__version__}, numpy {np.__version__}, output dir {OUT_DIR}")
    make_mae()
    make_classifier()
    make_tcn()
    make_transformer()
    make_heads()
    make_sequence_model()
    make_losses()
    count_mae_vit_b16()


if __name__ == "__main__":
    main()
