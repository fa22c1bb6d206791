// Follows timm/layers/attention.py (Apache-2.0): fused qkv projection, scaled dot-product attention, output projection.
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Mae;

/// <summary>Multi-head self-attention, softmax(q·kᵀ/√d_head)·v. Keys: <c>qkv</c>, <c>proj</c>.</summary>
public sealed class Attention : Module<Tensor, Tensor>
{
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly long numHeads;

    /// <summary>Creates the attention layer.</summary>
    /// <param name="dim">Token width D; a multiple of <paramref name="numHeads"/>.</param>
    /// <param name="numHeads">Number of heads.</param>
    public Attention(long dim, long numHeads) : base(nameof(Attention))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numHeads);
        if (dim % numHeads != 0)
            throw new ArgumentException($"Width {dim} is not divisible by {numHeads} heads.", nameof(numHeads));
        this.numHeads = numHeads;
        qkv = Linear(dim, dim * 3, hasBias: true);
        proj = Linear(dim, dim);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], tokens = x.shape[1], dim = x.shape[2];
        var heads = qkv.call(x).reshape(batch, tokens, 3, numHeads, dim / numHeads).permute(2, 0, 3, 1, 4);  // [3, N, H, L, d]
        var attended = x.dtype == ScalarType.Float32
            ? functional.scaled_dot_product_attention(heads[0], heads[1], heads[2])                     // softmax(qkᵀ/√d)v
            : ExplicitAttention(heads[0], heads[1], heads[2]);                                          //   the same, reduced precision
        return scope.MoveToOuter(proj.call(attended.transpose(1, 2).reshape(batch, tokens, dim)));      // [N, L, D]
    }

    /// <summary>
    /// softmax(q·kᵀ/√d)·v as three calls, for bfloat16 and float16. libtorch 2.10's fused CPU attention
    /// (scaled_dot_product_attention) runs as slowly in bfloat16 as in float32 — it multiplies small query blocks one at
    /// a time — while the two batched matrix products here use oneDNN's bfloat16 kernels: on AMD Zen 5 (2 threads,
    /// ViT-B/16, batch 8) about 9 ms against 22 ms a block. Both accumulate the products and the softmax in float32;
    /// softmax keeps its probabilities in bfloat16 here, as the fused kernel does before its second product.
    /// </summary>
    private static Tensor ExplicitAttention(Tensor q, Tensor k, Tensor v)
    {
        using var scope = NewDisposeScope();
        var scores = (q * (1.0 / Math.Sqrt(q.shape[^1]))).matmul(k.transpose(-2, -1));                  // q·kᵀ/√d  [N, H, L, L]
        return scope.MoveToOuter(scores.softmax(-1).matmul(v));                                         // softmax(·)·v  [N, H, L, d]
    }
}
