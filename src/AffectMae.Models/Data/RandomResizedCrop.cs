// Ports RandomResizedCrop.get_params of pytorch/vision torchvision/transforms/transforms.py (BSD-3-Clause).
namespace AffectMae.Models.Data;

/// <summary>A rectangle of a frame in pixels: rows <see cref="Top"/> … Top+Height−1, columns <see cref="Left"/> … Left+Width−1.</summary>
/// <param name="Top">First row.</param>
/// <param name="Left">First column.</param>
/// <param name="Height">Rows, at least 1.</param>
/// <param name="Width">Columns, at least 1.</param>
public readonly record struct CropRegion(int Top, int Left, int Height, int Width);

/// <summary>
/// The crop of torchvision's <c>RandomResizedCrop</c> (MAE pre-training: scale (0.2, 1.0), ratio (3/4, 4/3)): a region
/// covering a random share of the area with a random log-uniform aspect ratio, later resized to the input side.
/// </summary>
/// <remarks>
/// Follows <c>RandomResizedCrop.get_params</c>: up to 10 tries of area share s ~ U(scale) and ratio r = exp(U(log ratio)),
/// w = round(√(s·A·r)), h = round(√(s·A/r)) (round half to even, as Python), accepted when both fit; then a uniform
/// position. If no try fits, the largest centred crop whose ratio lies within the bounds is taken. Random numbers come
/// from the <see cref="Random"/> passed in, so a seeded generator reproduces the crops.
/// </remarks>
public sealed class RandomResizedCrop
{
    /// <summary>Creates the crop sampler.</summary>
    /// <param name="minScale">Smallest share of the area (MAE: 0.2).</param>
    /// <param name="maxScale">Largest share of the area (1.0).</param>
    /// <param name="minRatio">Smallest width/height ratio (3/4).</param>
    /// <param name="maxRatio">Largest width/height ratio (4/3).</param>
    /// <exception cref="ArgumentOutOfRangeException">0 &lt; minScale ≤ maxScale ≤ 1 or 0 &lt; minRatio ≤ maxRatio does not hold.</exception>
    public RandomResizedCrop(double minScale = 0.2, double maxScale = 1.0, double minRatio = 3.0 / 4.0, double maxRatio = 4.0 / 3.0)
    {
        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1))
            throw new ArgumentOutOfRangeException(nameof(minScale), $"Need 0 < minScale ≤ maxScale ≤ 1; got ({minScale}, {maxScale}).");
        if (!(minRatio > 0 && minRatio <= maxRatio && double.IsFinite(maxRatio)))
            throw new ArgumentOutOfRangeException(nameof(minRatio), $"Need 0 < minRatio ≤ maxRatio; got ({minRatio}, {maxRatio}).");
        (MinScale, MaxScale, MinRatio, MaxRatio) = (minScale, maxScale, minRatio, maxRatio);
    }

    /// <summary>Smallest share of the area.</summary>
    public double MinScale { get; }

    /// <summary>Largest share of the area.</summary>
    public double MaxScale { get; }

    /// <summary>Smallest width/height ratio.</summary>
    public double MinRatio { get; }

    /// <summary>Largest width/height ratio.</summary>
    public double MaxRatio { get; }

    /// <summary>Draws a crop of a <paramref name="width"/> × <paramref name="height"/> frame; it always lies inside the frame.</summary>
    /// <param name="width">Frame width in pixels.</param>
    /// <param name="height">Frame height in pixels.</param>
    /// <param name="random">The generator to draw from.</param>
    public CropRegion Sample(int width, int height, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(random);
        double area = (double)width * height;
        double logMin = Math.Log(MinRatio), logMax = Math.Log(MaxRatio);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double targetArea = area * Uniform(random, MinScale, MaxScale);
            double ratio = Math.Exp(Uniform(random, logMin, logMax));
            int w = (int)Math.Round(Math.Sqrt(targetArea * ratio));
            int h = (int)Math.Round(Math.Sqrt(targetArea / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height)
                return new CropRegion(random.Next(0, height - h + 1), random.Next(0, width - w + 1), h, w);
        }

        // Fallback: the whole frame, narrowed to the nearest allowed ratio and centred.
        double inRatio = (double)width / height;
        int cw = width, ch = height;
        if (inRatio < MinRatio)
            ch = Math.Max(1, (int)Math.Round(cw / MinRatio));
        else if (inRatio > MaxRatio)
            cw = Math.Max(1, (int)Math.Round(ch * MaxRatio));
        return new CropRegion((height - ch) / 2, (width - cw) / 2, ch, cw);
    }

    private static double Uniform(Random random, double low, double high) => low + (high - low) * random.NextDouble();
}
