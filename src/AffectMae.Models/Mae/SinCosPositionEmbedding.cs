// Follows facebookresearch/mae util/pos_embed.py (CC BY-NC 4.0), itself after MoCo v3.
using static TorchSharp.torch;

namespace AffectMae.Models.Mae;

/// <summary>The fixed 2-D sine-cosine position table of MAE.</summary>
public static class SinCosPositionEmbedding
{
    /// <summary>
    /// The table for a <paramref name="gridSize"/>×<paramref name="gridSize"/> patch grid, [gridSize², D], or
    /// [1 + gridSize², D] with a leading all-zero row for the class token. Row k = i·gridSize + j (patch row i,
    /// column j) holds the 1-D embedding of j in its first D/2 columns and of i in the last D/2, the order of the
    /// official <c>np.meshgrid(grid_w, grid_h)</c>. Computed in double, returned as float32.
    /// </summary>
    public static Tensor Table2D(int embedDim, int gridSize, bool withClsToken)
    {
        if (embedDim % 4 != 0)
            throw new ArgumentException($"The 2-D sin-cos table needs a width divisible by 4; got {embedDim}.", nameof(embedDim));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gridSize);
        int half = embedDim / 2, rows = gridSize * gridSize, offset = withClsToken ? 1 : 0;
        var table = new float[(rows + offset) * embedDim];
        for (int i = 0; i < gridSize; i++)
            for (int j = 0; j < gridSize; j++)
            {
                int row = offset + i * gridSize + j;
                Fill1D(table.AsSpan(row * embedDim, half), j);              // grid[0]: the column (w) coordinate
                Fill1D(table.AsSpan(row * embedDim + half, half), i);       // grid[1]: the row (h) coordinate
            }
        return tensor(table, [rows + offset, embedDim]);
    }

    // out[d] = sin(pos·ω_d), out[D/2 + d] = cos(pos·ω_d) with ω_d = 1 / 10000^(d / (D/2)), d < D/2 (here D = destination width)
    private static void Fill1D(Span<float> destination, int position)
    {
        int quarter = destination.Length / 2;
        for (int d = 0; d < quarter; d++)
        {
            double omega = 1.0 / Math.Pow(10000.0, d / (double)quarter);
            destination[d] = (float)Math.Sin(position * omega);
            destination[quarter + d] = (float)Math.Cos(position * omega);
        }
    }
}
