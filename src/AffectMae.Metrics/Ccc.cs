// Lin's concordance correlation coefficient: L. I-K. Lin, "A concordance correlation coefficient to evaluate
// reproducibility", Biometrics 45 (1989). ABAW scores valence and arousal with it (population moments).
using System.Numerics;

namespace AffectMae.Metrics;

/// <summary>Concordance correlation coefficient (CCC) between predictions and gold values.</summary>
public static class Ccc
{
    /// <summary>
    /// Computes CCC = 2·cov(x, y) / (σx² + σy² + (μx − μy)²), where x are the predictions and y the gold values.
    /// </summary>
    /// <remarks>
    /// <para>Moments are population moments (divided by n, not n − 1), as in the ABAW evaluation scripts.
    /// The computation is two-pass (means first, then centred sums), so large offsets do not cancel catastrophically.</para>
    /// <para>Constant series: the value is whatever the formula gives; a constant prediction against a varying gold
    /// series scores 0 (the covariance is 0). When the denominator is 0 (both series constant and equal) the
    /// ratio is 0/0 and this method returns 0, so even a perfect constant prediction scores 0.</para>
    /// <para>No value is treated as unlabelled here; use <see cref="AbawScores.ValenceArousal(ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    /// to mask the −5 markers of the ABAW files.</para>
    /// </remarks>
    /// <param name="predictions">Predicted values x.</param>
    /// <param name="gold">Gold values y, as many as <paramref name="predictions"/>.</param>
    /// <returns>The CCC in [−1, 1].</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="gold"/> differs in length from <paramref name="predictions"/>; <paramref name="predictions"/> is empty;
    /// or a value of either span is NaN or infinite (the exception names that span).
    /// </exception>
    public static double Compute(ReadOnlySpan<double> predictions, ReadOnlySpan<double> gold)
        => Moments(predictions, gold).Ccc();

    /// <summary>Computes the CCC of single-precision series; the arithmetic is done in double precision.</summary>
    /// <remarks>Same definition and policies as <see cref="Compute(ReadOnlySpan{double}, ReadOnlySpan{double})"/>.</remarks>
    /// <param name="predictions">Predicted values x.</param>
    /// <param name="gold">Gold values y, as many as <paramref name="predictions"/>.</param>
    /// <returns>The CCC in [−1, 1].</returns>
    /// <exception cref="ArgumentException">
    /// Length mismatch (names <paramref name="gold"/>), empty input (names <paramref name="predictions"/>),
    /// or a NaN or infinite value (names the span holding it).
    /// </exception>
    public static double Compute(ReadOnlySpan<float> predictions, ReadOnlySpan<float> gold)
        => Moments(predictions, gold).Ccc();

    /// <summary>Validates a pair of series and returns their co-moments (shared with <see cref="Pearson"/>).</summary>
    internal static CoMoments Moments<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> gold)
        where T : IFloatingPointIeee754<T>
    {
        Guard.SameLength(predictions.Length, gold.Length, nameof(gold));
        Guard.NotEmpty(predictions.Length, nameof(predictions));
        Guard.Finite(predictions, nameof(predictions));
        Guard.Finite(gold, nameof(gold));
        return CoMoments.Of(predictions, gold, offset: 0, stride: 1, skipUnlabelledGold: false);
    }
}
