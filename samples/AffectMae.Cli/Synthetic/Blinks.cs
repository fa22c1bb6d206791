// Blinks carry arousal over time, not in any single frame: people blink more often when aroused. The rates here are
// about twice real ones (36 a minute at a = 0 and 30 fps) so that a window of 100 frames holds a few blinks. One frame
// only shows whether the eyes are shut; the rate shows up only across a window of frames, which is what a temporal
// model sees and a frame-level head does not.
namespace AffectMae.Cli.Synthetic;

/// <summary>Draws blinks whose rate rises with arousal and writes them into <see cref="SceneState.EyeClosure"/>.</summary>
internal static class Blinks
{
    /// <summary>Mean frames between blinks at arousal 0; the mean is this times exp(−<see cref="ArousalGain"/> · a).</summary>
    public const double MeanInterval = 45;

    /// <summary>How strongly arousal shortens the interval: blinks come e^1.5 ≈ 4.5× as often at a = +1 as at a = 0.</summary>
    public const double ArousalGain = 1.5;

    /// <summary>Eye closure over the frames of one blink: shutting, shut, opening.</summary>
    public static IReadOnlyList<float> Profile { get; } = [0.6f, 1f, 1f, 0.7f, 0.3f];

    /// <summary>Mean frames between blinks at arousal <paramref name="arousal"/>.</summary>
    /// <param name="arousal">Arousal in [−1, 1].</param>
    /// <returns>MeanInterval · exp(−ArousalGain · a): 202 frames at a = −1, 45 at 0, 10 at +1.</returns>
    public static double Interval(double arousal) => MeanInterval * Math.Exp(-ArousalGain * arousal);

    /// <summary>
    /// Walks the video: after each blink, the wait to the next is drawn from an exponential distribution whose mean is
    /// <see cref="Interval"/> of the arousal where the wait starts, plus the blink's own length.
    /// </summary>
    /// <param name="random">The video's stream.</param>
    /// <param name="latent">The video's latent states (their arousal sets the rate).</param>
    /// <param name="scene">The video's scene states; <see cref="SceneState.EyeClosure"/> is set in place.</param>
    public static void Apply(Random random, IReadOnlyList<LatentState> latent, SceneState[] scene)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(latent);
        ArgumentNullException.ThrowIfNull(scene);
        if (scene.Length != latent.Count)
            throw new ArgumentException($"Expected {latent.Count} scene states, one per frame; got {scene.Length}.", nameof(scene));
        int Wait(double arousal) => (int)(-Interval(arousal) * Math.Log(1 - random.NextDouble()));   // exponential, mean Interval(a)
        int t = Wait(latent.Count > 0 ? latent[0].Arousal : 0);
        while (t < scene.Length)
        {
            for (int k = 0; k < Profile.Count && t + k < scene.Length; k++)
                scene[t + k] = scene[t + k] with { EyeClosure = Profile[k] };
            t += Profile.Count;
            if (t >= scene.Length) break;
            t += Wait(latent[t].Arousal);
        }
    }
}
