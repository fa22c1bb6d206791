// First and second co-moments of a paired series (x = predictions, y = gold), the state behind CCC and Pearson r.
// One batch is summarised with the corrected two-pass algorithm; batches are combined with the pairwise update of
// Chan, Golub & LeVeque, "Algorithms for computing the sample variance" (1983), extended to the co-moment.
using System.Numerics;

namespace AffectMae.Metrics;

/// <summary>n, the means, and the centred sums Sxx = Σ(x−x̄)², Syy = Σ(y−ȳ)², Sxy = Σ(x−x̄)(y−ȳ).</summary>
internal readonly record struct CoMoments(long Count, double MeanX, double MeanY, double Sxx, double Syy, double Sxy)
{
    /// <summary>
    /// Summarises the pairs (x[i], y[i]) for i = offset, offset + stride, … (stride 2 reads one column of a
    /// [frames, 2] row-major span). When <paramref name="skipUnlabelledGold"/> is set, pairs whose y is a
    /// valence/arousal unlabelled marker (y &lt; −1) are left out.
    /// </summary>
    public static CoMoments Of<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int offset, int stride, bool skipUnlabelledGold)
        where T : IFloatingPointIeee754<T>
    {
        // Pass 1: count and sums. A series whose values are all equal takes that value as its mean, so by construction
        // a constant series has deviations, Sxx and Sxy of exactly 0 (sum/n alone can be off by an ulp: (0.1+0.1+0.1)/3).
        long n = 0;
        double sumX = 0, sumY = 0, firstX = 0, firstY = 0;
        bool constantX = true, constantY = true;
        for (int i = offset; i < x.Length; i += stride)
        {
            double xi = double.CreateChecked(x[i]), yi = double.CreateChecked(y[i]);
            if (skipUnlabelledGold && AffectLabels.IsUnlabelledValenceArousal(yi))
            {
                continue;
            }

            if (n == 0)
            {
                (firstX, firstY) = (xi, yi);
            }

            constantX &= xi == firstX;
            constantY &= yi == firstY;
            sumX += xi;
            sumY += yi;
            n++;
        }

        if (n == 0)
        {
            return default;
        }

        double meanX = constantX ? firstX : sumX / n;
        double meanY = constantY ? firstY : sumY / n;

        // Pass 2: centred sums, plus the sums of deviations that correct the means' rounding error.
        double sumDx = 0, sumDy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int i = offset; i < x.Length; i += stride)
        {
            double yi = double.CreateChecked(y[i]);
            if (skipUnlabelledGold && AffectLabels.IsUnlabelledValenceArousal(yi))
            {
                continue;
            }

            double dx = double.CreateChecked(x[i]) - meanX, dy = yi - meanY;
            sumDx += dx;
            sumDy += dy;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }

        // Σ(x − m')² with m' = m + Σd/n equals Σd² − (Σd)²/n; likewise for the co-moment.
        return new CoMoments(
            n,
            meanX + sumDx / n,
            meanY + sumDy / n,
            Math.Max(0, sxx - sumDx * sumDx / n),
            Math.Max(0, syy - sumDy * sumDy / n),
            sxy - sumDx * sumDy / n);
    }

    /// <summary>The co-moments of the union of two disjoint sets of pairs (Chan et al.).</summary>
    public static CoMoments Merge(CoMoments a, CoMoments b)
    {
        if (a.Count == 0)
        {
            return b;
        }

        if (b.Count == 0)
        {
            return a;
        }

        long n = a.Count + b.Count;
        double deltaX = b.MeanX - a.MeanX, deltaY = b.MeanY - a.MeanY;
        double weight = (double)a.Count * b.Count / n;           // na·nb / n
        return new CoMoments(
            n,
            a.MeanX + deltaX * b.Count / n,
            a.MeanY + deltaY * b.Count / n,
            a.Sxx + b.Sxx + deltaX * deltaX * weight,
            a.Syy + b.Syy + deltaY * deltaY * weight,
            a.Sxy + b.Sxy + deltaX * deltaY * weight);
    }

    /// <summary>
    /// CCC = 2·cov / (σx² + σy² + (μx−μy)²); with population moments the 1/n cancels:
    /// 2·Sxy / (Sxx + Syy + n·(μx−μy)²). A zero denominator gives 0.
    /// </summary>
    public double Ccc()
    {
        double meanGap = MeanX - MeanY;
        double denominator = Sxx + Syy + Count * meanGap * meanGap;
        return denominator == 0 ? 0 : Math.Clamp(2 * Sxy / denominator, -1, 1);
    }

    /// <summary>r = Sxy / √(Sxx·Syy); 0 when either series is constant.</summary>
    public double Pearson()
        => Sxx == 0 || Syy == 0 ? 0 : Math.Clamp(Sxy / (Math.Sqrt(Sxx) * Math.Sqrt(Syy)), -1, 1);
}
