// Paper §3.4: fixed positions for the segment transformer.
// Follows the PyTorch tutorial "Language Modeling with nn.Transformer" (pytorch/tutorials,
// beginner_source/transformer_tutorial.py, PositionalEncoding; BSD 3-Clause License), computed in float32 as there.
using static TorchSharp.torch;

namespace AffectMae.Models.Temporal;

/// <summary>The sinusoidal position table of "Attention Is All You Need" (arXiv:1706.03762).</summary>
public static class SinusoidalEncoding
{
    /// <summary>
    /// The table pe [L, D] with pe[t, 2i] = sin(t·ω_i) and pe[t, 2i + 1] = cos(t·ω_i), ω_i = exp(2i·(−ln 10000 / D)),
    /// computed in float32 exactly like the PyTorch tutorial.
    /// </summary>
    /// <param name="length">Number of positions L.</param>
    /// <param name="dim">Even embedding size D.</param>
    /// <returns>A float32 tensor [L, D] on the CPU.</returns>
    /// <exception cref="ArgumentException"><paramref name="dim"/> is odd.</exception>
    public static Tensor Table(int length, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dim);
        if (dim % 2 != 0)
            throw new ArgumentException($"The sinusoidal table needs an even size (sin and cos pairs) but dim is {dim}; use {dim + 1}.", nameof(dim));

        using var scope = NewDisposeScope();
        var position = arange(length, dtype: ScalarType.Float32).unsqueeze(1);                                // t  [L, 1]
        var divTerm = exp(arange(0, dim, 2, dtype: ScalarType.Float32) * (-Math.Log(10000.0) / dim));        // ω_i  [D/2]
        var angle = position * divTerm;                                                                       // t·ω_i  [L, D/2]
        var table = stack([sin(angle), cos(angle)], dim: -1).reshape(length, dim);                            // interleave sin, cos  [L, D]
        return scope.MoveToOuter(table);
    }
}
