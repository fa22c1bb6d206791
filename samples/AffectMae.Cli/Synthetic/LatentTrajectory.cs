// The latent affect of one synthetic video: valence and arousal follow smooth seeded trajectories around a per-subject
// mean, and short hidden events (disgust, fear, surprise, other) fade in and out on top, shifting valence/arousal the
// way those emotions sit in the circumplex. All values are rounded to 3 decimals, the precision written to the files,
// so labels computed from the states agree with the labels read back.
using static AffectMae.Cli.Synthetic.SmoothSignal;

namespace AffectMae.Cli.Synthetic;

/// <summary>Draws the per-frame <see cref="LatentState"/> of a video from a seeded stream.</summary>
internal static class LatentTrajectory
{
    /// <summary>Probability that a gap between events is followed by an event rather than another gap.</summary>
    public const double EventProbability = 0.6;

    /// <summary>Frames over which an event fades in and, again, out (raised cosine).</summary>
    public const int EventRampFrames = 8;

    /// <summary>Draws the latent states of <paramref name="frameCount"/> frames.</summary>
    /// <param name="random">The video's stream.</param>
    /// <param name="frameCount">Number of frames.</param>
    /// <returns>One state per frame.</returns>
    public static LatentState[] Generate(Random random, int frameCount)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        var valence = new SmoothSignal(random, Uniform(random, -0.45, 0.55), amplitude: 0.3, minPeriod: 80, maxPeriod: 600);
        var arousal = new SmoothSignal(random, Uniform(random, -0.35, 0.35), amplitude: 0.25, minPeriod: 60, maxPeriod: 500);
        var kinds = new AffectEvent[frameCount];
        var strengths = new float[frameCount];
        DrawEvents(random, kinds, strengths);

        var states = new LatentState[frameCount];
        for (int t = 0; t < frameCount; t++)
        {
            var (dv, da) = Shift(kinds[t]);
            float s = strengths[t];
            float v = Round3(Math.Clamp(valence.At(t) + dv * s, -1, 1));
            float a = Round3(Math.Clamp(arousal.At(t) + da * s, -1, 1));
            states[t] = kinds[t] == AffectEvent.None ? new LatentState(v, a) : new LatentState(v, a, kinds[t], Round3(s));
        }
        return states;
    }

    /// <summary>
    /// How an event at full strength moves valence and arousal: disgust (−0.5, +0.1), fear (−0.45, +0.5),
    /// surprise (+0.1, +0.45), other (0, 0).
    /// </summary>
    /// <param name="kind">The event.</param>
    /// <returns>The valence and arousal offsets, scaled by the event strength when applied.</returns>
    public static (double Valence, double Arousal) Shift(AffectEvent kind) => kind switch
    {
        AffectEvent.Disgust => (-0.5, 0.1),
        AffectEvent.Fear => (-0.45, 0.5),
        AffectEvent.Surprise => (0.1, 0.45),
        _ => (0, 0),
    };

    /// <summary>
    /// Alternates gaps of 40–219 frames with events (probability <see cref="EventProbability"/> after each gap). Kinds:
    /// other 40 %, surprise 24 %, disgust 18 %, fear 18 %; lengths 24–89 frames (other 40–139).
    /// </summary>
    private static void DrawEvents(Random random, AffectEvent[] kinds, float[] strengths)
    {
        int t = random.Next(10, 80);
        while (t < kinds.Length)
        {
            if (random.NextDouble() < EventProbability)
            {
                double pick = random.NextDouble();
                var kind = pick < 0.40 ? AffectEvent.Other
                    : pick < 0.64 ? AffectEvent.Surprise
                    : pick < 0.82 ? AffectEvent.Disgust
                    : AffectEvent.Fear;
                int length = kind == AffectEvent.Other ? random.Next(40, 140) : random.Next(24, 90);
                for (int u = 0; u < length && t + u < kinds.Length; u++)
                {
                    double edge = Math.Min(1.0, Math.Min(u, length - 1 - u) / (double)EventRampFrames);
                    kinds[t + u] = kind;
                    strengths[t + u] = (float)(0.5 - 0.5 * Math.Cos(Math.PI * edge));
                }
                t += length;
            }
            t += random.Next(40, 220);
        }
    }

    private static float Round3(double x) => (float)Math.Round(x, 3, MidpointRounding.AwayFromZero);
}
