using AffectMae.Metrics;
using AffectMae.Models.Data;

namespace AffectMae.Models.Tests.Training;

/// <summary>
/// Feature sequences whose labels follow from a hidden smooth state: valence = sin, arousal = cos of a slow phase;
/// the expression is the (valence, arousal) quadrant (classes 0–3); AU k fires when a fixed mix of the two is positive.
/// The features are a fixed random projection of the state plus noise, so the labels are learnable but not trivially.
/// </summary>
internal static class SyntheticFeatures
{
    public const int Dim = 16;

    public static VideoFeatures Video(string name, int frames, int seed, double unlabelledFraction = 0.1, double noise = 0.1)
    {
        var random = new Random(seed);
        var projection = new Random(7);   // the same projection for every video
        var mix = Enumerable.Range(0, Dim * 2).Select(_ => projection.NextDouble() * 2 - 1).ToArray();
        var auMix = Enumerable.Range(0, 24).Select(_ => projection.NextDouble() * 2 - 1).ToArray();
        double phase = random.NextDouble() * 2 * Math.PI, speed = 0.05 + 0.05 * random.NextDouble();

        var features = new float[frames * Dim];
        var va = new float[frames * 2];
        var expression = new int[frames];
        var actionUnits = new int[frames * 12];
        for (int t = 0; t < frames; t++)
        {
            double valence = Math.Sin(phase + speed * t), arousal = Math.Cos(phase + 0.7 * speed * t);
            for (int d = 0; d < Dim; d++)
                features[t * Dim + d] = (float)(mix[2 * d] * valence + mix[2 * d + 1] * arousal + noise * (random.NextDouble() - 0.5));
            bool unlabelled = random.NextDouble() < unlabelledFraction;
            va[2 * t] = unlabelled ? AffectLabels.UnlabelledValenceArousal : (float)valence;
            va[2 * t + 1] = unlabelled ? AffectLabels.UnlabelledValenceArousal : (float)arousal;
            expression[t] = unlabelled ? AffectLabels.UnlabelledExpression : (valence >= 0 ? 0 : 2) + (arousal >= 0 ? 0 : 1);
            for (int k = 0; k < 12; k++)
                actionUnits[t * 12 + k] = unlabelled ? AffectLabels.UnlabelledActionUnit : auMix[2 * k] * valence + auMix[2 * k + 1] * arousal > 0 ? 1 : 0;
        }
        return new VideoFeatures(name, features, Dim, va, expression, actionUnits);
    }
}
