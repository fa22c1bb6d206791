namespace AffectMae.Metrics.Tests;

/// <summary>Reproducible test series (fixed seeds), shaped like model outputs and ABAW labels.</summary>
internal static class SeededData
{
    /// <summary>Gold uniform in [−1, 1]; prediction = 0.6·gold + 0.1 + noise in [−0.3, 0.3].</summary>
    public static (double[] Predictions, double[] Gold) Regression(int count, int seed)
    {
        var random = new Random(seed);
        var gold = new double[count];
        var predictions = new double[count];
        for (int i = 0; i < count; i++)
        {
            gold[i] = 2 * random.NextDouble() - 1;
            predictions[i] = 0.6 * gold[i] + 0.1 + 0.6 * (random.NextDouble() - 0.5);
        }

        return (predictions, gold);
    }

    /// <summary>Class labels in [0, classCount); prediction equals gold half the time; gold −1 with probability <paramref name="unlabelledRate"/>.</summary>
    public static (int[] Predictions, int[] Gold) Classes(int count, int classCount, double unlabelledRate, int seed)
    {
        var random = new Random(seed);
        var gold = new int[count];
        var predictions = new int[count];
        for (int i = 0; i < count; i++)
        {
            int label = random.Next(classCount);
            predictions[i] = random.NextDouble() < 0.5 ? label : random.Next(classCount);
            gold[i] = random.NextDouble() < unlabelledRate ? -1 : label;
        }

        return (predictions, gold);
    }

    /// <summary>Row-major [frames, units] AU scores in [0, 1) and 0/1/−1 gold (whole rows −1 with probability 0.1, single cells with 0.05).</summary>
    public static (double[] Scores, int[] Gold) ActionUnits(int frames, int units, int seed)
    {
        var random = new Random(seed);
        var scores = new double[frames * units];
        var gold = new int[frames * units];
        for (int f = 0; f < frames; f++)
        {
            bool rowUnlabelled = random.NextDouble() < 0.1;
            for (int u = 0; u < units; u++)
            {
                int i = f * units + u;
                int positive = random.NextDouble() < 0.2 + 0.05 * u ? 1 : 0;
                scores[i] = Math.Clamp(0.3 * positive + 0.7 * random.NextDouble(), 0, 0.999);
                gold[i] = rowUnlabelled || random.NextDouble() < 0.05 ? -1 : positive;
            }
        }

        return (scores, gold);
    }

    /// <summary>Cuts 0..length into consecutive batches of the given sizes, the last one taking the rest.</summary>
    public static IEnumerable<Range> Batches(int length, int[] sizes)
    {
        int start = 0;
        for (int b = 0; start < length; b++)
        {
            int size = b < sizes.Length ? Math.Min(sizes[b], length - start) : length - start;
            yield return new Range(start, start + size);
            start += size;
        }
    }
}
