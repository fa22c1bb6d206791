// A smooth random curve over frame time: a mean plus a few sinusoids with seeded amplitudes, periods and phases.
// It is band-limited (no period shorter than the minimum), so faces and poses move without jumps.
namespace AffectMae.Cli.Synthetic;

/// <summary>x(t) = mean + Σₖ Aₖ sin(2π t / Pₖ + φₖ), drawn from a seeded <see cref="Random"/>.</summary>
internal sealed class SmoothSignal
{
    private readonly double mean;
    private readonly double[] amplitudes, periods, phases;

    /// <summary>Draws the components: Aₖ ~ U(0.5, 1)·amplitude, Pₖ ~ U(minPeriod, maxPeriod) frames, φₖ ~ U(0, 2π).</summary>
    /// <param name="random">The stream to draw from (advanced by 3 × <paramref name="components"/> draws).</param>
    /// <param name="mean">The constant offset.</param>
    /// <param name="amplitude">Upper bound of each component's amplitude.</param>
    /// <param name="minPeriod">Shortest period, in frames.</param>
    /// <param name="maxPeriod">Longest period, in frames.</param>
    /// <param name="components">Number of sinusoids.</param>
    public SmoothSignal(Random random, double mean, double amplitude, double minPeriod, double maxPeriod, int components = 3)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(components);
        this.mean = mean;
        amplitudes = new double[components];
        periods = new double[components];
        phases = new double[components];
        for (int k = 0; k < components; k++)
        {
            amplitudes[k] = amplitude * (0.5 + 0.5 * random.NextDouble());
            periods[k] = minPeriod + (maxPeriod - minPeriod) * random.NextDouble();
            phases[k] = 2 * Math.PI * random.NextDouble();
        }
    }

    /// <summary>The value at frame index <paramref name="t"/>.</summary>
    /// <param name="t">0-based frame index.</param>
    /// <returns>x(t).</returns>
    public double At(int t)
    {
        double x = mean;
        for (int k = 0; k < amplitudes.Length; k++)
            x += amplitudes[k] * Math.Sin(2 * Math.PI * t / periods[k] + phases[k]);
        return x;
    }

    /// <summary>A uniform draw in [<paramref name="lo"/>, <paramref name="hi"/>).</summary>
    /// <param name="random">The stream.</param>
    /// <param name="lo">Lower bound.</param>
    /// <param name="hi">Upper bound.</param>
    /// <returns>The draw.</returns>
    public static double Uniform(Random random, double lo, double hi) => lo + (hi - lo) * random.NextDouble();
}
