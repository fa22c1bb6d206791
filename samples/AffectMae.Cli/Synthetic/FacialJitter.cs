// Frame-to-frame movement that carries no affect: real faces twitch, talk and blink around the expression an
// annotator reports, and annotators follow the smooth underlying state. The renderer draws the jittered face; the
// labels come from the un-jittered state, so a single frame is a noisy view of its label and a run of frames a
// better one (the premise of the paper's temporal model).
namespace AffectMae.Cli.Synthetic;

/// <summary>Adds independent per-frame noise to the facial parameters that are drawn.</summary>
public static class FacialJitter
{
    /// <summary>Standard deviation of the noise added to each intensity.</summary>
    public const float Sigma = 0.15f;

    /// <summary>
    /// The face to draw for a frame: every intensity plus Gaussian noise of σ = <see cref="Sigma"/> from a stream
    /// seeded by <paramref name="seed"/>, clamped to [0, 1].
    /// </summary>
    /// <param name="face">The face of the latent state (what the labels are computed from).</param>
    /// <param name="seed">The frame's seed.</param>
    /// <returns>The jittered face.</returns>
    public static FaceParameters Apply(in FaceParameters face, int seed)
    {
        var random = new Random(seed);
        float Jitter(float value)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            double gaussian = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);   // Box–Muller
            return Math.Clamp(value + Sigma * (float)gaussian, 0f, 1f);
        }
        return new FaceParameters(
            Jitter(face.InnerBrowRaise), Jitter(face.OuterBrowRaise), Jitter(face.BrowLower), Jitter(face.CheekRaise),
            Jitter(face.LidTighten), Jitter(face.UpperLipRaise), Jitter(face.LipCornerPull), Jitter(face.LipCornerDepress),
            Jitter(face.LipTighten), Jitter(face.LipPress), Jitter(face.MouthOpen), Jitter(face.EyeOpening), Jitter(face.Smirk));
    }
}
