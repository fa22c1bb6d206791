// Pearson's product-moment correlation, reported next to CCC: r measures linear association only,
// while CCC also penalises a shift in mean or scale.
namespace AffectMae.Metrics;

/// <summary>Pearson correlation coefficient r between predictions and gold values.</summary>
public static class Pearson
{
    /// <summary>Computes r = cov(x, y) / (σx·σy), where x are the predictions and y the gold values.</summary>
    /// <remarks>
    /// Population moments and a two-pass computation, as for <see cref="Ccc"/> (the 1/n factors cancel in r).
    /// When either series is constant (variance 0) r is undefined; this method returns 0.
    /// </remarks>
    /// <param name="predictions">Predicted values x.</param>
    /// <param name="gold">Gold values y, as many as <paramref name="predictions"/>.</param>
    /// <returns>r in [−1, 1].</returns>
    /// <exception cref="ArgumentException">
    /// Length mismatch (names <paramref name="gold"/>), empty input (names <paramref name="predictions"/>),
    /// or a NaN or infinite value (names the span holding it).
    /// </exception>
    public static double Compute(ReadOnlySpan<double> predictions, ReadOnlySpan<double> gold)
        => Ccc.Moments(predictions, gold).Pearson();

    /// <summary>Computes r of single-precision series; the arithmetic is done in double precision.</summary>
    /// <remarks>Same definition and policies as <see cref="Compute(ReadOnlySpan{double}, ReadOnlySpan{double})"/>.</remarks>
    /// <param name="predictions">Predicted values x.</param>
    /// <param name="gold">Gold values y, as many as <paramref name="predictions"/>.</param>
    /// <returns>r in [−1, 1].</returns>
    /// <exception cref="ArgumentException">
    /// Length mismatch (names <paramref name="gold"/>), empty input (names <paramref name="predictions"/>),
    /// or a NaN or infinite value (names the span holding it).
    /// </exception>
    public static double Compute(ReadOnlySpan<float> predictions, ReadOnlySpan<float> gold)
        => Ccc.Moments(predictions, gold).Pearson();
}
